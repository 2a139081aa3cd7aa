package org.millicent.bench.storage;

import java.util.concurrent.CompletableFuture;
import org.millicent.bench.StorageWorkloads;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Durable spends per second with 64 concurrent spenders, driving the same {@link
 * StorageWorkloads.Spends} as {@code millicent bench storage}. {@link #spend} is the purchase of a
 * vendor serving static content: one {@code spend} of a fresh scrip with its change, returning once
 * its group-commit batch is durable, one purchase at a time per spender as a thread-per-request
 * server does; {@link #spendPipelined} keeps {@value #PIPELINE} in flight per spender ({@code
 * spendAsync}), as an asynchronous server can; {@link #claimCommit} is the purchase of a reverse
 * proxy, which holds the scrip while the origin answers: a claim, then a commit. Compare with
 * {@link BalanceDebitBenchmark} in the same run (docs/PERFORMANCE.md, "Storage"). Each trial uses a
 * fresh database.
 */
public class DurableSpendBenchmark extends SpenderRunSettings {
  static final int PIPELINE = 16;

  /** sqlite (embedded), postgres-shared (the database decides), postgres-embedded. */
  @Param({"sqlite", "postgres-shared", "postgres-embedded"})
  public String store;

  StorageWorkloads.Spends spends;

  /** Opens the store on a fresh database. */
  @Setup
  public void open() {
    spends = StorageWorkloads.Spends.open(store, StorageWorkloads.Target.fromEnvironment());
  }

  /** Prints batching and memory, then removes the database. */
  @TearDown
  public void close() {
    System.out.println();
    System.out.println(spends.summary());
    spends.close();
  }

  /** One purchase: one spend, returning once durable. */
  @Benchmark
  public void spend() {
    spends.purchase();
  }

  /** One reverse-proxy purchase: claim, then commit and wait until durable. */
  @Benchmark
  public void claimCommit() {
    spends.purchaseClaimCommit();
  }

  /** {@value #PIPELINE} purchases in flight per spender; each counted once durable. */
  @Benchmark
  @OperationsPerInvocation(PIPELINE)
  public void spendPipelined() {
    CompletableFuture<?>[] inFlight = new CompletableFuture<?>[PIPELINE];
    for (int i = 0; i < PIPELINE; i++) {
      inFlight[i] = spends.purchaseAsync();
    }
    CompletableFuture.allOf(inFlight).join();
  }
}
