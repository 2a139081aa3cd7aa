package org.millicent.bench.storage;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.millicent.storage.Database;
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
 * The baseline a vendor might pick instead of scrip, "customers keep accounts with vendors": one
 * SQL balance debit per purchase, {@code UPDATE accounts SET balance = balance - ? WHERE id = ? AND
 * balance >= ?}, each its own durable transaction, with the same durability settings (SQLite WAL,
 * synchronous=FULL; PostgreSQL as configured) and 64 concurrent spenders over 10 000 accounts.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(64)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xmx1g"})
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 3, time = 5)
public class BalanceDebitBenchmark {
  static final int ACCOUNTS = 10_000;
  static final String DEBIT =
      "UPDATE accounts SET balance = balance - ? WHERE id = ? AND balance >= ?";

  @Param({"sqlite", "postgres"})
  public String store;

  Database db;

  @Setup
  public void open() throws Exception {
    // One connection per spender on PostgreSQL, as a server with a pool per thread would have;
    // SQLite serialises writers on its file lock whatever the pool.
    db = store.equals("sqlite") ? BenchDatabases.sqlite() : BenchDatabases.postgres(64);
    try (Connection c = db.dataSource().getConnection()) {
      c.setAutoCommit(false);
      try (Statement st = c.createStatement()) {
        st.execute("CREATE TABLE accounts (id BIGINT PRIMARY KEY, balance BIGINT NOT NULL)");
      }
      try (PreparedStatement ps =
          c.prepareStatement("INSERT INTO accounts (id, balance) VALUES (?, ?)")) {
        for (int i = 0; i < ACCOUNTS; i++) {
          ps.setLong(1, i);
          ps.setLong(2, Long.MAX_VALUE / 2);
          ps.addBatch();
        }
        ps.executeBatch();
      }
      c.commit();
    }
  }

  @TearDown
  public void close() throws Exception {
    BenchDatabases.drop(db);
  }

  /** One purchase paid from an account: one durable UPDATE. */
  @Benchmark
  public int debit() throws SQLException {
    long account = ThreadLocalRandom.current().nextInt(ACCOUNTS);
    try (Connection c = db.dataSource().getConnection();
        PreparedStatement ps = c.prepareStatement(DEBIT)) {
      ps.setLong(1, 5_000);
      ps.setLong(2, account);
      ps.setLong(3, 5_000);
      int n = ps.executeUpdate();
      if (n != 1) {
        throw new IllegalStateException("account " + account + " was not debited");
      }
      return n;
    }
  }
}
