package org.millicent.bench.core;

import java.util.concurrent.TimeUnit;
import org.millicent.bench.CoreWorkloads;
import org.millicent.bench.Workload;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Throughput of the core operations on one thread, driving the same {@link CoreWorkloads} as {@code
 * millicent bench core} (docs/PERFORMANCE.md, "Core").
 *
 * <p>{@link #baseline} runs the two baselines one operation per invocation. {@link #purchase}
 * spends fresh scrip in every operation: scrip cannot be spent twice, so each invocation spends a
 * batch of {@value #BATCH} payments that a per-invocation {@link Setup} made beforehand (minting,
 * request MAC or sealing: the customer's work), outside the measured time. A batch takes
 * milliseconds, so the timer reads around it are negligible; the score is per purchase.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1)
public class CoreBenchmarks {
  /** Payments spent per {@link #purchase} invocation. */
  public static final int BATCH = 4096;

  /** A baseline operation that needs no fresh inputs. */
  @State(Scope.Thread)
  public static class Baseline {
    @Param({"hmac_raw", "ed25519_verify"})
    public String workload;

    Workload w;

    /** Creates the workload's fixture once per trial. */
    @Setup(Level.Trial)
    public void create() {
      w = CoreWorkloads.create(workload);
    }
  }

  /** A purchase at the vendor, each one spending fresh scrip. */
  @State(Scope.Thread)
  public static class Purchases {
    @Param({"clear_validation", "signed_purchase", "private_purchase"})
    public String workload;

    Workload w;

    /** Creates the vendor and customer once per trial. */
    @Setup(Level.Trial)
    public void create() {
      w = CoreWorkloads.create(workload);
    }

    /** Makes the next batch of payments, untimed. */
    @Setup(Level.Invocation)
    public void prepare() {
      w.prepare(BATCH);
    }
  }

  /** One baseline operation. */
  @Benchmark
  public long baseline(Baseline s) {
    return s.w.run(0);
  }

  /** {@value #BATCH} purchases, each with fresh scrip. */
  @Benchmark
  @OperationsPerInvocation(BATCH)
  public void purchase(Purchases s, Blackhole bh) {
    Workload w = s.w;
    for (int i = 0; i < BATCH; i++) {
      bh.consume(w.run(i));
    }
  }
}
