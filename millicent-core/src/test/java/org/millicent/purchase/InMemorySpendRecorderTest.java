package org.millicent.purchase;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.millicent.purchase.SpendRecorder.SpendRecord;
import org.millicent.scrip.ScripId;

/**
 * The in-memory recorder's one-step spend (no claim registered): what an identical or another
 * request sees afterwards, and that a release cannot undo it.
 */
class InMemorySpendRecorderTest {
  private static final Instant EXPIRES = Instant.parse("2100-01-01T00:00:00Z");
  private static final ScripId ID = new ScripId(1, 7);

  private static byte[] fp(int n) {
    byte[] f = new byte[16];
    f[15] = (byte) n;
    return f;
  }

  private static SpendRecord record(int fp, long price) {
    return new SpendRecord(ID, EXPIRES, fp(fp), price, Optional.empty());
  }

  private final InMemorySpendRecorder recorder = new InMemorySpendRecorder();

  @Test
  void spend_thenTheSameRequest_replays_anotherIsSpent() {
    assertThat(recorder.spend(record(1, 100))).isInstanceOf(SpendRecorder.Claimed.class);

    assertThat(recorder.spend(record(1, 100)))
        .isEqualTo(new SpendRecorder.Replayed(100, Optional.empty()));
    assertThat(recorder.claim(ID, EXPIRES, fp(1)))
        .isEqualTo(new SpendRecorder.Replayed(100, Optional.empty()));
    assertThat(recorder.spend(record(2, 100))).isInstanceOf(SpendRecorder.AlreadySpent.class);
    assertThat(recorder.claim(ID, EXPIRES, fp(2))).isInstanceOf(SpendRecorder.AlreadySpent.class);
  }

  @Test
  void releaseOfACommittedSpend_changesNothing() {
    recorder.spend(record(1, 100));

    recorder.release(ID);

    assertThat(recorder.claim(ID, EXPIRES, fp(2))).isInstanceOf(SpendRecorder.AlreadySpent.class);
  }

  @Test
  void spendWhileAnotherRequestHoldsTheClaim_isSpent_andLeavesNoRecordBehind() {
    assertThat(recorder.claim(ID, EXPIRES, fp(2))).isInstanceOf(SpendRecorder.Claimed.class);

    assertThat(recorder.spend(record(1, 100))).isInstanceOf(SpendRecorder.AlreadySpent.class);

    recorder.release(ID); // the holder gives up: the scrip is spendable again, by anyone
    assertThat(recorder.spend(record(1, 100))).isInstanceOf(SpendRecorder.Claimed.class);
  }

  @Test
  void spendWhileTheSameRequestHoldsTheClaim_isInProgress() {
    recorder.claim(ID, EXPIRES, fp(1));

    assertThat(recorder.spend(record(1, 100))).isInstanceOf(SpendRecorder.InProgress.class);
  }
}
