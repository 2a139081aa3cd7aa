package org.millicent.http;

import java.util.Locale;

/**
 * What both servers need to answer people as well as programs: Accept negotiation between an HTML
 * page and JSON, and escaping of text put into HTML. Stateless and thread-safe.
 */
public final class Html {
  /** Media type of the pages written for people. */
  public static final String TYPE = "text/html;charset=utf-8";

  private Html() {}

  /**
   * Whether a request with this {@code Accept} value prefers an HTML page to JSON: {@code
   * text/html} is ranked strictly above both {@code application/json} and {@code
   * application/problem+json}, as browsers send it ({@code text/html,...,*\/*;q=0.8}). No Accept,
   * {@code *\/*}, a tie or an unparsable value prefer JSON, so API clients keep what they get.
   */
  public static boolean prefersHtml(String accept) {
    if (accept == null || accept.isBlank()) {
      return false;
    }
    double html = quality(accept, "text", "html");
    return html > 0
        && html > quality(accept, "application", "json")
        && html > quality(accept, "application", "problem+json");
  }

  /**
   * The quality {@code accept} gives {@code type/subtype}: that of the most specific matching range
   * (RFC 9110, section 12.5.1), 0 when none matches.
   */
  static double quality(String accept, String type, String subtype) {
    int best = -1;
    double q = 0;
    for (String range : accept.split(",", -1)) {
      String[] parts = range.split(";");
      String media = parts[0].strip().toLowerCase(Locale.ROOT);
      int slash = media.indexOf('/');
      if (slash < 0) {
        continue;
      }
      String t = media.substring(0, slash).strip();
      String s = media.substring(slash + 1).strip();
      int specificity;
      if (t.equals(type) && s.equals(subtype)) {
        specificity = 2;
      } else if (t.equals(type) && s.equals("*")) {
        specificity = 1;
      } else if (t.equals("*") && s.equals("*")) {
        specificity = 0;
      } else {
        continue;
      }
      if (specificity > best) {
        best = specificity;
        q = qValue(parts);
      }
    }
    return q;
  }

  private static double qValue(String[] parts) {
    for (int i = 1; i < parts.length; i++) {
      String p = parts[i].strip();
      if (p.length() > 2 && (p.charAt(0) == 'q' || p.charAt(0) == 'Q') && p.charAt(1) == '=') {
        try {
          double q = Double.parseDouble(p.substring(2).strip());
          return q >= 0 && q <= 1 ? q : 0;
        } catch (NumberFormatException e) {
          return 0;
        }
      }
    }
    return 1;
  }

  /** {@code text} escaped for HTML text and quoted attribute values; null is the empty string. */
  public static String escape(String text) {
    if (text == null) {
      return "";
    }
    StringBuilder out = new StringBuilder(text.length() + 16);
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '&' -> out.append("&amp;");
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> out.append(c);
      }
    }
    return out.toString();
  }

  /**
   * The start of a page for people: {@code lang}, a viewport for phones, the title and a small
   * inline style sheet (no external assets, no script), up to and including {@code <main>}.
   */
  public static String head(String title) {
    return "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        + "<meta name=\"referrer\" content=\"no-referrer\">\n"
        + "<title>"
        + escape(title)
        + "</title>\n<style>\n"
        + STYLE
        + "</style>\n</head>\n<body>\n<main>\n";
  }

  /** The end of a page begun with {@link #head}. */
  public static String foot() {
    return "</main>\n</body>\n</html>\n";
  }

  private static final String STYLE =
      """
      :root { color-scheme: light dark; --fg: #1d232a; --muted: #586069; --bg: #fafaf7;
        --card: #fff; --line: #d8dce0; --accent: #0b6e4f; --code: #eef1f3; }
      @media (prefers-color-scheme: dark) { :root { --fg: #e8eaed; --muted: #a8b0b8;
        --bg: #15181b; --card: #1d2226; --line: #343b42; --accent: #5fd3a5; --code: #262c31; } }
      * { box-sizing: border-box; }
      body { margin: 0; background: var(--bg); color: var(--fg);
        font: 1rem/1.55 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
      main { max-width: 42rem; margin: 0 auto; padding: 1.5rem 1rem 3rem; }
      h1 { font-size: 1.6rem; line-height: 1.25; margin: .5rem 0 1rem; }
      h2 { font-size: 1.1rem; margin: 1.75rem 0 .5rem; }
      p, ul, ol { margin: .5rem 0; }
      a { color: var(--accent); }
      .card { background: var(--card); border: 1px solid var(--line); border-radius: .6rem;
        padding: 1rem 1.25rem; }
      .price { font-size: 1.35rem; font-weight: 600; margin: 0; }
      .muted { color: var(--muted); font-size: .92rem; }
      .code { display: inline-block; font-size: .8rem; font-weight: 600; letter-spacing: .04em;
        text-transform: uppercase; color: var(--accent); border: 1px solid currentColor;
        border-radius: 1rem; padding: .05rem .6rem; }
      code, pre { font: .88rem/1.45 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace;
        background: var(--code); border-radius: .3rem; }
      code { padding: .05rem .3rem; overflow-wrap: anywhere; }
      pre { padding: .6rem .8rem; overflow-x: auto; white-space: pre-wrap; overflow-wrap: anywhere; }
      dl { display: grid; grid-template-columns: max-content 1fr; gap: .25rem 1rem; margin: .75rem 0 0; }
      dt { color: var(--muted); } dd { margin: 0; overflow-wrap: anywhere; }
      .pay { margin: 1rem 0 0; }
      button { font: inherit; font-weight: 600; color: var(--bg); background: var(--accent);
        border: 0; border-radius: .4rem; padding: .55rem 1.1rem; cursor: pointer; }
      button:disabled { opacity: .6; cursor: progress; }
      button:focus-visible { outline: 3px solid var(--fg); outline-offset: 2px; }
      """;
}
