package org.millicent.vendor.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.millicent.purchase.SpendRecorder;
import org.millicent.purchase.SpendRecorder.SpendRecord;
import org.millicent.scrip.ScripId;
import org.millicent.storage.Database;
import org.millicent.storage.DatabaseConfig;
import org.millicent.storage.StorageException;
import org.millicent.storage.testing.TestDatabases;

/**
 * The spent list under a full disk and a lost PostgreSQL connection: failures are reported to the
 * callers whose spends they hit, with a clear code; no acknowledged spend is lost; the recorder
 * works again once the database does.
 */
class StorageFailureIT {
  static final Instant EXPIRES = Instant.parse("2035-01-01T00:00:00Z");

  @TempDir Path tmp;

  /** The outcome of many spenders running until told to stop. */
  record Run(Set<Long> acknowledged, Set<Long> failed, List<StorageException> errors) {}

  /**
   * Spenders spending fresh scrip until {@code stop}: with {@code oneStep} each purchase is one
   * {@code spend}, else a claim then a commit (released when the commit fails).
   */
  static Run spend(
      DurableSpendRecorder recorder, int threads, AtomicBoolean stop, long base, boolean oneStep)
      throws Exception {
    Set<Long> ok = ConcurrentHashMap.newKeySet();
    Set<Long> failed = ConcurrentHashMap.newKeySet();
    List<StorageException> errors = java.util.Collections.synchronizedList(new ArrayList<>());
    AtomicLong next = new AtomicLong(base);
    try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
      List<Future<?>> fs = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        fs.add(
            pool.submit(
                () -> {
                  while (!stop.get()) {
                    long s = next.getAndIncrement();
                    ScripId id = new ScripId(2, s);
                    byte[] fp = CrashChild.fingerprint(s);
                    if (oneStep) {
                      try {
                        if (!(recorder.spend(new SpendRecord(id, EXPIRES, fp, 7, Optional.empty()))
                            instanceof SpendRecorder.Claimed)) {
                          throw new AssertionError("fresh scrip " + id + " was not spendable");
                        }
                        ok.add(s);
                      } catch (StorageException e) {
                        errors.add(e);
                        failed.add(s);
                      }
                      continue;
                    }
                    try {
                      if (!(recorder.claim(id, EXPIRES, fp) instanceof SpendRecorder.Claimed)) {
                        throw new AssertionError("fresh scrip " + id + " was not claimable");
                      }
                    } catch (StorageException e) {
                      errors.add(e);
                      failed.add(s);
                      continue;
                    }
                    try {
                      // A 100-byte change stands in for real change scrip, to fill the disk.
                      recorder.commit(new SpendRecord(id, EXPIRES, fp, 7, Optional.empty()));
                      ok.add(s);
                    } catch (StorageException e) {
                      errors.add(e);
                      failed.add(s);
                      recorder.release(id); // what Purchase.commit does
                    }
                  }
                  return null;
                }));
      }
      for (Future<?> f : fs) {
        f.get();
      }
    }
    return new Run(ok, failed, errors);
  }

  @Test
  void fullDisk_failsCommitsAsStorageFull_andEveryAcknowledgedSpendIsOnDisk() throws Exception {
    fullDisk(false);
  }

  @Test
  void fullDisk_oneStepSpends_failAsStorageFull_andEveryAcknowledgedSpendIsOnDisk()
      throws Exception {
    fullDisk(true);
  }

  private void fullDisk(boolean oneStep) throws Exception {
    DatabaseConfig.Sqlite config = new DatabaseConfig.Sqlite(tmp.resolve("small.db"));
    Run run;
    try (Database db = Database.openSqliteWithQuota(config, 512 * 1024);
        DurableSpendRecorder recorder = DurableSpendRecorder.open(db)) {
      AtomicBoolean stop = new AtomicBoolean();
      Thread stopper =
          Thread.ofPlatform()
              .start(
                  () -> {
                    // Stop once the disk has been full for a while.
                    while (recorder.stats().failedBatches() < 20) {
                      Thread.onSpinWait();
                    }
                    stop.set(true);
                  });
      run = spend(recorder, 16, stop, 0, oneStep);
      stopper.join();
    }
    assertThat(run.acknowledged()).isNotEmpty();
    assertThat(run.errors()).isNotEmpty();
    assertThat(run.errors())
        .allSatisfy(
            e -> {
              assertThat(e.code()).isEqualTo(StorageException.FULL);
              assertThat(e.getMessage()).contains("small.db").contains("full");
            });

    // Given room again, the same file opens cleanly and holds every acknowledged spend.
    try (Database db = Database.open(config);
        DurableSpendRecorder recorder = DurableSpendRecorder.open(db)) {
      for (long s : run.acknowledged()) {
        assertThat(recorder.claim(new ScripId(2, s), EXPIRES, CrashChild.fingerprint(s)))
            .isInstanceOf(SpendRecorder.Replayed.class);
      }
      for (long s : run.failed()) {
        assertThat(recorder.spentSet().contains(new ScripId(2, s)))
            .as("failed spend %d is not spent", s)
            .isFalse();
      }
      ScripId fresh = new ScripId(2, 1L << 40);
      recorder.claim(fresh, EXPIRES, CrashChild.fingerprint(1));
      recorder.commit(
          new SpendRecord(fresh, EXPIRES, CrashChild.fingerprint(1), 1, Optional.empty()));
    }
  }

  @Test
  void lostPostgresConnections_sharedMode_failOnlyUnacknowledged_andRecover() throws Exception {
    lostConnections(DurableSpendRecorder.Mode.SHARED, false);
  }

  @Test
  void lostPostgresConnections_embeddedMode_failOnlyUnacknowledged_andRecover() throws Exception {
    lostConnections(DurableSpendRecorder.Mode.EMBEDDED, false);
  }

  @Test
  void lostPostgresConnections_sharedModeOneStepSpends_failOnlyUnacknowledged_andRecover()
      throws Exception {
    lostConnections(DurableSpendRecorder.Mode.SHARED, true);
  }

  @Test
  void lostPostgresConnections_embeddedModeOneStepSpends_failOnlyUnacknowledged_andRecover()
      throws Exception {
    lostConnections(DurableSpendRecorder.Mode.EMBEDDED, true);
  }

  private void lostConnections(DurableSpendRecorder.Mode mode, boolean oneStep) throws Exception {
    DatabaseConfig.Postgres base = TestDatabases.postgresConfig(6);
    String app = "millicent_kill_" + base.schema();
    DatabaseConfig.Postgres config =
        new DatabaseConfig.Postgres(
            base.jdbcUrl() + (base.jdbcUrl().contains("?") ? "&" : "?") + "ApplicationName=" + app,
            base.schema(),
            base.maxPoolSize());
    Run run;
    int killed = 0;
    try (Database db = Database.open(config);
        DurableSpendRecorder recorder =
            DurableSpendRecorder.open(db, mode, InstantSource.system());
        Connection admin = TestDatabases.adminConnection()) {
      AtomicBoolean stop = new AtomicBoolean();
      Run[] holder = new Run[1];
      Thread spenders =
          Thread.ofPlatform()
              .start(
                  () -> {
                    try {
                      holder[0] = spend(recorder, 16, stop, 0, oneStep);
                    } catch (Exception e) {
                      throw new IllegalStateException(e);
                    }
                  });
      for (int round = 0; round < 5; round++) {
        Thread.sleep(300);
        try (PreparedStatement ps =
            admin.prepareStatement(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
                    + " WHERE application_name = ?")) {
          ps.setString(1, app);
          try (ResultSet rs = ps.executeQuery()) {
            rs.next();
            killed += rs.getInt(1);
          }
        }
      }
      Thread.sleep(500);
      stop.set(true);
      spenders.join();
      run = holder[0];

      assertThat(killed).as("backends terminated").isPositive();
      assertThat(run.acknowledged()).isNotEmpty();
      assertThat(run.errors())
          .allSatisfy(
              e ->
                  assertThat(e.code()).isIn(StorageException.UNAVAILABLE, StorageException.FAILED));

      // The same recorder works again: the pool has replaced the killed connections.
      ScripId fresh = new ScripId(2, 1L << 40);
      assertThat(recorder.claim(fresh, EXPIRES, CrashChild.fingerprint(1)))
          .isInstanceOf(SpendRecorder.Claimed.class);
      recorder.commit(
          new SpendRecord(fresh, EXPIRES, CrashChild.fingerprint(1), 1, Optional.empty()));
    }
    try (Database db = Database.open(config);
        DurableSpendRecorder recorder =
            DurableSpendRecorder.open(db, mode, InstantSource.system())) {
      for (long s : run.acknowledged()) {
        assertThat(recorder.claim(new ScripId(2, s), EXPIRES, CrashChild.fingerprint(s)))
            .as("acknowledged spend %d", s)
            .isInstanceOf(SpendRecorder.Replayed.class);
      }
      // A failed one-step spend is not durable, or (its outcome was in doubt) durable for that
      // request only: the customer's retry gets it or its change, never "spent". (A claim in doubt
      // can stay until the stale-claim sweep, so this holds for one-step spends only.)
      for (long s : oneStep ? run.failed() : Set.<Long>of()) {
        SpendRecord retry =
            new SpendRecord(
                new ScripId(2, s), EXPIRES, CrashChild.fingerprint(s), 7, Optional.empty());
        assertThat(recorder.spend(retry))
            .as("retry of failed spend %d", s)
            .isNotInstanceOf(SpendRecorder.AlreadySpent.class);
      }
    }
    System.out.printf(
        "lost connections (%s%s): %d backends killed, %d acknowledged, %d failed and reported%n",
        mode,
        oneStep ? ", one-step spends" : "",
        killed,
        run.acknowledged().size(),
        run.failed().size());
  }
}
