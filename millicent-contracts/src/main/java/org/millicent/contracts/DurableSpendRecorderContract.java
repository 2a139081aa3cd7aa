package org.millicent.contracts;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.millicent.purchase.SpendRecorder;
import org.millicent.purchase.SpendRecorder.SpendRecord;
import org.millicent.scrip.Scrip;
import org.millicent.scrip.ScripId;

/**
 * What a durable {@link SpendRecorder} must do beyond {@link SpendRecorderContract}: a committed
 * spend stays spent and replayable after the recorder is closed and opened again on the same store,
 * and a released claim does not come back.
 *
 * @param <R> the recorder under test
 */
public abstract class DurableSpendRecorderContract<R extends SpendRecorder>
    extends SpendRecorderContract<R> {

  /** Creates a contract test. */
  protected DurableSpendRecorderContract() {}

  /**
   * Closes the recorder and opens it again on the same store, as a restart would.
   *
   * @throws Exception when closing fails
   */
  protected void reopen() throws Exception {
    close(recorder);
    recorder = open();
  }

  @Test
  void reopen_committedSpendsStaySpentAndReplayable() throws Exception {
    ScripId id = new ScripId(2, 1);
    Scrip change = change(10);
    recorder.claim(id, EXPIRES, fp(3));
    commit(record(id, 3, 90, Optional.of(change)));

    reopen();

    assertThat(recorder.claim(id, EXPIRES, fp(4))).isInstanceOf(SpendRecorder.AlreadySpent.class);
    assertThat(recorder.claim(id, EXPIRES, fp(3)))
        .isEqualTo(new SpendRecorder.Replayed(90, Optional.of(change)));
  }

  @Test
  void reopen_releasedClaimIsSpendable() throws Exception {
    ScripId id = new ScripId(2, 2);
    recorder.claim(id, EXPIRES, fp(1));
    recorder.release(id);
    reopen();
    assertThat(recorder.claim(id, EXPIRES, fp(1))).isInstanceOf(SpendRecorder.Claimed.class);
  }

  @Test
  void reopen_aSpendStaysSpent_andItsRetryIsReplayed() throws Exception {
    ScripId id = new ScripId(10, 7);
    Scrip first = change(900);
    assertThat(recorder.spend(record(id, 3, 100, Optional.of(first))))
        .isInstanceOf(SpendRecorder.Claimed.class);

    reopen();

    assertThat(recorder.spend(record(id, 3, 100, Optional.empty())))
        .isEqualTo(new SpendRecorder.Replayed(100, Optional.of(first)));
    assertThat(recorder.claim(id, EXPIRES, fp(2))).isInstanceOf(SpendRecorder.AlreadySpent.class);
  }

  @Test
  void reopen_afterDropExpiredBefore_unexpiredSpendsStaySpent() throws Exception {
    Instant soon = Instant.parse("2026-01-01T00:00:00Z");
    ScripId old = new ScripId(7, 2);
    ScripId current = new ScripId(7, (1L << 20) + 1);
    recorder.spend(new SpendRecord(old, soon, fp(1), 1, Optional.empty()));
    recorder.spend(record(current, 1, 1, Optional.empty()));

    recorder.dropExpiredBefore(soon.plusSeconds(1));
    reopen();

    assertThat(recorder.claim(current, EXPIRES, fp(2)))
        .isInstanceOf(SpendRecorder.AlreadySpent.class);
  }

  @Test
  void concurrentCommits_areAllDurableAfterReopen() throws Exception {
    int threads = 16;
    int each = 50;
    concurrently(
        threads,
        thread -> {
          for (int i = 0; i < each; i++) {
            ScripId id = new ScripId(5, thread * 1000L + i);
            assertThat(recorder.claim(id, EXPIRES, fp(1)))
                .isInstanceOf(SpendRecorder.Claimed.class);
            commit(record(id, 1, i, Optional.empty()));
          }
        });
    reopen();
    for (int t = 0; t < threads; t++) {
      for (int i = 0; i < each; i++) {
        ScripId id = new ScripId(5, t * 1000L + i);
        assertThat(recorder.claim(id, EXPIRES, fp(1)))
            .isEqualTo(new SpendRecorder.Replayed(i, Optional.empty()));
      }
    }
  }
}
