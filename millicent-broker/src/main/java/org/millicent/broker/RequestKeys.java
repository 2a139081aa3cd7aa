package org.millicent.broker;

import java.nio.ByteBuffer;
import org.millicent.broker.store.IssuedScripStore;
import org.millicent.storage.Database;

/**
 * The request keys (account request MACs) of every charging request the broker has served, kept as
 * 64-bit fingerprints in memory so that telling a new request from a retry needs no database read
 * in the common case: a fingerprint not in the set is a new request for certain; one in the set is
 * looked up in the books (a retry, or a rare fingerprint collision). Fingerprints are added before
 * a sale is decided, so no durable sale's key is ever missing; a failed sale leaves a harmless
 * extra fingerprint. About 16 bytes per sale. Thread-safe.
 */
final class RequestKeys {
  private static final long EMPTY = 0;

  private long[] slots = new long[1 << 16];
  private int size;

  /** Loads the fingerprints of every recorded request key. */
  static RequestKeys load(Database db) {
    RequestKeys k = new RequestKeys();
    new IssuedScripStore(db).forEachRequestKey((c, key) -> k.add(fingerprint(c, key)));
    return k;
  }

  /** The fingerprint of a customer's request key; never 0. */
  static long fingerprint(long customerId, byte[] requestKey) {
    long h = customerId * 0x9E3779B97F4A7C15L;
    ByteBuffer b = ByteBuffer.wrap(requestKey);
    while (b.remaining() >= 8) {
      h = Long.rotateLeft(h ^ b.getLong(), 29) * 0xBF58476D1CE4E5B9L;
    }
    while (b.hasRemaining()) {
      h = Long.rotateLeft(h ^ b.get(), 13) * 0x94D049BB133111EBL;
    }
    h ^= h >>> 31;
    return h == EMPTY ? 1 : h;
  }

  /** Adds a fingerprint; returns whether it was already there. */
  synchronized boolean add(long fp) {
    if ((size + 1) * 2 > slots.length) {
      grow();
    }
    int mask = slots.length - 1;
    int i = (int) (fp ^ (fp >>> 32)) & mask;
    while (slots[i] != EMPTY) {
      if (slots[i] == fp) {
        return true;
      }
      i = (i + 1) & mask;
    }
    slots[i] = fp;
    size++;
    return false;
  }

  private void grow() {
    long[] old = slots;
    slots = new long[old.length * 2];
    int mask = slots.length - 1;
    for (long fp : old) {
      if (fp != EMPTY) {
        int i = (int) (fp ^ (fp >>> 32)) & mask;
        while (slots[i] != EMPTY) {
          i = (i + 1) & mask;
        }
        slots[i] = fp;
      }
    }
  }

  /** The number of fingerprints held. */
  synchronized int size() {
    return size;
  }
}
