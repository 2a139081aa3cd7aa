package org.millicent.http;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import org.millicent.money.Amounts;

/**
 * Writes an operator's dashboard page (docs/HTTP-API.md, "Dashboards"), the same for the vendor and
 * the broker: figures as cards, tables, and charts whose numbers are a table too, so the page reads
 * without JavaScript; {@code dashboard.js} draws each chart from its table with uPlot. Every text
 * is escaped; the page has no inline script or style (its {@link
 * DashboardAssets#CONTENT_SECURITY_POLICY} allows none). Each money cell carries its exact
 * millicents in {@code data-v}. Not thread-safe: one per page.
 */
public final class DashboardPage {
  /** A figure shown as a card: a label, its value and a note under it (may be empty). */
  public record Figure(String label, String value, String note) {}

  /** One series of a chart: its name and one value per time of the chart. */
  public record Series(String name, long[] values) {}

  /** What a chart's values are: amounts of money in millicents, or counts. */
  public enum Unit {
    /** Millicents, shown as {@link Amounts#human}. */
    MONEY,
    /** Plain counts. */
    COUNT
  }

  private static final DateTimeFormatter HOUR =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:00", Locale.ROOT).withZone(ZoneOffset.UTC);
  private static final DateTimeFormatter DAY =
      DateTimeFormatter.ofPattern("yyyy-MM-dd", Locale.ROOT).withZone(ZoneOffset.UTC);

  private final StringBuilder h = new StringBuilder(16_384);

  /**
   * Begins a page titled {@code title} (with {@code subtitle} under it) whose assets are under
   * {@code assetPrefix} (as given to {@link DashboardAssets#addRoutes}).
   */
  public DashboardPage(String title, String subtitle, String assetPrefix) {
    String p = Html.escape(assetPrefix);
    h.append("<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
        .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
        .append("<meta name=\"referrer\" content=\"no-referrer\">\n<title>")
        .append(Html.escape(title))
        .append("</title>\n<link rel=\"stylesheet\" href=\"")
        .append(p)
        .append("/uplot.css\">\n<link rel=\"stylesheet\" href=\"")
        .append(p)
        .append("/dashboard.css\">\n<script defer src=\"")
        .append(p)
        .append("/uplot.js\"></script>\n<script defer src=\"")
        .append(p)
        .append("/dashboard.js\"></script>\n</head>\n<body>\n<main class=\"dashboard\">\n<h1>")
        .append(Html.escape(title))
        .append("</h1>\n<p class=\"muted\">")
        .append(Html.escape(subtitle))
        .append("</p>\n");
  }

  /** Starts a section headed {@code title}. */
  public DashboardPage section(String title) {
    h.append("<h2>").append(Html.escape(title)).append("</h2>\n");
    return this;
  }

  /** A paragraph of {@code text}, muted. */
  public DashboardPage note(String text) {
    h.append("<p class=\"muted\">").append(Html.escape(text)).append("</p>\n");
    return this;
  }

  /** A row of cards, one per figure; each card's element has {@code data-figure} = its label. */
  public DashboardPage figures(List<Figure> figures) {
    h.append("<div class=\"figures\">\n");
    for (Figure f : figures) {
      h.append("<div class=\"figure\" data-figure=\"")
          .append(Html.escape(f.label()))
          .append("\"><div class=\"label\">")
          .append(Html.escape(f.label()))
          .append("</div><div class=\"value\">")
          .append(Html.escape(f.value()))
          .append("</div>");
      if (!f.note().isEmpty()) {
        h.append("<div class=\"muted\">").append(Html.escape(f.note())).append("</div>");
      }
      h.append("</div>\n");
    }
    h.append("</div>\n");
    return this;
  }

  /**
   * A table named {@code id} with {@code headers}; each row's cells are {@link #money}, {@link
   * #count} or {@link #text} cells. An empty table says {@code empty} instead.
   */
  public DashboardPage table(
      String id, List<String> headers, List<List<String>> rows, String empty) {
    if (rows.isEmpty()) {
      return note(empty);
    }
    h.append("<div class=\"scroll\"><table id=\"")
        .append(Html.escape(id))
        .append("\">\n<thead><tr>");
    for (int i = 0; i < headers.size(); i++) {
      // A column of numbers has its header over the numbers' (right) side.
      boolean num = i < rows.getFirst().size() && rows.getFirst().get(i).startsWith("<td class");
      h.append(num ? "<th scope=\"col\" class=\"num\">" : "<th scope=\"col\">")
          .append(Html.escape(headers.get(i)))
          .append("</th>");
    }
    h.append("</tr></thead>\n<tbody>\n");
    for (List<String> row : rows) {
      h.append("<tr>");
      row.forEach(h::append);
      h.append("</tr>\n");
    }
    h.append("</tbody>\n</table></div>\n");
    return this;
  }

  /** A table cell holding {@code text}. */
  public static String text(String text) {
    return "<td>" + Html.escape(text) + "</td>";
  }

  /** A numeric cell showing {@code millicents} as money, with the exact value in {@code data-v}. */
  public static String money(long millicents) {
    return "<td class=\"num\" data-v=\""
        + millicents
        + "\">"
        + Html.escape(Amounts.human(millicents))
        + "</td>";
  }

  /** A numeric cell holding the count {@code n}, also in {@code data-v}. */
  public static String count(long n) {
    return "<td class=\"num\" data-v=\""
        + n
        + "\">"
        + String.format(Locale.ROOT, "%,d", n)
        + "</td>";
  }

  /**
   * A chart named {@code id} over the times {@code startsAt} (each bucket's start; hourly buckets
   * when {@code hourly}, else daily) with {@code series}, drawn as bars when {@code bars} else as
   * lines; its numbers are a table in a {@code <details>} under it.
   */
  public DashboardPage chart(
      String id,
      String title,
      Unit unit,
      boolean bars,
      boolean hourly,
      List<Instant> startsAt,
      List<Series> series) {
    h.append("<figure class=\"chart\" data-chart=\"")
        .append(bars ? "bars" : "lines")
        .append("\" data-unit=\"")
        .append(unit == Unit.MONEY ? "money" : "count")
        .append("\"><figcaption>")
        .append(Html.escape(title))
        .append("</figcaption>\n<div class=\"plot\" aria-hidden=\"true\"></div>\n")
        .append("<details><summary>Numbers</summary><div class=\"scroll\"><table id=\"")
        .append(Html.escape(id))
        .append("\">\n<thead><tr><th scope=\"col\">")
        .append(hourly ? "Hour (UTC)" : "Day (UTC)")
        .append("</th>");
    for (Series s : series) {
      h.append("<th scope=\"col\" class=\"num\">").append(Html.escape(s.name())).append("</th>");
    }
    h.append("</tr></thead>\n<tbody>\n");
    for (int i = 0; i < startsAt.size(); i++) {
      Instant t = startsAt.get(i);
      h.append("<tr data-t=\"")
          .append(t.getEpochSecond())
          .append("\"><th scope=\"row\">")
          .append((hourly ? HOUR : DAY).format(t))
          .append("</th>");
      for (Series s : series) {
        h.append(unit == Unit.MONEY ? money(s.values()[i]) : count(s.values()[i]));
      }
      h.append("</tr>\n");
    }
    h.append("</tbody>\n</table></div></details>\n</figure>\n");
    return this;
  }

  /**
   * A horizontal bar split into {@code parts} in proportion to their amounts (drawn by the server
   * as SVG, so it needs no script), with a legend.
   */
  public DashboardPage stackedBar(String label, List<Figure> parts, long[] amounts) {
    long total = 0;
    for (long a : amounts) {
      total += Math.max(0, a);
    }
    h.append("<figure class=\"bar\"><svg viewBox=\"0 0 1000 24\" preserveAspectRatio=\"none\"")
        .append(" role=\"img\" aria-label=\"")
        .append(Html.escape(label))
        .append("\">");
    long x = 0;
    for (int i = 0; i < amounts.length; i++) {
      long w = total == 0 ? 0 : Math.max(0, amounts[i]) * 1000 / total;
      h.append("<rect class=\"c")
          .append(i)
          .append("\" x=\"")
          .append(x)
          .append("\" y=\"0\" height=\"24\" width=\"")
          .append(w)
          .append("\"></rect>");
      x += w;
    }
    h.append("</svg><figcaption><ul class=\"legend\">");
    for (int i = 0; i < parts.size(); i++) {
      h.append("<li><span class=\"swatch c")
          .append(i)
          .append("\"></span>")
          .append(Html.escape(parts.get(i).label()))
          .append(": ")
          .append(Html.escape(parts.get(i).value()))
          .append("</li>");
    }
    h.append("</ul></figcaption></figure>\n");
    return this;
  }

  /** The finished page, as UTF-8. */
  public byte[] finish() {
    h.append("</main>\n</body>\n</html>\n");
    return h.toString().getBytes(StandardCharsets.UTF_8);
  }
}
