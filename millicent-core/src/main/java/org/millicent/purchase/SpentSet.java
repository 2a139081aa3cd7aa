package org.millicent.purchase;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.millicent.scrip.ScripId;

/**
 * The in-memory spent list: one bit per issued serial, kept in blocks of {@value #BLOCK_SERIALS}
 * consecutive serials of one key id (docs/PROTOCOL.md, "Spent list"). Serials are sequential, so
 * blocks fill densely and the structure costs about one bit per issued scrip. Each block remembers
 * the latest expiry of any scrip marked in it; once that has passed (plus a grace period) every
 * marked scrip in the block is refused as expired anyway, so the whole block is dropped.
 *
 * <p>Thread-safe: decisions on one block are serialised by that block's monitor, so of many threads
 * marking one scrip exactly one succeeds.
 */
public final class SpentSet {
  /** Serials per block: 2^16, so a block's bits take 8 KiB. */
  public static final int BLOCK_SERIALS = 1 << 16;

  private static final int WORDS = BLOCK_SERIALS / 64;

  private static final class Block {
    final long[] words = new long[WORDS];
    long maxExpiresAt = Long.MIN_VALUE;
    int marked;
    boolean dropped;
  }

  private final ConcurrentHashMap<Long, Block> blocks = new ConcurrentHashMap<>();

  /**
   * Scrip expiring before this (epoch seconds) may have lost its mark to a drop: never accept it.
   */
  private final AtomicLong droppedBefore = new AtomicLong(Long.MIN_VALUE);

  /** An empty spent list. */
  public SpentSet() {}

  private static long blockKey(ScripId id) {
    return ((long) id.keyId() << 56) | (id.serial() >>> 16);
  }

  /**
   * Marks {@code id} spent.
   *
   * @param expiresAt the scrip's expiry, which keeps the block until it has passed
   * @return true if this call marked it, false if it was already marked
   */
  public boolean mark(ScripId id, Instant expiresAt) {
    long key = blockKey(id);
    int bit = (int) (id.serial() & (BLOCK_SERIALS - 1));
    while (true) {
      Block b = blocks.computeIfAbsent(key, k -> new Block());
      synchronized (b) {
        if (b.dropped) {
          continue;
        }
        // Read under the block's monitor, not before it: a drop raises droppedBefore before it
        // removes blocks, so a block found here after a drop is always checked against the new
        // horizon and a dropped mark cannot be made again.
        if (expiresAt.getEpochSecond() < droppedBefore.get()) {
          return false;
        }
        long mask = 1L << (bit & 63);
        int w = bit >>> 6;
        if ((b.words[w] & mask) != 0) {
          return false;
        }
        b.words[w] |= mask;
        b.marked++;
        b.maxExpiresAt = Math.max(b.maxExpiresAt, expiresAt.getEpochSecond());
        return true;
      }
    }
  }

  /** Whether {@code id} is marked. */
  public boolean contains(ScripId id) {
    Block b = blocks.get(blockKey(id));
    if (b == null) {
      return false;
    }
    int bit = (int) (id.serial() & (BLOCK_SERIALS - 1));
    synchronized (b) {
      return !b.dropped && (b.words[bit >>> 6] & (1L << (bit & 63))) != 0;
    }
  }

  /** Clears a mark made by {@link #mark}, as when a reserved spend is released. */
  public void unmark(ScripId id) {
    Block b = blocks.get(blockKey(id));
    if (b == null) {
      return;
    }
    int bit = (int) (id.serial() & (BLOCK_SERIALS - 1));
    synchronized (b) {
      long mask = 1L << (bit & 63);
      if ((b.words[bit >>> 6] & mask) != 0) {
        b.words[bit >>> 6] &= ~mask;
        b.marked--;
      }
    }
  }

  /**
   * Drops every block whose newest marked scrip expired before {@code horizon}.
   *
   * @return the number of blocks dropped
   */
  public int dropExpiredBefore(Instant horizon) {
    return dropExpiredBlocks(horizon).size();
  }

  /**
   * Drops every block whose newest marked scrip expired before {@code horizon}, and says which: a
   * durable copy of the spent list can then forget the same ranges of IDs.
   *
   * @return the first ID of each dropped block; the block holds the {@link #BLOCK_SERIALS} serials
   *     from there
   */
  public List<ScripId> dropExpiredBlocks(Instant horizon) {
    long h = horizon.getEpochSecond();
    // Only ever raised, also by concurrent drops: a lower horizon must not undo a higher one.
    droppedBefore.accumulateAndGet(h, Math::max);
    List<ScripId> dropped = new ArrayList<>();
    Iterator<Map.Entry<Long, Block>> it = blocks.entrySet().iterator();
    while (it.hasNext()) {
      Map.Entry<Long, Block> e = it.next();
      Block b = e.getValue();
      synchronized (b) {
        if (b.maxExpiresAt < h) {
          b.dropped = true;
          it.remove();
          long key = e.getKey();
          dropped.add(new ScripId((int) (key >>> 56), (key & ((1L << 56) - 1)) << 16));
        }
      }
    }
    return dropped;
  }

  /** Number of blocks held. */
  public int blockCount() {
    return blocks.size();
  }

  /** Number of marked serials held. */
  public long markedCount() {
    long n = 0;
    for (Block b : blocks.values()) {
      synchronized (b) {
        n += b.marked;
      }
    }
    return n;
  }

  /** Approximate bytes of the bit vectors held. */
  public long approximateBytes() {
    return (long) blocks.size() * (WORDS * 8L + 64);
  }
}
