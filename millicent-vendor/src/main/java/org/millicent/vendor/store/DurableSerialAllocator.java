package org.millicent.vendor.store;

import org.millicent.purchase.SerialAllocator;
import org.millicent.scrip.ScripId;
import org.millicent.storage.Database;
import org.millicent.storage.StorageException;

/**
 * Serials that are never issued twice, also after a crash and across processes sharing one
 * database: serials are handed out from blocks, and a block is reserved durably in the table {@code
 * vendor_serials} (one atomic upsert that moves {@code reserved_to} forward, committed before the
 * first serial of the block is used). A crash loses the rest of the block (a gap), never a serial.
 * {@link #close} gives back the unused rest when nobody reserved after it.
 *
 * <p>Thread-safe: each key id's block is guarded by its own lock.
 */
public final class DurableSerialAllocator implements SerialAllocator, AutoCloseable {
  /** Serials reserved per database write by default: one SpentSet block. */
  public static final int DEFAULT_BLOCK_SIZE = 1 << 16;

  private static final String RESERVE =
      "INSERT INTO vendor_serials (key_id, reserved_to) VALUES (:k, :n)"
          + " ON CONFLICT (key_id) DO UPDATE SET reserved_to = vendor_serials.reserved_to + :n"
          + " RETURNING reserved_to";

  private static final class Block {
    long next;
    long limit; // exclusive; next == limit means empty
  }

  private final Database db;
  private final int blockSize;
  private final Block[] blocks = new Block[256];

  private DurableSerialAllocator(Database db, int blockSize) {
    this.db = db;
    this.blockSize = blockSize;
    for (int i = 0; i < blocks.length; i++) {
      blocks[i] = new Block();
    }
  }

  /**
   * An allocator over the vendor tables of {@code db} (migrated if needed).
   *
   * @param blockSize serials reserved per database write, 1 to 2^24
   * @throws StorageException when the database fails
   */
  public static DurableSerialAllocator open(Database db, int blockSize) {
    if (blockSize < 1 || blockSize > (1 << 24)) {
      throw new IllegalArgumentException("block size must be 1..2^24, was " + blockSize);
    }
    VendorSchema.migrate(db);
    return new DurableSerialAllocator(db, blockSize);
  }

  /** An allocator with blocks of {@value #DEFAULT_BLOCK_SIZE}. */
  public static DurableSerialAllocator open(Database db) {
    return open(db, DEFAULT_BLOCK_SIZE);
  }

  /**
   * {@inheritDoc}
   *
   * @throws StorageException when a new block cannot be reserved (then no serial is issued)
   * @throws IllegalStateException when the key id's serials are exhausted
   */
  @Override
  public long next(int keyId) {
    if (keyId < 0 || keyId > 255) {
      throw new IllegalArgumentException("key id must be 0..255, was " + keyId);
    }
    Block b = blocks[keyId];
    synchronized (b) {
      if (b.next == b.limit) {
        reserve(keyId, b);
      }
      return b.next++;
    }
  }

  private void reserve(int keyId, Block b) {
    long to =
        db.inTransaction(
            h ->
                h.createQuery(RESERVE)
                    .bind("k", keyId)
                    .bind("n", (long) blockSize)
                    .mapTo(Long.class)
                    .one());
    long from = to - blockSize;
    if (from > ScripId.MAX_SERIAL) {
      throw new IllegalStateException("serials of key id " + keyId + " are exhausted");
    }
    b.next = from;
    b.limit = Math.min(to, ScripId.MAX_SERIAL + 1);
  }

  /** The durable reservation mark of {@code keyId}: every serial issued so far is below it. */
  public long reservedTo(int keyId) {
    return db.withHandle(
        h ->
            h.createQuery("SELECT reserved_to FROM vendor_serials WHERE key_id = :k")
                .bind("k", keyId)
                .mapTo(Long.class)
                .findOne()
                .orElse(0L));
  }

  /**
   * Gives back the unused rest of each block where no other process reserved after it, so a clean
   * restart leaves no gap. Further calls to {@link #next} reserve anew.
   */
  @Override
  public void close() {
    for (int k = 0; k < blocks.length; k++) {
      Block b = blocks[k];
      synchronized (b) {
        if (b.next == b.limit) {
          continue;
        }
        int keyId = k;
        long next = b.next;
        long limit = b.limit;
        try {
          db.withHandle(
              h ->
                  h.createUpdate(
                          "UPDATE vendor_serials SET reserved_to = :next"
                              + " WHERE key_id = :k AND reserved_to = :limit")
                      .bind("next", next)
                      .bind("k", keyId)
                      .bind("limit", limit)
                      .execute());
        } catch (StorageException e) {
          // Keeping the gap is safe; only a few serials are lost.
        }
        b.next = b.limit = 0;
      }
    }
  }
}
