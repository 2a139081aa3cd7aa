package org.millicent.wallet.proxy;

import static org.millicent.http.Html.escape;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.millicent.money.Amounts;
import org.millicent.wallet.Budget;
import org.millicent.wallet.HistoryEntry;
import org.millicent.wallet.VendorBalance;
import org.millicent.wallet.Wallet;

/**
 * Renders the wallet page: balance per vendor, budgets (a form), what is in flight or being
 * recovered, renewals, recent payments, and the data for the spending chart (drawn by {@code
 * chart.js} with uPlot). Server-side HTML, no script inline (the page's CSP forbids it). Stateless.
 */
final class WalletPageHtml {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'", Locale.ROOT)
          .withZone(ZoneOffset.UTC);
  private static final int HISTORY = 200;

  private WalletPageHtml() {}

  static String describe(Budget b) {
    return Amounts.format(b.perRequestMillicents())
        + " per request, "
        + Amounts.format(b.perVendorPerDayMillicents())
        + " per vendor per day, "
        + Amounts.format(b.totalMillicents())
        + " in total";
  }

  static String render(Wallet wallet, ProxyActivity activity, String token) {
    List<HistoryEntry> history = wallet.history(HISTORY);
    StringBuilder h = new StringBuilder(16_384);
    h.append("<!doctype html><html lang=en><head><meta charset=utf-8>")
        .append("<title>Millicent wallet</title>")
        .append("<link rel=stylesheet href=\"/uplot.css\">")
        .append("<style>body{font:15px system-ui,sans-serif;margin:2em;max-width:70em}")
        .append("table{border-collapse:collapse;margin:.5em 0 1.5em}")
        .append(
            "td,th{border-bottom:1px solid #ddd;padding:.25em .8em;text-align:left;white-space:nowrap}")
        .append("td.n{text-align:right;font-variant-numeric:tabular-nums}")
        .append("h1{font-size:1.6em}h2{font-size:1.2em;margin-top:1.5em}.muted{color:#666}")
        .append("</style></head><body>");
    h.append("<h1>Millicent wallet</h1><p class=muted>")
        .append(escape(wallet.describe()))
        .append(" · <a href=\"/ca.pem\">proxy CA certificate</a></p>");

    h.append("<h2>Balance</h2><table id=balance><tr><th>vendor<th>available<th>pieces")
        .append("<th>in flight<th>next expiry</tr>");
    List<VendorBalance> balance = wallet.balance();
    for (VendorBalance b : balance) {
      h.append("<tr><td>")
          .append(escape(b.vendor()))
          .append("<td class=n>")
          .append(escape(Amounts.format(b.availableMillicents())))
          .append("<td class=n>")
          .append(b.availablePieces())
          .append("<td class=n>")
          .append(escape(Amounts.format(b.inFlightMillicents())))
          .append("<td>")
          .append(b.nextExpiry().map(TIME::format).orElse("—"))
          .append("</tr>");
    }
    if (balance.isEmpty()) {
      h.append("<tr><td colspan=5 class=muted>no scrip yet</tr>");
    }
    h.append("</table>");

    h.append("<h2>Spending per vendor</h2><div id=chart></div>")
        .append("<script type=\"application/json\" id=spending>")
        .append(spendingSeries(history).replace("<", "\\u003c"))
        .append("</script><script src=\"/uplot.js\"></script><script src=\"/chart.js\"></script>");

    Budget b = wallet.budget();
    h.append("<h2>Budget</h2><form method=post action=\"/budget\" id=budget>")
        .append("<input type=hidden name=token value=\"")
        .append(escape(token))
        .append("\">");
    field(h, "per_request", "per request", b.perRequestMillicents());
    field(h, "per_vendor_day", "per vendor per day", b.perVendorPerDayMillicents());
    field(h, "total", "in total", b.totalMillicents());
    h.append(" <button type=submit>Save</button>")
        .append("<p class=muted>Amounts: 5000 (millicents), 5c, 0.1c or $0.05.</p></form>");

    h.append("<h2>In flight and being recovered</h2><ul id=inflight>");
    int count = 0;
    for (ProxyActivity.Line l : activity.active()) {
      h.append("<li>forwarding ")
          .append(escape(l.text()))
          .append(" since ")
          .append(TIME.format(l.at()));
      count++;
    }
    for (HistoryEntry e : history) {
      if (e.state().equals("in-flight")) {
        h.append("<li>payment #")
            .append(e.id())
            .append(" to ")
            .append(escape(e.vendor()))
            .append(": ")
            .append(escape(e.method() + " " + e.url()))
            .append(" — recorded, awaiting an answer or recovery");
        count++;
      }
    }
    if (count == 0) {
      h.append("<li class=muted>nothing");
    }
    h.append("</ul>");

    h.append("<h2>Renewals</h2>");
    table(
        h,
        "renewals",
        history.stream().filter(e -> e.kind().equals("exchange")).limit(20).toList());
    h.append("<h2>Recent payments</h2>");
    table(
        h,
        "payments",
        history.stream().filter(e -> !e.kind().equals("exchange")).limit(50).toList());

    h.append("<h2>Proxy journal</h2><ul id=journal>");
    for (ProxyActivity.Line l : activity.recent().stream().limit(30).toList()) {
      h.append("<li><span class=muted>")
          .append(TIME.format(l.at()))
          .append("</span> ")
          .append(escape(l.text()));
    }
    h.append("</ul></body></html>");
    return h.toString();
  }

  private static void field(StringBuilder h, String name, String label, long millicents) {
    h.append("<label>")
        .append(label)
        .append(" <input name=")
        .append(name)
        .append(" size=10 value=\"")
        .append(escape(Amounts.human(millicents)))
        .append("\"></label> ");
  }

  private static void table(StringBuilder h, String id, List<HistoryEntry> entries) {
    h.append("<table id=")
        .append(id)
        .append(
            "><tr><th>#<th>when<th>kind<th>vendor<th>request<th>price<th>change<th>outcome</tr>");
    for (HistoryEntry e : entries) {
      h.append("<tr><td class=n>")
          .append(e.id())
          .append("<td>")
          .append(TIME.format(e.startedAt()))
          .append("<td>")
          .append(escape(e.kind()))
          .append("<td>")
          .append(escape(e.vendor()))
          .append("<td>")
          .append(escape(e.method() + " " + e.url()))
          .append("<td class=n>")
          .append(escape(e.priceMillicents().map(Amounts::format).orElse("—")))
          .append("<td class=n>")
          .append(escape(e.changeMillicents().map(Amounts::format).orElse("—")))
          .append("<td>")
          .append(escape(e.outcome().orElse(e.state())))
          .append("</tr>");
    }
    if (entries.isEmpty()) {
      h.append("<tr><td colspan=8 class=muted>none yet</tr>");
    }
    h.append("</table>");
  }

  /**
   * uPlot's data, as JSON: {@code {"vendors":[...], "data":[[t...],[cumulative m¢ of vendor 1...],
   * ...]}}, one point per purchase, oldest first.
   */
  static String spendingSeries(List<HistoryEntry> newestFirst) {
    List<HistoryEntry> paid = new ArrayList<>();
    for (HistoryEntry e : newestFirst.reversed()) {
      if (e.kind().equals("purchase") && e.priceMillicents().orElse(0L) > 0) {
        paid.add(e);
      }
    }
    List<String> vendors =
        new ArrayList<>(new TreeSet<>(paid.stream().map(HistoryEntry::vendor).toList()));
    Map<String, Long> running = new TreeMap<>();
    ObjectNode root = JSON.createObjectNode();
    ArrayNode names = root.putArray("vendors");
    vendors.forEach(names::add);
    ArrayNode data = root.putArray("data");
    ArrayNode times = data.addArray();
    List<ArrayNode> series = new ArrayList<>();
    for (int i = 0; i < vendors.size(); i++) {
      series.add(data.addArray());
    }
    for (HistoryEntry e : paid) {
      running.merge(e.vendor(), e.priceMillicents().orElse(0L), Long::sum);
      Instant t = e.finishedAt().orElse(e.startedAt());
      times.add(t.getEpochSecond() + t.getNano() / 1e9);
      for (int i = 0; i < vendors.size(); i++) {
        series.get(i).add(running.getOrDefault(vendors.get(i), 0L));
      }
    }
    return root.toString();
  }
}
