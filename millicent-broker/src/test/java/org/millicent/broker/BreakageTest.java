package org.millicent.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.millicent.broker.accounts.Statement;
import org.millicent.broker.books.BookTotals;
import org.millicent.broker.testing.IssuedScripTotals;
import org.millicent.failure.ExpiredException;
import org.millicent.keys.CustomerSecret;
import org.millicent.scrip.Scrip;

/**
 * Breakage (issue 12, part 7): broker scrip that expires unspent leaves "outstanding" for
 * "breakage" once its expiry is five minutes past, the customer's statement for the period of its
 * expiry says so, and money in = outstanding + redeemed + breakage holds over any sequence of
 * sales, renewals, clock moves and sweeps (seeded sequences; the seed is in the test's name).
 */
class BreakageTest extends BrokerOnDatabase {
  BreakageTest() {
    super(Instant.parse("2026-03-10T12:00:00Z"));
  }

  @Override
  BrokerConfig config() {
    return BrokerConfig.defaults().withBrokerId("bob");
  }

  private Scrip renew(Scrip s, CustomerSecret secret) {
    return BrokerScripExchange.renewal(s, secret, random).renewAt(broker).outputs().getFirst();
  }

  private long rows(int state) {
    return IssuedScripTotals.inState(db, "bob", state);
  }

  @Test
  void expiredUnspentBrokerScrip_isBreakage_inTheBooksAndTheStatementOfItsPeriod() {
    long alice = broker.register("alice").customer().id();
    Scrip s = broker.sellBrokerScrip(alice, 5_000, null);
    broker.sellBrokerScrip(alice, 2_000, null);
    clock.advance(Duration.ofHours(12));
    Scrip kept = renew(broker.sellBrokerScrip(alice, 1_000, null), broker.customerSecret(alice));

    // Expired, but within the grace: still outstanding.
    clock.set(s.expiresAt().plus(Duration.ofMinutes(1)));
    assertThat(broker.recogniseBreakage(clock.instant())).isZero();
    assertThat(broker.totals().outstandingMillicents()).isEqualTo(8_000);

    clock.set(s.expiresAt().plus(Breakage.GRACE));
    broker.closeStatements(clock.instant());

    BookTotals t = broker.totals();
    assertThat(t.conserved()).as("%s", t).isTrue();
    assertThat(t.moneyInMillicents()).isEqualTo(8_000);
    assertThat(t.breakageMillicents()).isEqualTo(7_000);
    assertThat(t.outstandingMillicents()).isEqualTo(1_000);
    assertThat(rows(IssuedScripState.EXPIRED)).isEqualTo(7_000);
    assertThat(rows(IssuedScripState.OUTSTANDING)).isEqualTo(1_000);
    assertThat(broker.books().auditProblems()).isZero();
    Statement march = broker.statement(alice, "2026-03");
    assertThat(march.expiredMillicents()).isEqualTo(7_000);
    assertThat(broker.breakageByPeriod()).containsExactly(java.util.Map.entry("2026-03", 7_000L));
    assertThat(broker.recogniseBreakage(clock.instant())).as("recognised once").isZero();

    // The renewed piece lives on; the expired ones are refused as expired, not counted twice.
    assertThatThrownBy(() -> renew(s, broker.customerSecret(alice)))
        .isInstanceOf(ExpiredException.class);
    assertThat(renew(kept, broker.customerSecret(alice)).valueMillicents()).isEqualTo(1_000);
    assertThat(broker.totals().conserved()).isTrue();
  }

  /** The issued_scrip states the test reads. */
  private static final class IssuedScripState {
    static final int OUTSTANDING = 0;
    static final int EXPIRED = 4;
  }

  static Stream<Long> seeds() {
    return LongStream.range(0, 8).mapToObj(i -> 0x5eed_0000L + i);
  }

  private record Held(long customer, Scrip scrip) {}

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void booksConserve_overRandomSalesRenewalsAndExpiries(long seed) {
    Random rnd = new Random(seed);
    List<Long> customers = new ArrayList<>();
    List<Held> held = new ArrayList<>();
    long moneyIn = 0;
    long breakage = 0;
    for (int step = 0; step < 60; step++) {
      String what;
      switch (rnd.nextInt(6)) {
        case 0 -> {
          customers.add(broker.register("c" + step).customer().id());
          what = "register";
        }
        case 1, 2 -> {
          if (customers.isEmpty()) {
            continue;
          }
          long c = customers.get(rnd.nextInt(customers.size()));
          long amount = 1L + rnd.nextInt(5_000);
          held.add(new Held(c, broker.sellBrokerScrip(c, amount, null)));
          moneyIn += amount;
          what = "sell " + amount;
        }
        case 3 -> {
          List<Held> live =
              held.stream().filter(h -> h.scrip().expiresAt().isAfter(clock.instant())).toList();
          if (live.isEmpty()) {
            continue;
          }
          Held h = live.get(rnd.nextInt(live.size()));
          Scrip n = renew(h.scrip(), broker.customerSecret(h.customer()));
          held.remove(h);
          held.add(new Held(h.customer(), n));
          what = "renew " + h.scrip().id();
        }
        case 4 -> {
          clock.advance(Duration.ofMinutes(rnd.nextInt(24 * 60)));
          what = "advance";
        }
        default -> {
          Instant horizon = clock.instant().minus(Breakage.GRACE);
          List<Held> gone =
              held.stream().filter(h -> !h.scrip().expiresAt().isAfter(horizon)).toList();
          held.removeAll(gone);
          long expected = gone.stream().mapToLong(h -> h.scrip().valueMillicents()).sum();
          assertThat(broker.recogniseBreakage(clock.instant()))
              .as("seed %d step %d: recognised", seed, step)
              .isEqualTo(expected);
          breakage += expected;
          what = "sweep";
        }
      }
      BookTotals t = broker.totals();
      String as = "seed " + seed + " step " + step + " (" + what + "): " + t;
      assertThat(t.conserved()).as(as).isTrue();
      assertThat(t.moneyInMillicents()).as(as).isEqualTo(moneyIn);
      assertThat(t.breakageMillicents()).as(as).isEqualTo(breakage);
      assertThat(t.outstandingMillicents())
          .as(as)
          .isEqualTo(held.stream().mapToLong(h -> h.scrip().valueMillicents()).sum());
      assertThat(rows(IssuedScripState.OUTSTANDING)).as(as).isEqualTo(t.outstandingMillicents());
      assertThat(rows(IssuedScripState.EXPIRED)).as(as).isEqualTo(breakage);
      assertThat(broker.books().auditProblems()).as(as).isZero();
    }
  }
}
