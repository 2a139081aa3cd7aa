package org.millicent.bench.storage;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The JMH settings that {@link DurableSpendBenchmark} and its baseline {@link
 * BalanceDebitBenchmark} share, so that their ratio compares like with like (docs/PERFORMANCE.md,
 * "Storage"): {@value #SPENDERS} concurrent spenders, throughput per second, one fork with a 1 GiB
 * heap, 2 warm-up and 5 measured iterations of 5 s. JMH reads these annotations from the subclasses
 * (they are {@code @Inherited}). Each subclass is a benchmark-scoped state.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(SpenderRunSettings.SPENDERS)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xmx1g"})
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 5, time = 5)
public abstract class SpenderRunSettings {
  /** Concurrent spenders: the benchmark threads. */
  static final int SPENDERS = 64;

  /** For the benchmarks. */
  protected SpenderRunSettings() {}
}
