package org.millicent.bench.broker;

import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.millicent.bench.BrokerWorkloads;
import org.millicent.bench.StorageWorkloads;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Durable licensed vendor-scrip sales per second through the broker service, driving the same
 * {@link BrokerWorkloads} as {@code millicent bench broker}: each sale charges a customer's
 * account, mints the vendor's scrip under the licence, records the piece and the postings, and
 * returns once its group commit is on disk (SQLite, WAL, synchronous=FULL). The broker's HTTP
 * server runs each request on a virtual thread, so each of 4 JMH threads keeps {@value #IN_FLIGHT}
 * sales in flight on virtual threads: 1024 concurrent buyers. Compare with the storage module's
 * BalanceDebitBenchmark (one SQL balance debit per purchase) in the same run (docs/PERFORMANCE.md,
 * "Broker"). Each trial uses a fresh database.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(4)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xmx2g"})
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 5, time = 5)
public class LicensedSalesBenchmark {
  static final int IN_FLIGHT = 256;

  BrokerWorkloads workload;
  ExecutorService buyers;

  /** Opens a broker with a licence and its customers on a fresh SQLite file. */
  @Setup
  public void open() {
    Path parent = StorageWorkloads.Target.fromEnvironment().sqliteParent();
    workload = BrokerWorkloads.open(parent, null);
    buyers = Executors.newVirtualThreadPerTaskExecutor();
  }

  /** Prints what was sold and whether the books conserve value, then removes the database. */
  @TearDown
  public void close() {
    buyers.close();
    System.out.println();
    System.out.println(workload.summary());
    workload.close();
  }

  /** {@value #IN_FLIGHT} sales at once on virtual threads; each counted once durable. */
  @Benchmark
  @OperationsPerInvocation(IN_FLIGHT)
  public void licensedSale() throws Exception {
    Future<?>[] inFlight = new Future<?>[IN_FLIGHT];
    for (int i = 0; i < IN_FLIGHT; i++) {
      inFlight[i] = buyers.submit(workload::sale);
    }
    for (Future<?> f : inFlight) {
      f.get();
    }
  }
}
