package org.millicent.vendor;

import static org.millicent.http.DashboardPage.count;
import static org.millicent.http.DashboardPage.money;
import static org.millicent.http.DashboardPage.text;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.millicent.http.DashboardPage;
import org.millicent.http.DashboardPage.Figure;
import org.millicent.http.DashboardPage.Series;
import org.millicent.http.DashboardPage.Unit;
import org.millicent.money.Amounts;
import org.millicent.vendor.store.ActivityStore;
import org.millicent.vendor.store.GatewayStore;
import org.millicent.vendor.store.SettlementStore;

/**
 * The vendor's dashboard page ({@code GET /millicent/admin/dashboard}, docs/HTTP-API.md,
 * "Dashboards"): {@link VendorDashboard} as figures, tables and charts. Stateless and thread-safe.
 */
final class VendorDashboardPage {
  /** Where the vendor serves the dashboard's script, styles and chart library. */
  static final String ASSETS = "/millicent/dashboard-assets";

  /** The refusal code of an offer: a 402 to a request without payment. */
  private static final String OFFER = ProblemCode.PAYMENT_REQUIRED.code();

  private VendorDashboardPage() {}

  static byte[] render(String vendor, VendorDashboard d) {
    DashboardPage page =
        new DashboardPage(
            "Vendor " + vendor,
            "Dashboard at " + d.at().truncatedTo(ChronoUnit.SECONDS) + " (UTC).",
            ASSETS);
    VendorDashboard.Counts h = d.hourly();
    VendorDashboard.Counts days = d.daily();
    int today = VendorDashboard.DAYS - 1;
    long[] revenuePerDay = days.millicentsAll("payment");
    long[] paymentsPerDay = days.countAll("payment");
    long[] offersPerDay = days.count("refusal", OFFER);
    long refusedToday = days.countAll("refusal")[today] - offersPerDay[today];
    long due =
        d.receivables().stream()
            .mapToLong(r -> Math.addExact(r.due(), r.lotsDue()))
            .reduce(0, Math::addExact);
    page.figures(
        List.of(
            new Figure("Revenue today", Amounts.human(revenuePerDay[today]), "UTC day"),
            new Figure("Payments today", number(paymentsPerDay[today]), ""),
            new Figure(
                "Revenue, 30 days",
                Amounts.human(sum(revenuePerDay)),
                number(sum(paymentsPerDay)) + " payments"),
            new Figure("Offers today", number(offersPerDay[today]), "402 without payment"),
            new Figure("Refusals today", number(refusedToday), "other problems"),
            new Figure("Owed by brokers", Amounts.human(due), "as far as this vendor knows")));

    page.section("Revenue");
    page.note("Payments accepted, per hour for the last day and per day for the last 30 days.");
    page.chart(
        "revenue-hourly",
        "Revenue per hour",
        Unit.MONEY,
        true,
        true,
        d.hours(),
        List.of(new Series("Revenue", h.millicentsAll("payment"))));
    page.chart(
        "revenue-daily",
        "Revenue per day",
        Unit.MONEY,
        true,
        false,
        d.days(),
        List.of(new Series("Revenue", revenuePerDay)));
    List<List<String>> variants = new ArrayList<>();
    for (String v : days.names("payment")) {
      variants.add(
          List.of(
              text(v),
              count(sum(days.count("payment", v))),
              money(sum(days.millicents("payment", v)))));
    }
    page.table(
        "variants",
        List.of("Variant", "Payments", "Revenue"),
        variants,
        "No payment in the last 30 days.");

    page.section("Payments and refusals");
    page.note(
        "Offers are 402s to requests without payment; refusals are every other problem answered"
            + " (a bad or spent payment, a path not offered, ...), by code.");
    page.chart("requests-hourly", "Per hour", Unit.COUNT, false, true, d.hours(), requestSeries(h));
    page.chart(
        "requests-daily", "Per day", Unit.COUNT, false, false, d.days(), requestSeries(days));
    List<List<String>> codes = new ArrayList<>();
    for (String code : days.names("refusal")) {
      long[] perDay = days.count("refusal", code);
      codes.add(List.of(text(code), count(perDay[today]), count(sum(perDay))));
    }
    page.table(
        "refusals",
        List.of("Code", "Today", "30 days"),
        codes,
        "No offer or refusal in the last 30 days.");
    page.table(
        "other-requests",
        List.of("Requests", "Today", "30 days"),
        List.of(
            List.of(
                text("Free content served"),
                count(days.countAll("free")[today]),
                count(sum(days.countAll("free")))),
            List.of(
                text("Retries answered again"),
                count(days.countAll("replay")[today]),
                count(sum(days.countAll("replay"))))),
        "");

    page.section("Top resources");
    page.table(
        "top-resources-today",
        List.of("Today", "Payments", "Revenue"),
        resources(d.topResourcesToday()),
        "Nothing sold today.");
    page.table(
        "top-resources",
        List.of("Last 30 days", "Payments", "Revenue"),
        resources(d.topResources()),
        "Nothing sold in the last 30 days.");

    page.section("Keys and spent list");
    page.figures(
        List.of(
            new Figure(
                "Spent list",
                number(d.spentListSize()),
                d.spentListSize() == 0 ? "IDs in memory (none, or kept in the database)" : "IDs"),
            new Figure(
                "Keys",
                number(d.keys().size()),
                d.keys().stream()
                    .filter(k -> k.state() == org.millicent.keys.KeyState.PRIMARY)
                    .map(k -> "primary " + k.keyId())
                    .collect(Collectors.joining(", ")))));
    List<List<String>> keys = new ArrayList<>();
    for (VendorKeys.Key k : d.keys()) {
      keys.add(
          List.of(
              text(Integer.toString(k.keyId())),
              text(k.state().name().toLowerCase(Locale.ROOT)),
              text(k.own() ? "this vendor" : k.broker() + " (" + k.licenceId() + ")"),
              text(day(k.createdAt())),
              text(day(k.expiresBy())),
              count(k.spendsRecorded())));
    }
    page.table(
        "keys",
        List.of("Key", "State", "Mints", "Created", "Expires by", "Spends recorded"),
        keys,
        "No key.");

    page.section("Brokers");
    List<List<String>> owed = new ArrayList<>();
    for (SettlementStore.Receivable r : d.receivables()) {
      owed.add(
          List.of(
              text(r.broker()),
              count(r.pieces()),
              money(r.value()),
              money(r.due()),
              count(r.lots()),
              money(r.lotsDue())));
    }
    page.note(
        "Licensed scrip received and not yet reported to its broker (what the next settlement"
            + " claims, less the licence's discount), and warehouse lots sold (all time: their"
            + " payment is not recorded here).");
    page.table(
        "receivables",
        List.of("Broker", "Unreported", "Face value", "Due", "Lots", "Lots due"),
        owed,
        "No broker owes anything.");
    List<List<String>> licences = new ArrayList<>();
    for (GatewayStore.Licence l : d.licences()) {
      licences.add(
          List.of(
              text(l.licenceId()),
              text(l.broker()),
              text(l.keyIds().stream().map(String::valueOf).collect(Collectors.joining(", "))),
              text(String.format(Locale.ROOT, "%.2f%%", l.discountBps() / 100.0)),
              text(day(l.issuedAt())),
              text(l.revoked() ? "revoked " + day(l.revokedAt()) : "active")));
    }
    page.table(
        "licences",
        List.of("Licence", "Broker", "Key ids", "Discount", "Issued", "State"),
        licences,
        "No licence issued.");
    return page.finish();
  }

  /** Refusal codes drawn as series of their own; the others are summed as one. */
  private static final int CODES_DRAWN = 3;

  /**
   * Payments, offers, and the {@value #CODES_DRAWN} most frequent refusal codes of {@code c}, the
   * rest as "other refusals", per bucket.
   */
  private static List<Series> requestSeries(VendorDashboard.Counts c) {
    List<Series> out = new ArrayList<>();
    out.add(new Series("Payments", c.countAll("payment")));
    out.add(new Series("Offers (402)", c.count("refusal", OFFER)));
    List<String> codes = new ArrayList<>(c.names("refusal"));
    codes.remove(OFFER);
    codes.sort(
        java.util.Comparator.comparingLong((String code) -> -sum(c.count("refusal", code)))
            .thenComparing(code -> code));
    long[] other = new long[c.buckets()];
    for (int i = 0; i < codes.size(); i++) {
      long[] n = c.count("refusal", codes.get(i));
      if (i < CODES_DRAWN) {
        out.add(new Series(codes.get(i), n));
      } else {
        for (int b = 0; b < n.length; b++) {
          other[b] += n[b];
        }
      }
    }
    if (codes.size() > CODES_DRAWN) {
      out.add(new Series("other refusals", other));
    }
    return out;
  }

  private static List<List<String>> resources(List<ActivityStore.Total> top) {
    List<List<String>> out = new ArrayList<>();
    for (ActivityStore.Total t : top) {
      out.add(List.of(text(t.name()), count(t.count()), money(t.millicents())));
    }
    return out;
  }

  private static long sum(long[] values) {
    long s = 0;
    for (long v : values) {
      s = Math.addExact(s, v);
    }
    return s;
  }

  private static String number(long n) {
    return String.format(Locale.ROOT, "%,d", n);
  }

  private static String day(@Nullable Instant t) {
    return t == null ? "" : t.truncatedTo(ChronoUnit.SECONDS).toString();
  }
}
