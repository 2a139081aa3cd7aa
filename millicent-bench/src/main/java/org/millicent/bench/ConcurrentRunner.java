package org.millicent.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

/**
 * A short measurement of one operation run by many threads at once, for {@code millicent bench
 * storage}: every thread repeats the operation through a warm-up and then a measured period, and
 * the operations completed in the measured period are counted. A quick look, not JMH: no forks, no
 * statistics. Stateless.
 */
final class ConcurrentRunner {
  private ConcurrentRunner() {}

  /**
   * Operations per second of {@code operation} run by {@code threads} threads.
   *
   * @throws IllegalStateException carrying the first failure of an operation
   */
  static double measure(int threads, Runnable operation, Duration warmup, Duration measure)
      throws InterruptedException {
    return measure(
        Thread.ofPlatform().name("bench-spender-", 0), threads, operation, warmup, measure);
  }

  /**
   * Operations per second of {@code operation} run by {@code threads} threads made by {@code
   * threadsOf} (virtual threads, for instance, as a server with a thread per request has).
   *
   * @throws IllegalStateException carrying the first failure of an operation
   */
  static double measure(
      Thread.Builder threadsOf, int threads, Runnable operation, Duration warmup, Duration measure)
      throws InterruptedException {
    LongAdder counted = new LongAdder();
    AtomicReference<RuntimeException> failure = new AtomicReference<>();
    long start = System.nanoTime();
    long measureFrom = start + warmup.toNanos();
    long end = measureFrom + measure.toNanos();
    List<Thread> workers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      workers.add(
          threadsOf.start(
              () -> {
                try {
                  long now;
                  while ((now = System.nanoTime()) < end && failure.get() == null) {
                    operation.run();
                    if (now >= measureFrom) {
                      counted.increment();
                    }
                  }
                } catch (RuntimeException e) {
                  failure.compareAndSet(null, e);
                }
              }));
    }
    for (Thread w : workers) {
      w.join();
    }
    if (failure.get() != null) {
      throw new IllegalStateException("an operation failed: " + failure.get(), failure.get());
    }
    return counted.sum() * 1e9 / measure.toNanos();
  }
}
