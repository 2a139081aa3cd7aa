package org.millicent.storage.vendor;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.millicent.purchase.SpendRecorder;
import org.millicent.purchase.SpendRecorder.SpendRecord;
import org.millicent.scrip.ScripId;
import org.millicent.storage.Database;
import org.millicent.storage.testing.TestDatabases;

class SqliteSpendRecorderTest extends SpendRecorderContract {
  @TempDir Path tmp;

  @Override
  Database newDatabase() {
    return TestDatabases.sqlite(tmp);
  }

  @Override
  DurableSpendRecorder open(Database db) {
    return DurableSpendRecorder.open(db);
  }

  @Test
  void open_onSqlite_isEmbedded() {
    assertThat(recorder.mode()).isEqualTo(DurableSpendRecorder.Mode.EMBEDDED);
  }

  @Test
  void reopen_rebuildsTheInMemorySetFromTheTable() {
    for (int i = 0; i < 100; i++) {
      ScripId id = new ScripId(9, i);
      recorder.claim(id, EXPIRES, fp(1));
      recorder.commit(record(id, 1, 1, Optional.empty()));
    }
    reopen();
    assertThat(recorder.spentSet().markedCount()).isEqualTo(100);
  }

  @Test
  void reopen_uncommittedClaimIsForgotten() {
    ScripId id = new ScripId(9, 500);
    recorder.claim(id, EXPIRES, fp(1));
    reopen();
    assertThat(recorder.claim(id, EXPIRES, fp(1))).isInstanceOf(SpendRecorder.Claimed.class);
  }

  @Test
  void reopen_afterDrop_scripExpiringBeforeTheHorizonIsStillRefused() {
    Instant soon = Instant.parse("2026-01-01T00:00:00Z");
    ScripId id = new ScripId(9, 600);
    recorder.claim(id, soon, fp(1));
    recorder.commit(new SpendRecord(id, soon, fp(1), 1, Optional.empty()));
    recorder.dropExpiredBefore(soon.plusSeconds(60));
    reopen();
    assertThat(recorder.claim(id, soon, fp(2))).isInstanceOf(SpendRecorder.AlreadySpent.class);
  }
}
