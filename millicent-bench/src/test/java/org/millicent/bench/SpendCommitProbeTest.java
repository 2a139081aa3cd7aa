package org.millicent.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.millicent.purchase.SpendRecorder.SpendRecord;
import org.millicent.scrip.ScripId;
import org.millicent.storage.Database;
import org.millicent.storage.StorageException;
import org.millicent.storage.testing.TestDatabases;

class SpendCommitProbeTest {
  private static final Instant EXPIRES = Instant.parse("2035-01-01T00:00:00Z");

  @TempDir Path tmp;

  private static SpendRecord record(long serial) {
    return new SpendRecord(new ScripId(3, serial), EXPIRES, new byte[16], 100, Optional.empty());
  }

  /** A clock that moves 10 us each time it is read. */
  private static LongSupplier ticking() {
    long[] now = {0};
    return () -> now[0] += 10_000;
  }

  private static long rows(Database db) {
    return db.withHandle(
        h -> h.createQuery("SELECT count(*) FROM vendor_spends").mapTo(Long.class).one());
  }

  @Test
  void result_dividesBySpendsAndBatches() {
    SpendCommitProbe.Result r = new SpendCommitProbe.Result(64, 10, 1_000_000, 300_000, 600_000);

    assertThat(r.spendsPerSecond()).isCloseTo(640_000, within(1e-6));
    assertThat(r.cycleMicros()).isCloseTo(100, within(1e-9));
    assertThat(r.insertMicros()).isCloseTo(30, within(1e-9));
    assertThat(r.commitMicros()).isCloseTo(60, within(1e-9));
    assertThat(new SpendCommitProbe.Result(64, 0, 0, 0, 0).spendsPerSecond()).isZero();
  }

  @Test
  void run_writesWholeBatches_andMeasuresOnlyAfterTheWarmUp() throws Exception {
    try (Database db = TestDatabases.sqlite(tmp)) {
      // Each batch reads the clock three times (30 us): a 60 us warm-up is 2 batches, a 90 us
      // measurement 3, measured from the clock read that ends the warm-up.
      SpendCommitProbe.Result r =
          SpendCommitProbe.run(
              db,
              5,
              Duration.ofNanos(60_000),
              Duration.ofNanos(90_000),
              SpendCommitProbeTest::record,
              ticking());

      assertThat(r.batchSize()).isEqualTo(5);
      assertThat(r.batches()).isEqualTo(3);
      assertThat(r.elapsedNanos()).isEqualTo(90_000);
      assertThat(r.insertNanos()).isEqualTo(3 * 10_000);
      assertThat(r.commitNanos()).isEqualTo(3 * 10_000);
      assertThat(rows(db)).as("warm-up and measured batches, whole").isEqualTo(5 * 5);
    }
  }

  @Test
  void run_withAnIdUsedTwice_failsAndLeavesNothingOfTheBatch() throws Exception {
    try (Database db = TestDatabases.sqlite(tmp)) {
      assertThatThrownBy(
              () ->
                  SpendCommitProbe.run(
                      db, 4, Duration.ofNanos(1), Duration.ofNanos(1), s -> record(s % 3)))
          .isInstanceOf(StorageException.class)
          .hasMessageContaining("scrip ID was used");
      assertThat(rows(db)).as("the failed batch is rolled back").isZero();
    }
  }

  @Test
  void run_onADatabaseWithSpends_isRefusedBeforeWritingAnything() throws Exception {
    try (Database db = TestDatabases.sqlite(tmp)) {
      SpendCommitProbe.run(
          db, 2, Duration.ZERO, Duration.ofNanos(1), SpendCommitProbeTest::record, ticking());
      long before = rows(db);

      assertThatThrownBy(
              () ->
                  SpendCommitProbe.run(
                      db, 2, Duration.ZERO, Duration.ofNanos(1), s -> record(1_000 + s)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("already has spends");
      assertThat(rows(db)).isEqualTo(before);
    }
  }

  @Test
  void run_acceptsBatchesOfOneToTheLargest_andRefusesOthers() throws Exception {
    try (Database db = TestDatabases.sqlite(tmp)) {
      for (int size : new int[] {0, SpendCommitProbe.MAX_BATCH_SIZE + 1}) {
        assertThatThrownBy(
                () ->
                    SpendCommitProbe.run(
                        db, size, Duration.ZERO, Duration.ZERO, SpendCommitProbeTest::record))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("batch size");
      }
      SpendCommitProbe.Result largest =
          SpendCommitProbe.run(
              db,
              SpendCommitProbe.MAX_BATCH_SIZE,
              Duration.ZERO,
              Duration.ofNanos(1),
              SpendCommitProbeTest::record,
              ticking());
      assertThat(largest.batches()).isEqualTo(1);
      assertThat(rows(db)).isEqualTo(SpendCommitProbe.MAX_BATCH_SIZE);
    }
  }
}
