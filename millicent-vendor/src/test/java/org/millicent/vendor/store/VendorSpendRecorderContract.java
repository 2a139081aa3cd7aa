package org.millicent.vendor.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.millicent.contracts.DurableSpendRecorderContract;
import org.millicent.purchase.SpendRecorder;
import org.millicent.purchase.SpendRecorder.SpendRecord;
import org.millicent.scrip.ScripId;
import org.millicent.storage.Database;
import org.millicent.storage.StorageException;

/**
 * The public durable spend contract, plus what the vendor's {@link DurableSpendRecorder} adds:
 * asynchronous commits and spends, statistics, the rows of dropped blocks, and failing as closed
 * after {@code close}. Run against each database and mode.
 */
abstract class VendorSpendRecorderContract
    extends DurableSpendRecorderContract<DurableSpendRecorder> {
  Database db;

  /** A fresh database with nothing in it. */
  abstract Database newDatabase();

  /** Opens the recorder under test on {@code db}. */
  abstract DurableSpendRecorder open(Database db);

  @Override
  protected final DurableSpendRecorder open() {
    if (db == null) {
      db = newDatabase();
    }
    return open(db);
  }

  @Override
  protected final void close(DurableSpendRecorder r) {
    r.close();
  }

  @Override
  protected final void closeStore() {
    db.close();
  }

  @Override
  protected final void reopen() {
    recorder.close();
    recorder = open(db);
  }

  @Test
  void concurrentCommits_areCounted() throws Exception {
    int threads = 8;
    int each = 50;
    concurrently(
        threads,
        thread -> {
          for (int i = 0; i < each; i++) {
            ScripId id = new ScripId(5, thread * 1000L + i);
            recorder.claim(id, EXPIRES, fp(1));
            recorder.commit(record(id, 1, i, Optional.empty()));
          }
        });
    assertThat(recorder.stats().commits()).isEqualTo((long) threads * each);
  }

  @Test
  void commitAsync_completesOnceDurable() {
    ScripId id = new ScripId(6, 1);
    recorder.claim(id, EXPIRES, fp(1));
    recorder.commitAsync(record(id, 1, 3, Optional.empty())).join();
    reopen();
    assertThat(recorder.claim(id, EXPIRES, fp(2))).isInstanceOf(SpendRecorder.AlreadySpent.class);
  }

  @Test
  void dropExpiredBefore_deletesRowsOfExpiredScripOnly() {
    Instant soon = Instant.parse("2026-01-01T00:00:00Z");
    ScripId old = new ScripId(7, 1);
    ScripId current = new ScripId(7, 1L << 20);
    recorder.spend(new SpendRecord(old, soon, fp(1), 1, Optional.empty()));
    recorder.spend(record(current, 1, 1, Optional.empty()));

    recorder.dropExpiredBefore(soon.plusSeconds(1));

    assertThat(rowCount()).isEqualTo(1);
  }

  @Test
  void commit_afterClose_failsAsClosed() {
    ScripId id = new ScripId(8, 1);
    recorder.claim(id, EXPIRES, fp(1));
    recorder.close();
    assertThatThrownBy(() -> recorder.commit(record(id, 1, 1, Optional.empty())))
        .isInstanceOf(StorageException.class)
        .hasMessageContaining("storage-closed");
    recorder = open(db);
  }

  @Test
  void spendAsync_completesOnceDurable() {
    ScripId id = new ScripId(13, 1);
    assertThat(recorder.spendAsync(record(id, 1, 3, Optional.empty())).join())
        .isInstanceOf(SpendRecorder.Claimed.class);
    assertThat(recorder.spendAsync(record(id, 2, 3, Optional.empty())).join())
        .isInstanceOf(SpendRecorder.AlreadySpent.class);
    reopen();
    assertThat(recorder.claim(id, EXPIRES, fp(1)))
        .isEqualTo(new SpendRecorder.Replayed(3, Optional.empty()));
  }

  @Test
  void spend_afterClose_failsAsClosed_andNothingIsSpent() {
    ScripId id = new ScripId(13, 2);
    recorder.close();
    assertThatThrownBy(() -> recorder.spend(record(id, 1, 1, Optional.empty())))
        .isInstanceOf(StorageException.class)
        .hasMessageContaining("storage-closed");
    recorder = open(db);
    assertThat(recorder.claim(id, EXPIRES, fp(1))).isInstanceOf(SpendRecorder.Claimed.class);
  }

  /**
   * A commit lost with the storage (the spent list is gone when its batch is written, and still
   * gone when the claim is released) leaves the scrip spendable once the storage is back: the
   * customer's value is not held until a restart. Embedded mode decides it at the next claim, by
   * reading the table; shared mode's claim row waits for the stale-claim sweep, run here.
   */
  @Test
  void aCommitLostWithTheStorage_isSpendableAgain_onceTheStorageIsBack() {
    ScripId id = new ScripId(14, 1);
    assertThat(recorder.claim(id, EXPIRES, fp(1))).isInstanceOf(SpendRecorder.Claimed.class);
    whileSpentListHidden(
        () -> {
          assertThatThrownBy(() -> recorder.commit(record(id, 1, 5, Optional.empty())))
              .isInstanceOf(StorageException.class);
          recorder.release(id);
          assertThatThrownBy(() -> recorder.claim(id, EXPIRES, fp(1)))
              .as("undecidable while the table cannot be read")
              .isInstanceOf(StorageException.class);
        });
    if (recorder.mode() == DurableSpendRecorder.Mode.SHARED) {
      recorder.releaseStaleClaims(Instant.now().plus(DurableSpendRecorder.STALE_CLAIM_AGE));
    }

    assertThat(recorder.claim(id, EXPIRES, fp(1))).isInstanceOf(SpendRecorder.Claimed.class);
    recorder.commit(record(id, 1, 5, Optional.empty()));
    assertThat(recorder.claim(id, EXPIRES, fp(2))).isInstanceOf(SpendRecorder.AlreadySpent.class);
  }

  /** The same for a one-step spend whose batch failed: nothing was recorded, nothing is held. */
  @Test
  void aSpendLostWithTheStorage_isSpendableAgain_onceTheStorageIsBack() {
    ScripId id = new ScripId(14, 2);
    spendFailsWhileHidden(record(id, 1, 5, Optional.empty()));

    assertThat(recorder.spend(record(id, 2, 5, Optional.empty())))
        .as("another request may spend it: the failed one was never recorded")
        .isInstanceOf(SpendRecorder.Claimed.class);
    assertThat(recorder.spend(record(id, 1, 5, Optional.empty())))
        .isInstanceOf(SpendRecorder.AlreadySpent.class);
  }

  /**
   * A spend that reached the table although its batch was reported failed (the row below is put
   * there while the list is hidden, as a write that landed before the failure) stays spent once the
   * table can tell: only a spend that was not recorded is released.
   */
  @Test
  void aSpendThatReachedTheTableBeforeItsBatchFailed_staysSpent_andIsReplayed() {
    ScripId id = new ScripId(14, 3);
    whileSpentListHidden(
        () -> {
          assertThatThrownBy(() -> recorder.spend(record(id, 1, 5, Optional.empty())))
              .isInstanceOf(StorageException.class);
          db.withHandle(
              h ->
                  h.execute(
                      "INSERT INTO vendor_spends_away (scrip_id, expires_at, fingerprint,"
                          + " price_millicents) VALUES (?, ?, ?, 5)",
                      id.toLong(),
                      EXPIRES.getEpochSecond(),
                      fp(1)));
        });

    assertThat(recorder.spend(record(id, 2, 5, Optional.empty())))
        .isInstanceOf(SpendRecorder.AlreadySpent.class);
    assertThat(recorder.claim(id, EXPIRES, fp(1)))
        .isEqualTo(new SpendRecorder.Replayed(5, Optional.empty()));
  }

  /** Renames the spent list behind the recorder's back, as a storage failure hides it. */
  void hideSpentList() {
    db.withHandle(h -> h.execute("ALTER TABLE vendor_spends RENAME TO vendor_spends_away"));
  }

  void restoreSpentList() {
    db.withHandle(h -> h.execute("ALTER TABLE vendor_spends_away RENAME TO vendor_spends"));
  }

  /** Runs {@code steps} with the spent list hidden ({@link #hideSpentList}), restoring it after. */
  void whileSpentListHidden(Runnable steps) {
    hideSpentList();
    try {
      steps.run();
    } finally {
      restoreSpentList();
    }
  }

  /** A one-step spend of {@code r} that fails because the spent list is hidden. */
  void spendFailsWhileHidden(SpendRecord r) {
    whileSpentListHidden(
        () -> assertThatThrownBy(() -> recorder.spend(r)).isInstanceOf(StorageException.class));
  }

  /** The commit of {@code r}, claimed before, failing because the spent list is hidden. */
  void commitFailsWhileHidden(SpendRecord r) {
    whileSpentListHidden(
        () -> assertThatThrownBy(() -> recorder.commit(r)).isInstanceOf(StorageException.class));
  }

  long rowCount() {
    return db.withHandle(
        h -> h.createQuery("SELECT count(*) FROM vendor_spends").mapTo(Long.class).one());
  }
}
