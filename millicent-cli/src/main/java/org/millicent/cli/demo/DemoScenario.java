package org.millicent.cli.demo;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.millicent.broker.SettlementResult;
import org.millicent.broker.accounts.AccountView;
import org.millicent.broker.books.BookTotals;
import org.millicent.cli.Counts;
import org.millicent.money.Amounts;
import org.millicent.protocol.Offer;
import org.millicent.wallet.BrokerAccount;
import org.millicent.wallet.HistoryEntry;
import org.millicent.wallet.Offers;
import org.millicent.wallet.Renewal;
import org.millicent.wallet.RenewalReport;
import org.millicent.wallet.VendorBalance;
import org.millicent.wallet.Wallet;
import org.millicent.wallet.WalletTotals;
import org.millicent.wallet.http.MillicentHttpClient;
import org.millicent.wallet.http.Request;
import org.millicent.wallet.http.Response;

/**
 * The story the demo tells, step by step, over real HTTP (Coulouris, Dollimore and Kindberg on
 * Glassman et al., 1995: "Alice may already hold scrip ... if not, Venetia gives her the URL of a
 * broker, Bob"). Each step checks what it expects and throws when the system does otherwise, so the
 * demo doubles as an end-to-end check. Not thread-safe.
 */
@SuppressForbidden // wiring: the demo runs on the real clock
final class DemoScenario {
  private final DemoMarket market;
  private final Wallet alice;
  private final Path dir;
  private final PrintWriter out;
  private final MillicentHttpClient plain = MillicentHttpClient.newBuilder().build();
  private final MillicentHttpClient paying;
  private int step;
  private long seen;

  DemoScenario(DemoMarket market, Wallet alice, Path dir, PrintWriter out) {
    this.market = market;
    this.alice = alice;
    this.dir = dir;
    this.out = out;
    this.paying = alice.httpClient();
  }

  void play(boolean temporary) throws IOException, InterruptedException {
    out.println(
        "Millicent demo: Alice (customer), Bob (broker) and Venetia (vendor), over real HTTP");
    out.println(
        "on loopback, all in this process. State: "
            + dir
            + (temporary ? " (deleted at the end)" : ""));
    out.println();
    out.println(
        "  Venetia's shop   "
            + market.venetia().url()
            + "  five pages from 0.1¢ to 5¢; Bob mints her scrip under licence");
    out.println(
        "  Venetia's annex  "
            + market.annex().url()
            + "  the same pages; Bob buys its scrip in bulk (warehouse)");
    out.println("  Bob, the broker  " + market.bob().url());
    out.println();

    URI haiku = market.venetia().url().resolve("/pages/haiku.html");
    say("Alice asks Venetia for /pages/haiku.html. She holds no scrip.");
    Response offer = plain.send(Request.get(haiku));
    expect(offer.status() == 402, "expected 402 Payment Required, got " + offer.status());
    Offer o = Offers.from(offer);
    detail(
        "Venetia answers 402 Payment Required: the page costs "
            + Amounts.format(o.priceMillicents())
            + "; her scrip is sold by "
            + String.join(", ", o.brokerList().stream().map(URI::toString).toList())
            + ".");

    BrokerAccount account = alice.register(o.brokerList().getFirst(), "alice");
    say(
        "Alice opens an account with the broker Venetia named, Bob: customer "
            + account.customerIdText()
            + ", credit limit "
            + Amounts.format(account.creditLimitMillicents())
            + ". Bob's statement will aggregate her purchases.");

    Response page = paying.send(Request.get(haiku));
    expect(page.status() == 200, "expected the haiku, got " + page.status());
    List<HistoryEntry> first = newEntries();
    HistoryEntry buy = only(first, "buy");
    HistoryEntry paid = only(first, "purchase");
    say(
        "Alice's wallet buys "
            + Amounts.format(buy.priceMillicents().orElseThrow())
            + " of Venetia scrip from Bob. Supply: licensed, so Bob minted it himself; Venetia"
            + " has not seen it yet.");
    detail(
        "It pays "
            + Amounts.format(paid.priceMillicents().orElseThrow())
            + " for the haiku and gets "
            + Amounts.format(paid.changeMillicents().orElse(0L))
            + " back as change, vouched for by Venetia's reply MAC.");
    quote(page);

    URI weather = market.venetia().url().resolve("/pages/weather.html");
    Response forecast = paying.send(Request.get(weather));
    expect(forecast.status() == 200, "expected the forecast, got " + forecast.status());
    List<HistoryEntry> second = newEntries();
    expect(
        second.stream().noneMatch(e -> e.kind().equals("buy")),
        "the change should have paid, but the wallet bought more scrip");
    HistoryEntry p2 = only(second, "purchase");
    say(
        "Alice buys the weather forecast with her change, without going back to Bob: she pays "
            + Amounts.format(p2.priceMillicents().orElseThrow())
            + " and gets "
            + Amounts.format(p2.changeMillicents().orElse(0L))
            + " back.");
    quote(forecast);

    RenewalReport renewal = alice.renew(true);
    newEntries();
    expect(renewal.problems().isEmpty(), "renewal failed: " + renewal.problems());
    expect(!renewal.renewed().isEmpty(), "there was nothing to renew");
    Renewal r = renewal.renewed().getFirst();
    expect(!r.newExpiry().isBefore(r.oldExpiry()), "renewal moved the expiry back: " + r);
    Instant renewedAt = Instant.now();
    long lifetimeHours =
        Math.round(Duration.between(renewedAt, r.newExpiry()).toSeconds() / 3600.0);
    say(
        "Alice renews her scrip, as her wallet does by itself within an hour of expiry: Venetia"
            + " exchanges her piece of "
            + Amounts.format(r.valueMillicents())
            + " (scrip ID "
            + r.oldId()
            + ", expiring "
            + r.oldExpiry()
            + ") for a fresh one of the same value (scrip ID "
            + r.newId()
            + ", expiring "
            + r.newExpiry()
            + "). Fresh scrip expires "
            + Counts.of(lifetimeHours, "hour")
            + " after it is issued, to the second"
            + (r.newExpiry().equals(r.oldExpiry())
                ? "; Alice's old piece was issued moments ago, in the same second, so here both"
                    + " expiries are the same, while a wallet that renews an hour before expiry gains"
                    + " "
                    + Counts.of(lifetimeHours - 1, "hour")
                : ", so this renewal gains "
                    + describe(Duration.between(r.oldExpiry(), r.newExpiry())))
            + ". Expired scrip is refused, so customers exchange old scrip for new in time.");

    URI recipe = market.annex().url().resolve("/pages/recipe.html");
    Response bread = paying.send(Request.get(recipe));
    expect(bread.status() == 200, "expected the recipe, got " + bread.status());
    List<HistoryEntry> third = newEntries();
    HistoryEntry buy3 = only(third, "buy");
    HistoryEntry p3 = only(third, "purchase");
    Map<String, Long> books = market.bob().broker().books().balances();
    long stock = books.getOrDefault("inventory:" + DemoMarket.ANNEX, 0L);
    long owedAnnex = -books.getOrDefault("payable:" + DemoMarket.ANNEX, 0L);
    say(
        "Warehouse supply: Alice buys the bread recipe at Venetia's annex, whose scrip Bob buys in"
            + " bulk.");
    detail(
        "Bob bought a lot of "
            + Counts.of(DemoMarket.LOT_PIECES, "piece")
            + " of "
            + Amounts.format(DemoMarket.PIECE_MILLICENTS)
            + " from the annex at "
            + DemoMarket.DISCOUNT_BPS / 100
            + "% off (he owes it "
            + Amounts.format(owedAnnex)
            + "), and exchanged "
            + Amounts.format(buy3.priceMillicents().orElseThrow())
            + " of it at the annex for one piece in Alice's name; "
            + Amounts.format(stock)
            + " stays in his stock.");
    detail(
        "Alice pays "
            + Amounts.format(p3.priceMillicents().orElseThrow())
            + " and keeps "
            + Amounts.format(p3.changeMillicents().orElse(0L))
            + " in change.");
    quote(bread);

    SettlementResult settled = market.bob().settle(DemoMarket.VENETIA);
    expect(!settled.accepted().isEmpty(), "Venetia reported no licensed scrip");
    long face =
        market.bob().broker().vendorStatement(DemoMarket.VENETIA, null).settledValueMillicents();
    say(
        "Settlement of licensed scrip: Venetia reports to Bob the IDs of the scrip he minted under"
            + " her licence that she has received ("
            + Counts.of(settled.accepted().size(), "piece")
            + " worth "
            + Amounts.format(face)
            + "). Bob checks them against what he issued and pays each once, "
            + DemoMarket.DISCOUNT_BPS / 100
            + "% off: "
            + Amounts.format(settled.paidMillicents())
            + ".");

    balances(account);
  }

  private void balances(BrokerAccount account) throws IOException, InterruptedException {
    say("Balances:");
    WalletTotals t = alice.totals();
    StringBuilder held = new StringBuilder();
    for (VendorBalance b : alice.balance()) {
      held.append(held.isEmpty() ? "" : " and ")
          .append(Amounts.format(b.availableMillicents()))
          .append(" of ")
          .append(b.vendor())
          .append(" scrip");
    }
    AccountView view = market.bob().broker().account(account.customerId());
    hanging(
        "Alice:   holds "
            + held
            + "; has paid "
            + Amounts.format(t.paidMillicents())
            + " for "
            + Counts.of(t.purchases(), "page")
            + "; Bob has charged her "
            + Amounts.format(view.chargesThisPeriodMillicents())
            + " this period.");
    Map<String, Long> books = market.bob().broker().books().balances();
    long owesVenetia = -books.getOrDefault("payable:" + DemoMarket.VENETIA, 0L);
    long owesAnnex = -books.getOrDefault("payable:" + DemoMarket.ANNEX, 0L);
    long commission = -books.getOrDefault("commission", 0L);
    long stock = books.getOrDefault("inventory:" + DemoMarket.ANNEX, 0L);
    long alicesDebt = books.getOrDefault("customer:" + account.customerIdText(), 0L);
    BookTotals totals = market.bob().broker().totals();
    hanging(
        "Bob:     Alice owes him "
            + Amounts.format(alicesDebt)
            + "; he owes Venetia "
            + Amounts.format(owesVenetia)
            + " and her annex "
            + Amounts.format(owesAnnex)
            + "; "
            + Amounts.format(stock)
            + " of annex scrip in stock; discounts earned "
            + Amounts.format(commission)
            + "; books "
            + (totals.conserved() ? "balanced" : "NOT BALANCED")
            + ".");
    long shop = revenue(market.venetia().url());
    long annex = revenue(market.annex().url());
    hanging(
        "Venetia: sold pages for "
            + Amounts.format(shop)
            + " in her shop and "
            + Amounts.format(annex)
            + " in the annex; Bob owes her "
            + Amounts.format(owesVenetia + owesAnnex)
            + " in all.");
    expect(totals.conserved(), "Bob's books do not balance: " + totals);
    expect(t.discrepancyMillicents() == 0, "Alice's wallet does not reconcile: " + t);
    expect(
        view.chargesThisPeriodMillicents() == t.boughtMillicents(),
        "Bob charged Alice "
            + view.chargesThisPeriodMillicents()
            + " but her wallet bought "
            + t.boughtMillicents());
    expect(
        shop + annex == t.paidMillicents(),
        "Venetia's shops took " + (shop + annex) + " but Alice paid " + t.paidMillicents());
    out.println();
    wrap(
        "",
        "Everything reconciles: Alice bought "
            + Amounts.format(t.boughtMillicents())
            + " = "
            + Amounts.format(t.paidMillicents())
            + " paid to Venetia + "
            + Amounts.format(t.heldMillicents())
            + " still in her wallet.");
    out.flush();
  }

  /** The vendor's revenue counter, read from its Prometheus endpoint over HTTP. */
  private long revenue(URI vendor) throws IOException, InterruptedException {
    Response m = plain.send(Request.get(vendor.resolve("/metrics")));
    double sum = 0;
    for (String line : m.bodyText().split("\n", -1)) {
      if (line.startsWith("millicent_vendor_revenue_millicents_total")) {
        sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    return Math.round(sum);
  }

  /** The wallet's payments since the last call. */
  private List<HistoryEntry> newEntries() {
    List<HistoryEntry> all = alice.history(1000);
    List<HistoryEntry> fresh = all.stream().filter(e -> e.id() > seen).toList();
    if (!all.isEmpty()) {
      seen = all.getLast().id();
    }
    return fresh;
  }

  private static HistoryEntry only(List<HistoryEntry> entries, String kind) {
    List<HistoryEntry> of = entries.stream().filter(e -> e.kind().equals(kind)).toList();
    expect(of.size() == 1, "expected one " + kind + " in the wallet's history, found " + of.size());
    HistoryEntry e = of.getFirst();
    expect(
        e.state().equals("done"),
        kind + " " + e.id() + " is " + e.state() + ": " + e.detail().orElse(""));
    return e;
  }

  private void say(String text) {
    step++;
    wrap(String.format(Locale.ROOT, "%2d. ", step), text);
  }

  private void detail(String text) {
    wrap("    ", text);
  }

  /** A detail line whose continuation lines align after its leading label. */
  private void hanging(String text) {
    int label = text.indexOf(':') + 1;
    while (label < text.length() && text.charAt(label) == ' ') {
      label++;
    }
    wrap("    " + text.substring(0, label), text.substring(label));
  }

  private void quote(Response page) {
    String text =
        page.bodyText()
            .replaceAll("(?s)<(script|style)[^>]*>.*?</\\1>", " ")
            .replaceAll("(?s)<title>.*?</title>", " ")
            .replaceAll("<[^>]+>", " ")
            .replaceAll("&[a-z]+;", " ")
            .replaceAll("\\s+", " ")
            .strip();
    wrap(
        "    ",
        "The page reads: \""
            + (text.length() > 140 ? text.substring(0, 140) + "..." : text)
            + "\"");
  }

  /** A duration in words: {@code 2 hours 5 minutes}, {@code 40 seconds}. */
  private static String describe(Duration d) {
    if (d.toMinutes() == 0) {
      return Counts.of(d.toSeconds(), "second");
    }
    String hours = d.toHours() > 0 ? Counts.of(d.toHours(), "hour") : "";
    String minutes = d.toMinutesPart() > 0 ? Counts.of(d.toMinutesPart(), "minute") : "";
    return (hours + " " + minutes).strip();
  }

  private void wrap(String prefix, String text) {
    StringBuilder line = new StringBuilder(prefix);
    int start = prefix.length();
    // An amount ("9.4¢ (9,400 m¢)") is one word: never broken across lines.
    String kept = text.replace("¢ (", "¢\u0000(").replace(" m¢)", "\u0000m¢)");
    for (String w : kept.split(" ", -1)) {
      String word = w.replace('\u0000', ' ');
      if (line.length() + word.length() + 1 > 100 && line.length() > start) {
        out.println(line.toString().stripTrailing());
        line = new StringBuilder(" ".repeat(prefix.length()));
      }
      line.append(word).append(' ');
    }
    out.println(line.toString().stripTrailing());
    out.flush();
  }

  private static void expect(boolean ok, String what) {
    if (!ok) {
      throw new IllegalStateException(what);
    }
  }
}
