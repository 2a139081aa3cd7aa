package org.millicent.bench.storage;

import org.millicent.bench.StorageWorkloads;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The baseline a vendor might pick instead of scrip, "customers keep accounts with vendors",
 * driving the same {@link StorageWorkloads.Debits} as {@code millicent bench storage}: one SQL
 * balance debit per purchase ({@code UPDATE accounts SET balance = balance - ? WHERE id = ? AND
 * balance >= ?}), each its own durable transaction, with the same durability settings and 64
 * concurrent spenders over 10 000 accounts.
 */
public class BalanceDebitBenchmark extends SpenderRunSettings {
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
