package org.millicent.purchase;

/**
 * Hands out serial numbers for new scrip, unique per key id and never issued twice, also not after
 * a crash (the durable implementation reserves blocks on disk before using them). Implementations
 * are thread-safe.
 */
public interface SerialAllocator {
  /**
   * The next unused serial for {@code keyId}.
   *
   * @throws RuntimeException when the key id's serial space is exhausted ({@link
   *     IllegalStateException}) or the store fails (the store's own failure type)
   */
  long next(int keyId);
}
