package org.millicent.vendor.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.millicent.purchase.SpendRecorder;
import org.millicent.purchase.SpendRecorder.SpendRecord;
import org.millicent.scrip.ScripId;
import org.millicent.storage.Database;
import org.millicent.storage.DatabaseConfig;
import org.millicent.storage.StorageException;
import org.millicent.storage.testing.TestDatabases;

class SqliteSpendRecorderTest extends VendorSpendRecorderContract {
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

  /**
   * Two processes deciding spends in memory over one SQLite file would each accept the same scrip:
   * the second spent list on a file is refused while the first is open, and allowed once it closes.
   */
  @Test
  void secondSpentListOnTheSameSqliteFile_isRefusedWhileTheFirstIsOpen() {
    ScripId id = new ScripId(9, 77);
    recorder.spend(record(id, 1, 1, Optional.empty()));
    DatabaseConfig.Sqlite file = (DatabaseConfig.Sqlite) db.config();
    try (Database other = Database.open(file)) {
      assertThatThrownBy(() -> DurableSpendRecorder.open(other))
          .isInstanceOfSatisfying(
              StorageException.class, e -> assertThat(e.code()).isEqualTo(StorageException.CONFIG))
          .hasMessageContaining("would accept the same scrip twice");
      recorder.close();
      try (DurableSpendRecorder second = DurableSpendRecorder.open(other)) {
        assertThat(second.claim(id, EXPIRES, fp(2))).isInstanceOf(SpendRecorder.AlreadySpent.class);
      }
    }
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

  @Test
  void dropExpiredBefore_deletesTheRowsOfDroppedBlocks_keepsABlockWithUnexpiredScrip() {
    Instant soon = Instant.parse("2026-01-01T00:00:00Z");
    // Block A: all expire soon. Block B: one expires soon, one later, so B stays whole.
    ScripId a1 = new ScripId(11, 1);
    ScripId a2 = new ScripId(11, 2);
    ScripId b1 = new ScripId(11, 1L << 20);
    ScripId b2 = new ScripId(11, (1L << 20) + 1);
    for (ScripId id : new ScripId[] {a1, a2, b1}) {
      recorder.spend(new SpendRecord(id, soon, fp(1), 1, Optional.empty()));
    }
    recorder.spend(record(b2, 1, 1, Optional.empty()));

    assertThat(recorder.dropExpiredBefore(soon.plusSeconds(1))).isEqualTo(1);

    assertThat(rowCount()).isEqualTo(2);
    reopen();
    assertThat(recorder.spend(new SpendRecord(a1, soon, fp(2), 1, Optional.empty())))
        .isInstanceOf(SpendRecorder.AlreadySpent.class);
    assertThat(recorder.spend(record(b2, 1, 1, Optional.empty())))
        .as("same request again")
        .isInstanceOf(SpendRecorder.Replayed.class);
  }

  @Test
  void reopen_deletesRowsExpiredBeforeTheHorizon_thatNoBlockHolds() throws Exception {
    Instant soon = Instant.parse("2026-01-01T00:00:00Z");
    ScripId id = new ScripId(12, 5);
    recorder.dropExpiredBefore(soon.plusSeconds(60));
    // As if a crash came between dropping the memory block and deleting its rows.
    db.withHandle(
        h ->
            h.execute(
                "INSERT INTO vendor_spends (scrip_id, expires_at, fingerprint, price_millicents)"
                    + " VALUES (?, ?, ?, 1)",
                id.toLong(),
                soon.getEpochSecond(),
                fp(1)));
    assertThat(rowCount()).isEqualTo(1);

    reopen();

    assertThat(rowCount()).isZero();
    assertThat(recorder.spend(new SpendRecord(id, soon, fp(2), 1, Optional.empty())))
        .as("expired before the horizon: refused though its row is gone")
        .isInstanceOf(SpendRecorder.AlreadySpent.class);
  }

  /**
   * A scrip in doubt that no one tries again is decided by the next expiry sweep, so that the
   * doubts of an outage do not linger in memory.
   */
  @Test
  void aScripInDoubt_isDecidedByTheNextExpirySweep() {
    ScripId id = new ScripId(14, 4);
    spendFailsWhileHidden(record(id, 1, 5, Optional.empty()));
    assertThat(recorder.spentSet().markedCount()).as("in doubt").isEqualTo(1);

    recorder.dropExpiredBefore(Instant.parse("2000-01-01T00:00:00Z"));

    assertThat(recorder.spentSet().markedCount()).isZero();
  }

  /**
   * A failed commit's release that runs while another request for the same scrip is registered but
   * has not marked it (it will fail to: the scrip is still marked) must not be skipped: the
   * stranger does not own the mark, so skipping left the scrip refused, without a doubt to decide
   * it, until a restart. Here the storage is still down at the release, so the scrip is in doubt
   * and decided once the storage is back.
   */
  @Test
  void aFailedCommitsRelease_duringAStrangersSpendOfTheScrip_stillPutsItInDoubt() {
    ScripId id = new ScripId(14, 5);
    EmbeddedSpendRecorder embedded = (EmbeddedSpendRecorder) recorder;
    assertThat(recorder.claim(id, EXPIRES, fp(1))).isInstanceOf(SpendRecorder.Claimed.class);
    try {
      whileSpentListHidden(
          () -> {
            assertThatThrownBy(() -> recorder.commit(record(id, 1, 5, Optional.empty())))
                .isInstanceOf(StorageException.class);
            // The owner releases its claim just after the stranger registered its spend.
            embedded.afterSpendRegisteredForTest = () -> recorder.release(id);
            assertThatThrownBy(() -> recorder.spend(record(id, 2, 5, Optional.empty())))
                .as("the stranger cannot be told yet either")
                .isInstanceOf(StorageException.class);
          });
    } finally {
      embedded.afterSpendRegisteredForTest = () -> {};
    }

    assertThat(recorder.spend(record(id, 3, 5, Optional.empty())))
        .as("the lost commit was not recorded: spendable again without a restart")
        .isInstanceOf(SpendRecorder.Claimed.class);
  }

  /**
   * The same window with the storage back at the release: the release unmarks the scrip, and the
   * stranger, marking right after, owns a legitimate spend of it.
   */
  @Test
  void aFailedCommitsRelease_duringAStrangersSpendOfTheScrip_letsTheStrangerSpendIt() {
    ScripId id = new ScripId(14, 6);
    EmbeddedSpendRecorder embedded = (EmbeddedSpendRecorder) recorder;
    assertThat(recorder.claim(id, EXPIRES, fp(1))).isInstanceOf(SpendRecorder.Claimed.class);
    commitFailsWhileHidden(record(id, 1, 5, Optional.empty()));
    embedded.afterSpendRegisteredForTest = () -> recorder.release(id);
    try {
      assertThat(recorder.spend(record(id, 2, 5, Optional.empty())))
          .isInstanceOf(SpendRecorder.Claimed.class);
    } finally {
      embedded.afterSpendRegisteredForTest = () -> {};
    }

    assertThat(recorder.spend(record(id, 3, 5, Optional.empty())))
        .isInstanceOf(SpendRecorder.AlreadySpent.class);
    reopen();
    assertThat(recorder.claim(id, EXPIRES, fp(2)))
        .isEqualTo(new SpendRecorder.Replayed(5, Optional.empty()));
  }

  @Test
  void migrated_spentListHasNoExpiryIndex() {
    long indexes =
        db.withHandle(
            h ->
                h.createQuery(
                        "SELECT count(*) FROM sqlite_master WHERE type = 'index'"
                            + " AND tbl_name = 'vendor_spends' AND sql IS NOT NULL")
                    .mapTo(Long.class)
                    .one());
    assertThat(indexes).as("only the primary key, no second B-tree per spend").isZero();
  }

  @Test
  void reopen_withADamagedSpentTable_isRefusedAsCorrupt_insteadOfForgettingSpends()
      throws Exception {
    List<CompletableFuture<SpendRecorder.Claim>> spends = new ArrayList<>();
    for (int i = 0; i < 5_000; i++) {
      spends.add(recorder.spendAsync(record(new ScripId(13, i), 1, 1, Optional.empty())));
    }
    spends.forEach(CompletableFuture::join);
    long root =
        db.withHandle(
            h ->
                h.createQuery("SELECT rootpage FROM sqlite_master WHERE name = 'vendor_spends'")
                    .mapTo(Long.class)
                    .one());
    long pageSize = db.withHandle(h -> h.createQuery("PRAGMA page_size").mapTo(Long.class).one());
    Path file = ((DatabaseConfig.Sqlite) db.config()).file();
    recorder.close();
    db.close(); // the last connection checkpoints the log into the file
    assertThat(root).as("the spent table spans more than its root page").isGreaterThan(1);

    // Destroy the root page of the spent table's B-tree, as a bad disk block would.
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
      ByteBuffer junk = ByteBuffer.allocate((int) pageSize);
      while (junk.hasRemaining()) {
        junk.put((byte) 0xA5);
      }
      junk.flip();
      ch.write(junk, (root - 1) * pageSize);
    }

    try (Database damaged = Database.open(new DatabaseConfig.Sqlite(file))) {
      assertThatThrownBy(() -> DurableSpendRecorder.open(damaged))
          .as("a start that rebuilt an empty set would accept 5 000 spent scrip again")
          .isInstanceOf(StorageException.class)
          .hasMessageContaining(file.getFileName().toString())
          .extracting(e -> ((StorageException) e).code())
          .isEqualTo(StorageException.CORRUPT);
    }
  }
}
