package org.millicent.purchase;

import java.util.concurrent.atomic.AtomicLongArray;
import org.millicent.scrip.ScripId;

/**
 * Serials from a counter per key id, lost on restart: for tests, benchmarks and one-shot processes
 * only. Thread-safe and lock-free.
 */
public final class InMemorySerialAllocator implements SerialAllocator {
  private final AtomicLongArray next = new AtomicLongArray(256);

  /** Starts every key id at serial 0. */
  public InMemorySerialAllocator() {}

  @Override
  public long next(int keyId) {
    long s = next.getAndIncrement(keyId);
    if (s > ScripId.MAX_SERIAL) {
      throw new IllegalStateException("serials of key id " + keyId + " are exhausted");
    }
    return s;
  }
}
