package org.millicent.contracts;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.millicent.purchase.ExchangeRecorder;

/**
 * What a durable {@link ExchangeRecorder} must do beyond {@link ExchangeRecorderContract}: a record
 * is found by a recorder opened later on the same store (a restart, or another replica), and what
 * one forgets the other no longer finds.
 *
 * @param <R> the recorder under test
 */
public abstract class DurableExchangeRecorderContract<R extends ExchangeRecorder>
    extends ExchangeRecorderContract<R> {

  /** Creates a contract test. */
  protected DurableExchangeRecorderContract() {}

  @Test
  void aRecorderOpenedLater_findsTheRecord() {
    recorder.record(fingerprint(4), FORGET_AFTER, List.of(scrip(4, 40), scrip(5, 50)));
    R later = open();
    assertThat(tokens(later.find(fingerprint(4))))
        .contains(List.of(scrip(4, 40).token(), scrip(5, 50).token()));
    assertThat(later.dropExpiredBefore(FORGET_AFTER.plusSeconds(1))).isEqualTo(1);
    assertThat(recorder.find(fingerprint(4))).isEmpty();
  }
}
