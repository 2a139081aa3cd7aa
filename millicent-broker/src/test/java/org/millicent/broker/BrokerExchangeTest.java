package org.millicent.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.millicent.broker.books.BookTotals;
import org.millicent.failure.MalformedException;
import org.millicent.failure.SpentException;
import org.millicent.keys.CustomerSecret;
import org.millicent.protocol.Nonce;
import org.millicent.purchase.Exchange;
import org.millicent.purchase.ExchangeService;
import org.millicent.scrip.Scrip;

/**
 * Exchanges of broker scrip at the broker (issue 12, part 7): renewing broker scrip before it
 * expires, with the vendor's idempotent-retry rules, and the books unchanged in total.
 */
class BrokerExchangeTest extends BrokerOnDatabase {
  BrokerExchangeTest() {
    super(Instant.parse("2026-03-10T12:00:00Z"));
  }

  @Override
  BrokerConfig config() {
    return BrokerConfig.defaults().withBrokerId("bob");
  }

  private BrokerScripExchange renewal(Scrip s, CustomerSecret secret, Nonce nonce) {
    return BrokerScripExchange.renewal(s, secret, nonce);
  }

  private Exchange renew(BrokerScripExchange r) {
    return r.renewAt(broker);
  }

  private void assertConserved(long outstanding) {
    BookTotals t = broker.totals();
    assertThat(t.conserved()).as("%s", t).isTrue();
    assertThat(t.outstandingMillicents()).isEqualTo(outstanding);
    assertThat(broker.books().auditProblems()).isZero();
  }

  @Test
  void renew_givesAFreshPieceOfTheSameValue_andAnIdenticalRetryTheSamePiece_evenAfterARestart() {
    long alice = broker.register("alice").customer().id();
    CustomerSecret secret = broker.customerSecret(alice);
    Scrip s = broker.sellBrokerScrip(alice, 5_000, null);
    clock.advance(Duration.ofHours(23));
    BrokerScripExchange r = renewal(s, secret, Nonce.random(random));

    Exchange first = renew(r);

    Scrip n = first.outputs().getFirst();
    assertThat(n.vendor()).isEqualTo("bob");
    assertThat(n.customerId()).isEqualTo(alice);
    assertThat(n.valueMillicents()).isEqualTo(5_000);
    assertThat(n.expiresAt()).isAfter(s.expiresAt());
    assertConserved(5_000);

    Exchange again = renew(r);
    assertThat(again.isReplay()).isTrue();
    assertThat(again.outputs()).containsExactly(n);
    reopen();
    assertThat(renew(r).outputs()).containsExactly(n);
    assertConserved(5_000);

    assertThatThrownBy(() -> renew(renewal(s, secret, Nonce.random(random))))
        .isInstanceOf(SpentException.class);
    Exchange next = renew(renewal(n, secret, Nonce.random(random)));
    assertThat(next.outputs().getFirst().valueMillicents()).isEqualTo(5_000);
    assertConserved(5_000);
  }

  @Test
  void refusedExchange_consumesNothing() {
    long alice = broker.register("alice").customer().id();
    CustomerSecret secret = broker.customerSecret(alice);
    Scrip s = broker.sellBrokerScrip(alice, 5_000, null);
    BrokerScripExchange r = renewal(s, secret, Nonce.random(random));

    assertThatThrownBy(
            () ->
                broker.exchange(
                    r.payment(), r.inputs(), new ExchangeService.Split(List.of(1_000L, 1_000L))))
        .isInstanceOf(MalformedException.class);
    assertConserved(5_000);

    assertThat(renew(renewal(s, secret, Nonce.random(random))).outputs()).hasSize(1);
    assertConserved(5_000);
  }
}
