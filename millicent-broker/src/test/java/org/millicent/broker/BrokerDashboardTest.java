package org.millicent.broker;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.millicent.broker.books.BookTotals;
import org.millicent.broker.dashboard.BrokerDashboard;

/**
 * {@link BrokerDashboard#read} after sales over two days under a clock the test moves: charges per
 * hour and day, accounts opened, the books at the end of each day, statements and settlements.
 */
class BrokerDashboardTest extends BrokerOnDatabase {
  BrokerDashboardTest() {
    super(Instant.parse("2026-03-09T22:30:00Z"));
  }

  @Override
  BrokerConfig config() {
    return sellingVenetia();
  }

  @BeforeEach
  void licenceVenetia() {
    broker.installLicence(new LicensingVendor("venetia", "bob", 500, clock).licence);
  }

  @Test
  void salesOverTwoDays_areCountedPerHourAndDay_andTheBooksAtEachDaysEnd() {
    long alice = broker.register("alice").customer().id();
    broker.sellBrokerScrip(alice, 1_000, null); // 2026-03-09 22:30
    clock.advance(Duration.ofHours(2)); // 2026-03-10 00:30
    long bob = broker.register("bob").customer().id();
    VendorScripSale sale = broker.sellVendorScrip(bob, "venetia", 4_000, null);
    broker.sellBrokerScrip(alice, 500, null);
    clock.advance(Duration.ofHours(3)); // 03:30
    broker.settle("venetia", List.of(sale.scrip().id().toLong()));

    BrokerDashboard d = BrokerDashboard.read(broker);
    assertThat(d.customers()).isEqualTo(2);
    assertThat(d.hours()).hasSize(BrokerDashboard.HOURS);
    assertThat(d.hours().getLast()).isEqualTo(Instant.parse("2026-03-10T03:00:00Z"));
    assertThat(d.chargesPerHour()[d.hours().indexOf(Instant.parse("2026-03-09T22:00:00Z"))])
        .isEqualTo(1_000);
    assertThat(d.chargesPerHour()[d.hours().indexOf(Instant.parse("2026-03-10T00:00:00Z"))])
        .isEqualTo(4_500);
    assertThat(d.chargesPerHour()).containsOnlyOnce(1_000).containsOnlyOnce(4_500);
    int today = BrokerDashboard.DAYS - 1;
    assertThat(d.chargesPerDay()[today]).isEqualTo(4_500);
    assertThat(d.chargesPerDay()[today - 1]).isEqualTo(1_000);
    assertThat(d.registrationsPerDay()[today]).isEqualTo(1);
    assertThat(d.registrationsPerDay()[today - 1]).isEqualTo(1);
    // Yesterday ended with 1 000 of broker scrip outstanding; today the vendor scrip was settled.
    assertThat(d.outstandingPerDay()[today - 1]).isEqualTo(1_000);
    assertThat(d.redeemedPerDay()[today - 1]).isZero();
    BookTotals t = broker.totals();
    assertThat(d.outstandingPerDay()[today]).isEqualTo(t.outstandingMillicents()).isEqualTo(1_500);
    assertThat(d.redeemedPerDay()[today]).isEqualTo(t.redeemedMillicents()).isEqualTo(4_000);
    assertThat(d.totals()).isEqualTo(t);
    assertThat(d.owedMillicents()).isEqualTo(5_500);
    assertThat(d.periodCharges().get("bob").millicents()).isEqualTo(1_500);
    assertThat(d.periodCharges().get("venetia").pieces()).isEqualTo(1);
    assertThat(d.vendors().getFirst().payableMillicents()).isEqualTo(3_800);
    assertThat(d.settlements()).hasSize(1);
    assertThat(d.settlements().getFirst().paid()).isEqualTo(3_800);

    broker.closeStatements(Instant.parse("2026-04-01T00:10:00Z"));
    assertThat(BrokerDashboard.read(broker).closedPeriods().getFirst().period())
        .isEqualTo("2026-03");
    assertThat(BrokerDashboard.read(broker).closedPeriods().getFirst().charged()).isEqualTo(5_500);
  }
}
