package org.millicent.broker.http;

import static org.millicent.http.DashboardPage.count;
import static org.millicent.http.DashboardPage.money;
import static org.millicent.http.DashboardPage.text;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.millicent.broker.VendorStatement;
import org.millicent.broker.books.BookTotals;
import org.millicent.broker.dashboard.BrokerDashboard;
import org.millicent.broker.store.DashboardStore;
import org.millicent.http.DashboardPage;
import org.millicent.http.DashboardPage.Figure;
import org.millicent.http.DashboardPage.Series;
import org.millicent.http.DashboardPage.Unit;
import org.millicent.money.Amounts;

/**
 * The broker's dashboard page ({@code GET /broker/admin/dashboard}, docs/BROKER.md, "Dashboard"):
 * {@link BrokerDashboard} as figures, tables and charts. Stateless and thread-safe.
 */
final class DashboardHtml {
  /** Where the broker serves the dashboard's script, styles and chart library. */
  static final String ASSETS = "/broker/dashboard-assets";

  private DashboardHtml() {}

  static byte[] render(String brokerId, BrokerDashboard d) {
    DashboardPage page =
        new DashboardPage(
            "Broker " + brokerId,
            "Dashboard at "
                + d.at().truncatedTo(java.time.temporal.ChronoUnit.SECONDS)
                + " (UTC); statement period "
                + d.period()
                + ".",
            ASSETS);
    BookTotals t = d.totals();
    page.figures(
        List.of(
            new Figure("Customers", String.format(java.util.Locale.ROOT, "%,d", d.customers()), ""),
            new Figure(
                "Charged today", Amounts.human(d.chargesPerDay()[BrokerDashboard.DAYS - 1]), ""),
            new Figure("Money in", Amounts.human(t.moneyInMillicents()), ""),
            new Figure("Scrip outstanding", Amounts.human(t.outstandingMillicents()), ""),
            new Figure("Scrip redeemed", Amounts.human(t.redeemedMillicents()), ""),
            new Figure(
                "Payable to vendors",
                Amounts.human(
                    d.vendors().stream().mapToLong(VendorStatement::payableMillicents).sum()),
                "")));

    page.section("Charges");
    page.note(
        "Scrip sold on account (what statements charge), per hour for the last day and per day"
            + " for the last 30 days.");
    page.chart(
        "charges-hourly",
        "Charges per hour",
        Unit.MONEY,
        true,
        true,
        d.hours(),
        List.of(new Series("Charged", d.chargesPerHour())));
    page.chart(
        "charges-daily",
        "Charges per day",
        Unit.MONEY,
        true,
        false,
        d.days(),
        List.of(new Series("Charged", d.chargesPerDay())));
    List<List<String>> byIssuer = new ArrayList<>();
    for (Map.Entry<String, DashboardStore.Bucket> e : d.periodCharges().entrySet()) {
      byIssuer.add(
          List.of(
              text(e.getKey()), count(e.getValue().pieces()), money(e.getValue().millicents())));
    }
    page.section("This period (" + d.period() + ") by issuer")
        .table(
            "period-charges",
            List.of("Issuer", "Pieces", "Charged"),
            byIssuer,
            "No sale on account this period yet.");

    page.section("Customers");
    page.figures(
        List.of(
            new Figure("Owed by customers", Amounts.human(d.owedMillicents()), "on account"),
            new Figure("Prepaid, unspent", Amounts.human(d.prepaidMillicents()), "")));
    List<List<String>> providers = new ArrayList<>();
    d.customersByProvider().forEach((p, n) -> providers.add(List.of(text(p), count(n))));
    page.table("customers", List.of("Provider", "Customers"), providers, "No customer yet.");
    page.chart(
        "registrations-daily",
        "Accounts opened per day",
        Unit.COUNT,
        true,
        false,
        d.days(),
        List.of(new Series("Accounts opened", d.registrationsPerDay())));

    page.section("Statements");
    List<List<String>> periods = new ArrayList<>();
    for (DashboardStore.ClosedPeriod c : d.closedPeriods()) {
      periods.add(
          List.of(
              text(c.period()), count(c.customers()), money(c.charged()), money(c.collected())));
    }
    page.table(
        "statements",
        List.of("Period", "Customers", "Charged", "Collected"),
        periods,
        "No statement closed yet: periods close when they end.");

    page.section("Books");
    page.note(
        "Money in = scrip outstanding + scrip redeemed + breakage: "
            + Amounts.human(t.moneyInMillicents())
            + " = "
            + Amounts.human(t.outstandingMillicents())
            + " + "
            + Amounts.human(t.redeemedMillicents())
            + " + "
            + Amounts.human(t.breakageMillicents())
            + (t.conserved() ? " (holds)." : " (DOES NOT HOLD: see GET /broker/admin/books)."));
    page.stackedBar(
        "Money in, split into scrip outstanding, redeemed and breakage",
        List.of(
            new Figure("Outstanding", Amounts.human(t.outstandingMillicents()), ""),
            new Figure("Redeemed", Amounts.human(t.redeemedMillicents()), ""),
            new Figure("Breakage", Amounts.human(t.breakageMillicents()), "")),
        new long[] {t.outstandingMillicents(), t.redeemedMillicents(), t.breakageMillicents()});
    page.table(
        "identity",
        List.of("Money in", "Outstanding", "Redeemed", "Breakage", "Holds"),
        List.of(
            List.of(
                money(t.moneyInMillicents()),
                money(t.outstandingMillicents()),
                money(t.redeemedMillicents()),
                money(t.breakageMillicents()),
                text(t.conserved() ? "yes" : "NO"))),
        "");
    page.chart(
        "books-daily",
        "Scrip outstanding and redeemed, at the end of each day",
        Unit.MONEY,
        false,
        false,
        d.days(),
        List.of(
            new Series("Outstanding", d.outstandingPerDay()),
            new Series("Redeemed", d.redeemedPerDay())));

    page.section("Vendors (period " + d.period() + ")");
    List<List<String>> vendors = new ArrayList<>();
    for (VendorStatement v : d.vendors()) {
      vendors.add(
          List.of(
              text(v.vendor()),
              count(v.soldPieces()),
              money(v.soldMillicents()),
              money(v.settledPaidMillicents()),
              money(v.outstandingMillicents()),
              money(v.payableMillicents())));
    }
    page.table(
        "vendors",
        List.of("Vendor", "Sold", "Sold value", "Settled (paid)", "Outstanding", "Payable now"),
        vendors,
        "No vendor configured.");

    page.section("Latest settlements");
    List<List<String>> settlements = new ArrayList<>();
    for (DashboardStore.SettlementRow s : d.settlements()) {
      settlements.add(
          List.of(
              text(Instant.ofEpochMilli(s.atMillis()).toString()),
              text(s.vendor()),
              count(s.pieces()),
              money(s.value()),
              money(s.paid())));
    }
    page.table(
        "settlements",
        List.of("At (UTC)", "Vendor", "Pieces", "Value", "Paid"),
        settlements,
        "No settlement yet.");
    return page.finish();
  }
}
