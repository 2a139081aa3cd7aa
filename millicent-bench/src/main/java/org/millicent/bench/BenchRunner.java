package org.millicent.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * A short single-thread measurement of one {@link Workload}: a warm-up that also sizes the batches,
 * then timed batches until the measured time is used up. Only {@link Workload#run} calls are timed
 * (a clock read around each batch); preparing a batch is not. This is a quick look for {@code
 * millicent bench}, not a substitute for JMH: no forks, no statistics. Stateless.
 */
final class BenchRunner {
  /** What the measured time is. */
  enum Clock {
    /** Elapsed time ({@link System#nanoTime}): what a user waits for. */
    WALL,
    /**
     * The measuring thread's CPU time: steadier when other processes share the CPUs, since time
     * spent descheduled is not counted (cache and JIT contention still are).
     */
    CPU;

    LongSupplier nanos() {
      if (this == WALL) {
        return System::nanoTime;
      }
      ThreadMXBean threads = ManagementFactory.getThreadMXBean();
      if (!threads.isCurrentThreadCpuTimeSupported()) {
        throw new IllegalStateException("this JVM cannot measure a thread's CPU time");
      }
      return threads::getCurrentThreadCpuTime;
    }
  }

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
   * @param timedNanos the time they took together, on the clock the run used
   */
  record Result(String name, long operations, long timedNanos) {
    /** Operations per second over the timed part. */
    double opsPerSecond() {
      return operations * 1e9 / timedNanos;
    }
  }

  private BenchRunner() {}

  /**
   * Warms {@code workload} up for {@code warmup}, then measures it for {@code measure}, both on
   * {@code clock}.
   */
  static Result measure(Workload workload, Duration warmup, Duration measure, Clock clock) {
    LongSupplier now = clock.nanos();
    int batch = 16;
    long warmed = 0;
    do {
      long took = timedBatch(workload, batch, now);
      warmed += took;
      if (took < BATCH_NANOS && batch < MAX_BATCH) {
        batch *= 2;
      }
    } while (warmed < warmup.toNanos());

    long timed = 0;
    long operations = 0;
    while (timed < measure.toNanos()) {
      timed += timedBatch(workload, batch, now);
      operations += batch;
    }
    return new Result(workload.name(), operations, timed);
  }

  private static long timedBatch(Workload workload, int batch, LongSupplier now) {
    workload.prepare(batch);
    long acc = 0;
    long start = now.getAsLong();
    for (int i = 0; i < batch; i++) {
      acc += workload.run(i);
    }
    long took = now.getAsLong() - start;
    sink = acc;
    return took;
  }
}
