package org.millicent.bench.storage;

import java.util.concurrent.TimeUnit;
import org.millicent.bench.StorageWorkloads;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The baseline a vendor might pick instead of scrip, "customers keep accounts with vendors",
 * driving the same {@link StorageWorkloads.Debits} as {@code millicent bench storage}: one SQL
 * balance debit per purchase ({@code UPDATE accounts SET balance = balance - ? WHERE id = ? AND
 * balance >= ?}), each its own durable transaction, with the same durability settings and 64
 * concurrent spenders over 10 000 accounts.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(64)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xmx1g"})
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 5, time = 5)
public class BalanceDebitBenchmark {
  static final int SPENDERS = 64;

  /** sqlite or postgres. */
  @Param({"sqlite", "postgres"})
  public String store;

  StorageWorkloads.Debits debits;

  /** Opens the store on a fresh database with funded accounts. */
  @Setup
  public void open() {
    debits =
        StorageWorkloads.Debits.open(store, StorageWorkloads.Target.fromEnvironment(), SPENDERS);
  }

  /** Removes the database. */
  @TearDown
  public void close() {
    debits.close();
  }

  /** One purchase paid from an account: one durable UPDATE. */
  @Benchmark
  public void debit() {
    debits.purchase();
  }
}
