package org.millicent.storage.vendor;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.InstantSource;
import org.junit.jupiter.api.Test;
import org.millicent.purchase.SpendRecorder;
import org.millicent.scrip.ScripId;
import org.millicent.storage.Database;
import org.millicent.storage.testing.TestDatabases;

class PostgresSharedSpendRecorderTest extends SpendRecorderContract {
  @Override
  Database newDatabase() {
    return Database.open(TestDatabases.postgresConfig(4));
  }

  @Override
  DurableSpendRecorder open(Database db) {
    return DurableSpendRecorder.open(db);
  }

  @Test
  void open_onPostgres_isShared() {
    assertThat(recorder.mode()).isEqualTo(DurableSpendRecorder.Mode.SHARED);
  }

  @Test
  void twoRecordersOnOneSchema_aClaimByOneIsSpentForTheOther() {
    try (Database second = Database.open(db.config());
        DurableSpendRecorder other = DurableSpendRecorder.open(second)) {
      ScripId id = new ScripId(1, 99);
      assertThat(recorder.claim(id, EXPIRES, fp(1))).isInstanceOf(SpendRecorder.Claimed.class);
      assertThat(other.claim(id, EXPIRES, fp(2))).isInstanceOf(SpendRecorder.AlreadySpent.class);
      assertThat(other.claim(id, EXPIRES, fp(1))).isInstanceOf(SpendRecorder.InProgress.class);
      recorder.release(id);
      assertThat(other.claim(id, EXPIRES, fp(1))).isInstanceOf(SpendRecorder.Claimed.class);
    }
  }

  @Test
  void releaseStaleClaims_freesClaimsOfACrashedProcess() {
    ScripId id = new ScripId(1, 98);
    recorder.claim(id, EXPIRES, fp(1));
    assertThat(recorder.releaseStaleClaims(InstantSource.system().instant().plusSeconds(5)))
        .isEqualTo(1);
    assertThat(recorder.claim(id, EXPIRES, fp(2))).isInstanceOf(SpendRecorder.Claimed.class);
  }
}
