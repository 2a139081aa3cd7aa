package org.millicent.storage.vendor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
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

  @Test
  void run_writesWholeBatchesAndCountsOnlyTheMeasuredOnes() throws Exception {
    try (Database db = TestDatabases.sqlite(tmp)) {
      SpendCommitProbe.Result r =
          SpendCommitProbe.run(db, 5, Duration.ofMillis(20), Duration.ofMillis(50), s -> record(s));

      assertThat(r.batchSize()).isEqualTo(5);
      assertThat(r.batches()).isPositive();
      assertThat(r.spendsPerSecond()).isPositive();
      assertThat(r.insertMicros() + r.commitMicros()).isLessThanOrEqualTo(r.cycleMicros());
      long rows;
      try (Connection c = db.dataSource().getConnection();
          Statement st = c.createStatement();
          ResultSet rs = st.executeQuery("SELECT count(*) FROM vendor_spends")) {
        rs.next();
        rows = rs.getLong(1);
      }
      // Warm-up batches are written too, and every batch is whole.
      assertThat(rows % 5).isZero();
      assertThat(rows).isGreaterThan(r.batches() * 5);
    }
  }

  @Test
  void run_withAnIdUsedTwice_failsInsteadOfCountingTheUnwrittenRow() {
    try (Database db = TestDatabases.sqlite(tmp)) {
      assertThatThrownBy(
              () ->
                  SpendCommitProbe.run(
                      db, 4, Duration.ofMillis(10), Duration.ofMillis(10), s -> record(s % 3)))
          .isInstanceOf(StorageException.class)
          .hasMessageContaining("used");
    }
  }

  @Test
  void run_withABatchSizeOutOfRange_isRefused() {
    try (Database db = TestDatabases.sqlite(tmp)) {
      assertThatThrownBy(
              () ->
                  SpendCommitProbe.run(
                      db, 0, Duration.ZERO, Duration.ZERO, SpendCommitProbeTest::record))
          .isInstanceOf(IllegalArgumentException.class);
    }
  }
}
