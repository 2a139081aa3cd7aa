package org.millicent.bench.storage;

import java.security.SecureRandom;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.millicent.keys.MasterSecrets;
import org.millicent.purchase.InMemorySerialAllocator;
import org.millicent.purchase.ScripMinter;
import org.millicent.purchase.SpendRecorder;
import org.millicent.purchase.SpendRecorder.SpendRecord;
import org.millicent.scrip.Scrip;
import org.millicent.scrip.ScripId;
import org.millicent.scrip.ScripProperties;
import org.millicent.storage.Database;
import org.millicent.storage.vendor.DurableSpendRecorder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Durable spends per second with 64 concurrent spenders: claim a fresh scrip, then commit it with
 * its change through the {@link DurableSpendRecorder} (group commit; each commit returns once its
 * batch is on disk). {@code spend} is one purchase at a time per spender, as a thread-per-request
 * server does; {@code spendPipelined} keeps {@value #PIPELINE} purchases in flight per spender
 * ({@code commitAsync}), as an asynchronous server can. Compare with {@link BalanceDebitBenchmark}
 * in the same run (docs/PERFORMANCE.md, "Storage").
 *
 * <p>Each trial uses a fresh database: an SQLite file (WAL, synchronous=FULL) or a PostgreSQL
 * schema (fsync and synchronous_commit as the server is configured).
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
public class DurableSpendBenchmark {
  static final int PIPELINE = 16;
  static final Instant EXPIRES = Instant.parse("2035-01-01T00:00:00Z");

  /** sqlite (embedded), postgres-shared (the database decides), postgres-embedded. */
  @Param({"sqlite", "postgres-shared", "postgres-embedded"})
  public String store;

  Database db;
  DurableSpendRecorder recorder;
  final AtomicLong nextSerial = new AtomicLong();
  Scrip change;
  byte[] fingerprint;

  @Setup
  public void open() throws Exception {
    db =
        switch (store) {
          case "sqlite" -> BenchDatabases.sqlite();
          case "postgres-shared", "postgres-embedded" -> BenchDatabases.postgres(16);
          default -> throw new IllegalArgumentException("unknown store " + store);
        };
    recorder =
        DurableSpendRecorder.open(
            db,
            store.equals("postgres-shared")
                ? DurableSpendRecorder.Mode.SHARED
                : DurableSpendRecorder.Mode.EMBEDDED,
            InstantSource.system());
    // A realistic record: 16-byte fingerprint, change scrip of ~80 bytes with one property.
    change =
        new ScripMinter(
                "news.example",
                MasterSecrets.generate(2, new SecureRandom()),
                new InMemorySerialAllocator())
            .mint(95_000, 12345L, EXPIRES, ScripProperties.of(Map.of("country", "NL")));
    fingerprint = new byte[16];
    new SecureRandom().nextBytes(fingerprint);
  }

  @TearDown
  public void close() throws Exception {
    DurableSpendRecorder.Stats s = recorder.stats();
    recorder.close();
    System.out.printf(
        "%n[%s] %d spends in %d commit batches: %.1f spends per transaction/fsync; spent set %d"
            + " bytes for %d spends = %.2f bits each%n",
        store,
        s.commits(),
        s.commitBatches(),
        s.meanBatchSize(),
        recorder.spentSet().approximateBytes(),
        recorder.spentSet().markedCount(),
        recorder.spentSet().markedCount() == 0
            ? 0.0
            : recorder.spentSet().approximateBytes() * 8.0 / recorder.spentSet().markedCount());
    BenchDatabases.drop(db);
  }

  private SpendRecord claimFresh() {
    ScripId id = new ScripId(1, nextSerial.getAndIncrement());
    if (!(recorder.claim(id, EXPIRES, fingerprint) instanceof SpendRecorder.Claimed)) {
      throw new IllegalStateException("fresh scrip " + id + " was not claimable");
    }
    return new SpendRecord(id, EXPIRES, fingerprint, 5_000, Optional.of(change));
  }

  /** One purchase: claim, then commit and wait until durable. */
  @Benchmark
  public void spend() {
    recorder.commit(claimFresh());
  }

  /** {@value #PIPELINE} purchases in flight per spender; each counted once durable. */
  @Benchmark
  @OperationsPerInvocation(PIPELINE)
  public void spendPipelined() {
    CompletableFuture<?>[] inFlight = new CompletableFuture<?>[PIPELINE];
    for (int i = 0; i < PIPELINE; i++) {
      inFlight[i] = recorder.commitAsync(claimFresh());
    }
    CompletableFuture.allOf(inFlight).join();
  }
}
