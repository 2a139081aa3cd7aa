package org.millicent.bench.storage;

import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.jspecify.annotations.Nullable;

/**
 * Measures what one thread waking another costs on this machine: two threads hand a turn back and
 * forth with {@code LockSupport.park}/{@code unpark}, and the time of a round trip (two wake-ups)
 * is printed, for platform threads and for virtual threads. Each durable spend needs such wake-ups
 * (the spender wakes the writer, the writer's batch wakes the spender), so on a machine where a
 * thread asleep on another CPU takes long to wake, the group commit's round trip grows by that much
 * (docs/PERFORMANCE.md, "Storage"). Pin it with {@code taskset -c 0} to see the same-CPU case. Run:
 * {@code java -cp ... org.millicent.bench.storage.WakeLatency [round trips]}. A program, run once
 * per JVM: not for concurrent use.
 */
public final class WakeLatency {
  private static final AtomicInteger turn = new AtomicInteger();
  // The two threads of the current measurement, for each to wake the other; null before the first.
  private static volatile @Nullable Thread first;
  private static volatile @Nullable Thread second;

  private WakeLatency() {}

  /** Args: round trips per measurement (default 200 000); the first of two measurements warms. */
  public static void main(String[] args) throws InterruptedException {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
    if (n < 1) {
      throw new IllegalArgumentException("round trips must be at least 1, was " + n);
    }
    for (boolean virtual : new boolean[] {false, true}) {
      double micros = 0;
      for (int round = 0; round < 2; round++) {
        micros = roundTripMicros(virtual ? Thread.ofVirtual() : Thread.ofPlatform(), n);
      }
      System.out.printf(
          Locale.ROOT,
          "%s threads: %.2f us per round trip (two wake-ups), %d round trips, %d cpus%n",
          virtual ? "virtual" : "platform",
          micros,
          n,
          Runtime.getRuntime().availableProcessors());
    }
  }

  private static double roundTripMicros(Thread.Builder threads, int n) throws InterruptedException {
    turn.set(0);
    long[] span = new long[2];
    Thread waker =
        threads.unstarted(
            () -> {
              for (int i = 0; i < n; i++) {
                while (turn.get() != 1) {
                  LockSupport.park();
                }
                turn.set(0);
                LockSupport.unpark(first);
              }
            });
    Thread starter =
        threads.unstarted(
            () -> {
              span[0] = System.nanoTime();
              for (int i = 0; i < n; i++) {
                turn.set(1);
                LockSupport.unpark(second);
                while (turn.get() != 0) {
                  LockSupport.park();
                }
              }
              span[1] = System.nanoTime();
            });
    second = waker;
    first = starter;
    waker.start();
    starter.start();
    starter.join();
    waker.join();
    return (span[1] - span[0]) / 1e3 / n;
  }
}
