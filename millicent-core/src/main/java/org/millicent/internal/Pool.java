package org.millicent.internal;

import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Supplier;

/**
 * A small lock-free pool of costly, non-thread-safe objects ({@code Mac}, {@code MessageDigest},
 * {@code Cipher}): take one, use it on this thread only, give it back. A thread-local cache does
 * not work for servers on virtual threads, where every request is a new thread: each would build
 * its own {@code Mac} with {@code getInstance} and {@code init}, which costs more than the work.
 * The pool holds at most a few objects per core; when it is empty (more threads computing at once
 * than it holds) a new object is made, and when it is full a returned object is dropped.
 *
 * <p>Thread-safe.
 *
 * @param <T> what is pooled
 */
public final class Pool<T> {
  private final AtomicReferenceArray<T> slots;
  private final int mask;
  private final Supplier<T> factory;

  /** An empty pool that makes new objects with {@code factory}. */
  public Pool(Supplier<T> factory) {
    int size = Integer.highestOneBit(Math.max(8, Runtime.getRuntime().availableProcessors() * 4));
    this.slots = new AtomicReferenceArray<>(size);
    this.mask = size - 1;
    this.factory = factory;
  }

  private int start() {
    long id = Thread.currentThread().threadId();
    return ((int) (id ^ (id >>> 16)) * 0x9E3779B9) >>> 16;
  }

  /** An object for the caller's exclusive use until it {@link #give}s it back. */
  public T take() {
    int s = start();
    for (int i = 0; i <= mask; i++) {
      T t = slots.getAndSet((s + i) & mask, null);
      if (t != null) {
        return t;
      }
    }
    return factory.get();
  }

  /** Returns an object taken from this pool; the caller must not use it afterwards. */
  public void give(T t) {
    int s = start();
    for (int i = 0; i <= mask; i++) {
      if (slots.compareAndSet((s + i) & mask, null, t)) {
        return;
      }
    }
  }
}
