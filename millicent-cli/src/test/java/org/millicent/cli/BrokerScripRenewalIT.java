package org.millicent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.millicent.broker.BrokerConfig;
import org.millicent.broker.BrokerServer;
import org.millicent.broker.books.BookTotals;
import org.millicent.broker.testing.IssuedScripTotals;
import org.millicent.scrip.Scrip;
import org.millicent.testing.MutableClock;
import org.millicent.wallet.HeldScrip;
import org.millicent.wallet.Renewal;
import org.millicent.wallet.RenewalReport;
import org.millicent.wallet.ScripState;
import org.millicent.wallet.Wallet;
import org.millicent.wallet.WalletOptions;

/**
 * Issue 12, part 7: broker scrip in a wallet is renewed at the broker before it expires, as vendor
 * scrip is at its vendor (an exchange at the broker, {@code POST /millicent/exchange}). A real
 * broker on loopback and a real wallet share a clock the test moves forward; nothing sleeps. The
 * value is conserved in the wallet and in the broker's books.
 */
class BrokerScripRenewalIT {
  @TempDir Path dir;
  private final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T10:00:00Z"));
  private BrokerServer broker;
  private Wallet wallet;

  @BeforeEach
  void start() {
    broker =
        BrokerServer.start(
            BrokerConfig.defaults().withBrokerId("bob").withListen("127.0.0.1", 0),
            dir.resolve("bob"),
            clock);
    wallet = Wallet.open(WalletOptions.defaults(dir.resolve("wallet")).withClock(clock));
  }

  @AfterEach
  void stop() {
    if (wallet != null) {
      wallet.close();
    }
    if (broker != null) {
      broker.close();
    }
  }

  private List<HeldScrip> held() {
    return wallet.scrip().stream()
        .filter(s -> s.vendor().equals("bob") && s.state() == ScripState.AVAILABLE)
        .toList();
  }

  private long brokerRows(int state) {
    return IssuedScripTotals.inState(broker.broker().books().database(), "bob", state);
  }

  @Test
  void brokerScripNearExpiry_isRenewedAtTheBroker_valueConservedInWalletAndBooks()
      throws Exception {
    wallet.register(broker.url(), "alice");
    Scrip bought = wallet.buy("bob", 5_000, Optional.of(broker.url()));
    assertThat(bought.vendor()).isEqualTo("bob");
    assertThat(held()).hasSize(1);

    // 24 h lifetime: 23 h 30 min later it is inside the wallet's one-hour renewal window.
    clock.advance(Duration.ofHours(23).plusMinutes(30));
    RenewalReport report = wallet.renew(false);

    assertThat(report.problems()).isEmpty();
    assertThat(report.renewed()).hasSize(1);
    Renewal r = report.renewed().getFirst();
    assertThat(r.vendor()).isEqualTo("bob");
    assertThat(r.oldId()).isEqualTo(bought.id());
    assertThat(r.valueMillicents()).isEqualTo(5_000);
    assertThat(r.newExpiry()).isAfter(bought.expiresAt());
    List<HeldScrip> now = held();
    assertThat(now).hasSize(1);
    assertThat(now.getFirst().id()).isEqualTo(r.newId());
    assertThat(now.getFirst().valueMillicents()).isEqualTo(5_000);

    // Past the old piece's expiry: the renewed piece is still good (and renews again in time).
    clock.advance(Duration.ofHours(1));
    assertThat(wallet.renew(false).expired()).isZero();
    assertThat(held()).extracting(HeldScrip::valueMillicents).containsExactly(5_000L);
    clock.advance(Duration.ofHours(22).plusMinutes(45));
    RenewalReport second = wallet.renew(false);
    assertThat(second.renewed()).hasSize(1);
    assertThat(second.problems()).isEmpty();

    assertThat(wallet.totals().discrepancyMillicents()).isZero();
    assertThat(wallet.totals().heldMillicents()).isEqualTo(5_000);
    BookTotals t = broker.broker().totals();
    assertThat(t.conserved()).as("%s", t).isTrue();
    assertThat(t.moneyInMillicents()).isEqualTo(5_000);
    assertThat(t.outstandingMillicents()).isEqualTo(5_000);
    assertThat(brokerRows(0)).as("outstanding broker scrip rows").isEqualTo(5_000);
    assertThat(brokerRows(1)).as("spent by the two renewals").isEqualTo(10_000);
    assertThat(broker.broker().books().auditProblems()).isZero();
  }
}
