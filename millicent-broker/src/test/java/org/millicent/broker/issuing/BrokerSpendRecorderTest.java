package org.millicent.broker.issuing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.InstantSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.millicent.broker.Broker;
import org.millicent.contracts.SpendClaimContract;
import org.millicent.purchase.SpendRecorder;
import org.millicent.purchase.SpendRecorder.SpendRecord;
import org.millicent.scrip.ScripId;
import org.millicent.storage.Database;
import org.millicent.storage.testing.TestDatabases;

/**
 * The broker's spent list of its own scrip against the claim contract. Not against the replay and
 * one-step spend contract: its commit only confirms a spend the issuing batch already wrote to the
 * books ({@link BrokerSpendRecorder#markDurable}), and replays are answered from those books, so
 * here a commit is what {@code Sales} does: mark durable, then commit.
 */
class BrokerSpendRecorderTest extends SpendClaimContract<BrokerSpendRecorder> {
  @TempDir Path dir;
  private Database db;

  @Override
  protected BrokerSpendRecorder open() {
    if (db == null) {
      db = TestDatabases.sqlite(dir);
      db.migrate(Broker.COMPONENT);
    }
    return new BrokerSpendRecorder(db, "bob", InstantSource.system());
  }

  @Override
  protected void closeStore() {
    db.close();
  }

  @Override
  protected void commit(SpendRecord record) {
    recorder.markDurable(record.id());
    recorder.commit(record);
  }

  @Test
  void aReloadKeepsTheClaimInFlight_andItsRequest() {
    ScripId id = new ScripId(3, 42);
    recorder.claim(id, EXPIRES, fp(1));
    recorder.reload();

    assertThat(recorder.claim(id, EXPIRES, fp(1))).isInstanceOf(SpendRecorder.InProgress.class);
    assertThat(recorder.claim(id, EXPIRES, fp(2))).isInstanceOf(SpendRecorder.AlreadySpent.class);
  }
}
