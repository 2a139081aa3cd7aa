package org.millicent.broker.issuing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;
import java.time.InstantSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.millicent.broker.Broker;
import org.millicent.purchase.SpendRecorder;
import org.millicent.scrip.ScripId;
import org.millicent.storage.Database;
import org.millicent.storage.testing.TestDatabases;

/**
 * Issue 12, part 1, at the broker (itself a vendor of broker scrip): a request identical to one
 * still being bought is told "in progress", never "spent", so it waits for the first outcome.
 */
class BrokerSpendRecorderTest {
  private static final Instant EXPIRES = Instant.parse("2100-01-01T00:00:00Z");
  private static final ScripId ID = new ScripId(3, 42);

  @TempDir Path dir;
  private Database db;
  private BrokerSpendRecorder recorder;

  @BeforeEach
  void open() {
    db = TestDatabases.sqlite(dir);
    db.migrate(Broker.COMPONENT);
    recorder = new BrokerSpendRecorder(db, "bob", InstantSource.system());
  }

  @AfterEach
  void close() {
    db.close();
  }

  private static byte[] fp(int n) {
    byte[] f = new byte[16];
    f[0] = (byte) n;
    return f;
  }

  @Test
  void identicalClaimWhileTheFirstIsInFlight_isInProgress_anotherRequestIsSpent() {
    assertThat(recorder.claim(ID, EXPIRES, fp(1))).isInstanceOf(SpendRecorder.Claimed.class);

    assertThat(recorder.claim(ID, EXPIRES, fp(1))).isInstanceOf(SpendRecorder.InProgress.class);
    assertThat(recorder.claim(ID, EXPIRES, fp(2))).isInstanceOf(SpendRecorder.AlreadySpent.class);
  }

  @Test
  void afterTheFirstIsReleased_theIdenticalRequestClaimsIt() {
    recorder.claim(ID, EXPIRES, fp(1));
    recorder.release(ID);

    assertThat(recorder.claim(ID, EXPIRES, fp(1))).isInstanceOf(SpendRecorder.Claimed.class);
  }

  @Test
  void aReloadKeepsTheClaimInFlight_andItsRequest() {
    recorder.claim(ID, EXPIRES, fp(1));
    recorder.reload();

    assertThat(recorder.claim(ID, EXPIRES, fp(1))).isInstanceOf(SpendRecorder.InProgress.class);
    assertThat(recorder.claim(ID, EXPIRES, fp(2))).isInstanceOf(SpendRecorder.AlreadySpent.class);
  }
}
