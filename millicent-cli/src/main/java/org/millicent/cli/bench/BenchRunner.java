package org.millicent.cli.bench;

import java.time.Duration;

/**
 * A short single-thread measurement of one {@link Workload}: a warm-up that also sizes the batches,
 * then timed batches until the measured time is used up. Only {@link Workload#run} calls are timed
 * ({@link System#nanoTime} around each batch); preparing a batch is not. This is a quick look for
 * {@code millicent bench}, not a substitute for JMH: no forks, no statistics. Stateless.
 */
final class BenchRunner {
  /** Batches grow until one takes about this long, so timer reads cost nothing measurable. */
  private static final long BATCH_NANOS = 10_000_000;

  private static final int MAX_BATCH = 1 << 16;

  /** Keeps the results of {@link Workload#run} alive so the JIT cannot drop the work. */
  @SuppressWarnings("unused")
  private static volatile long sink;

  /**
   * The outcome for one workload.
   *
   * @param name the workload's case name
   * @param operations how many operations were timed
   * @param timedNanos the time they took together
   */
  record Result(String name, long operations, long timedNanos) {
    /** Operations per second over the timed part. */
    double opsPerSecond() {
      return operations * 1e9 / timedNanos;
    }
  }

  private BenchRunner() {}

  /** Warms {@code workload} up for {@code warmup}, then measures it for {@code measure}. */
  static Result measure(Workload workload, Duration warmup, Duration measure) {
    int batch = 16;
    long warmupEnd = System.nanoTime() + warmup.toNanos();
    do {
      long took = timedBatch(workload, batch);
      if (took < BATCH_NANOS && batch < MAX_BATCH) {
        batch *= 2;
      }
    } while (System.nanoTime() < warmupEnd);

    long timed = 0;
    long operations = 0;
    while (timed < measure.toNanos()) {
      timed += timedBatch(workload, batch);
      operations += batch;
    }
    return new Result(workload.name(), operations, timed);
  }

  private static long timedBatch(Workload workload, int batch) {
    workload.prepare(batch);
    long acc = 0;
    long start = System.nanoTime();
    for (int i = 0; i < batch; i++) {
      acc += workload.run(i);
    }
    long took = System.nanoTime() - start;
    sink = acc;
    return took;
  }
}
