package org.millicent.vendor.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.InstantSource;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.millicent.purchase.SpendRecorder;
import org.millicent.scrip.ScripId;
import org.millicent.storage.Database;
import org.millicent.storage.testing.TestDatabases;

class PostgresSharedSpendRecorderTest extends VendorSpendRecorderContract {
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
  void claimOfADeadReplica_isTakenOverByAnIdenticalRetry_thenCommittedOnce() {
    ScripId id = new ScripId(1, 97);
    Database second = Database.open(db.config());
    DurableSpendRecorder dying = DurableSpendRecorder.open(second);
    assertThat(dying.claim(id, EXPIRES, fp(1))).isInstanceOf(SpendRecorder.Claimed.class);
    assertThat(recorder.claim(id, EXPIRES, fp(1)))
        .as("its owner is alive")
        .isInstanceOf(SpendRecorder.InProgress.class);

    // The replica dies between claim and commit: its connections, and so its lock, are gone.
    dying.close();
    second.close();

    assertThat(recorder.claim(id, EXPIRES, fp(2)))
        .as("another request still finds the scrip spent")
        .isInstanceOf(SpendRecorder.AlreadySpent.class);
    assertThat(recorder.claim(id, EXPIRES, fp(1)))
        .as("the identical retry takes the claim over")
        .isInstanceOf(SpendRecorder.Claimed.class);
    assertThat(recorder.claim(id, EXPIRES, fp(1)))
        .as("and now holds it")
        .isInstanceOf(SpendRecorder.InProgress.class);
    org.millicent.scrip.Scrip ch = change(900);
    recorder.commit(record(id, 1, 100, Optional.of(ch)));
    assertThat(recorder.claim(id, EXPIRES, fp(1)))
        .isEqualTo(new SpendRecorder.Replayed(100, Optional.of(ch)));
    assertThat(rowCount()).isEqualTo(1);
  }

  @Test
  void twoReplicasRetryingADeadReplicasClaim_exactlyOneTakesItOver() {
    ScripId id = new ScripId(1, 96);
    Database dyingDb = Database.open(db.config());
    DurableSpendRecorder dying = DurableSpendRecorder.open(dyingDb);
    dying.claim(id, EXPIRES, fp(1));
    dying.close();
    dyingDb.close();
    try (Database otherDb = Database.open(db.config());
        DurableSpendRecorder other = DurableSpendRecorder.open(otherDb)) {
      SpendRecorder.Claim a = recorder.claim(id, EXPIRES, fp(1));
      SpendRecorder.Claim b = other.claim(id, EXPIRES, fp(1));
      assertThat(List.of(a, b)).filteredOn(c -> c instanceof SpendRecorder.Claimed).hasSize(1);
      assertThat(List.of(a, b)).filteredOn(c -> c instanceof SpendRecorder.InProgress).hasSize(1);
    }
  }

  @Test
  void aReplicaWhoseClaimWasTakenOver_cannotCommitOrReleaseIt() throws Exception {
    ScripId id = new ScripId(1, 95);
    Database slowDb = Database.open(db.config());
    DurableSpendRecorder slow = DurableSpendRecorder.open(slowDb);
    try {
      slow.claim(id, EXPIRES, fp(1));
      // Its lock session ends (as when its database connection breaks) while it still runs.
      db.withHandle(
          h ->
              h.createQuery(
                      "SELECT pg_terminate_backend(pid) FROM pg_locks WHERE locktype = 'advisory'"
                          + " AND classid = :c::bigint::oid AND objid = :id::bigint::oid"
                          + " AND objsubid = 2")
                  .bind("c", slow.replicaLockClass())
                  .bind("id", slow.replicaId())
                  .mapTo(Boolean.class)
                  .list());
      awaitLockGone(slow.replicaLockClass(), slow.replicaId());
      assertThat(recorder.claim(id, EXPIRES, fp(1))).isInstanceOf(SpendRecorder.Claimed.class);

      slow.release(id);
      assertThatThrownBy(() -> slow.commit(record(id, 1, 5, Optional.of(change(995)))))
          .isInstanceOf(org.millicent.storage.StorageException.class);

      recorder.commit(record(id, 1, 5, Optional.of(change(995))));
      assertThat(recorder.claim(id, EXPIRES, fp(1))).isInstanceOf(SpendRecorder.Replayed.class);
    } finally {
      slow.close();
      slowDb.close();
    }
  }

  /** The backend of a terminated session exits a moment after it is told to. */
  private void awaitLockGone(long lockClass, long replicaId) throws InterruptedException {
    for (int i = 0; i < 1000; i++) {
      boolean held =
          db.withHandle(
              h ->
                  h.createQuery(
                          "SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory'"
                              + " AND classid = :c::bigint::oid AND objid = :id::bigint::oid"
                              + " AND objsubid = 2)")
                      .bind("c", lockClass)
                      .bind("id", replicaId)
                      .mapTo(Boolean.class)
                      .one());
      if (!held) {
        return;
      }
      Thread.sleep(10);
    }
    throw new AssertionError("the lock of replica " + replicaId + " is still held");
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
