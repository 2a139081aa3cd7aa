package org.millicent.vendor;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.millicent.vendor.config.BrokerConfig;
import org.millicent.vendor.config.Content;
import org.millicent.vendor.config.SamplePage;
import org.millicent.vendor.config.VendorConfig;
import org.millicent.vendor.jetty.Html;

/**
 * The 402 page for people (docs/HTTP-API.md, "The paywall page"): what a browser shows instead of
 * the problem document when the request prefers {@code text/html}. It says what the resource is and
 * costs, why a payment was refused, which brokers sell this vendor's scrip and how to pay; no
 * script, no external asset, every interpolated text escaped (the path is the client's). Immutable
 * and thread-safe.
 */
final class Paywall {
  private record Broker(String id, String url) {}

  private final String vendor;
  private final List<Broker> brokers;
  private final List<String> variants;
  private final Map<String, String> titles;

  Paywall(VendorConfig config) {
    this.vendor = config.vendor();
    this.brokers =
        config.brokers().stream()
            .map((BrokerConfig b) -> new Broker(b.id(), b.url().toString()))
            .toList();
    this.variants = new Offer(config).variants();
    // Only the sample catalogue knows titles; a configured price has none.
    this.titles =
        config.content() instanceof Content.Sample
            ? SamplePage.ALL.stream()
                .collect(Collectors.toUnmodifiableMap(SamplePage::path, SamplePage::title))
            : Map.of();
  }

  /**
   * The page for the 402 {@code payment-required} on {@code method} {@code path}, offered at {@code
   * priceMillicents}.
   */
  byte[] render(String method, String path, long priceMillicents) {
    String title = titles.get(path);
    String resource = method + " " + path;
    StringBuilder h = new StringBuilder(4096);
    h.append(Html.head("Payment required: " + (title != null ? title : resource)));
    h.append("<p><span class=\"code\">402 Payment required</span></p>\n");
    h.append("<h1>")
        .append(Html.escape(title != null ? title : "This resource is for sale"))
        .append("</h1>\n");
    h.append("<section class=\"card\" aria-labelledby=\"price\">\n");
    h.append("<p class=\"price\" id=\"price\">")
        .append(cents(priceMillicents))
        .append(" <span class=\"muted\">(")
        .append(String.format("%,d", priceMillicents))
        .append(" millicents)</span></p>\n");
    h.append("<dl>\n<dt>Resource</dt><dd><code>")
        .append(Html.escape(resource))
        .append("</code></dd>\n<dt>Vendor</dt><dd>")
        .append(Html.escape(vendor))
        .append("</dd>\n<dt>Paid with</dt><dd>Millicent scrip (")
        .append(Html.escape(String.join(", ", variants)))
        .append(")</dd>\n</dl>\n</section>\n");
    h.append("<h2>Where to buy scrip</h2>\n");
    if (brokers.isEmpty()) {
      h.append("<p>This vendor names no broker: its scrip is not for sale to the public.</p>\n");
    } else {
      h.append("<p>These brokers sell scrip for ")
          .append(Html.escape(vendor))
          .append(":</p>\n<ul>\n");
      for (Broker b : brokers) {
        h.append("<li><a href=\"")
            .append(Html.escape(b.url()))
            .append("\">")
            .append(Html.escape(b.id()))
            .append("</a> <span class=\"muted\">")
            .append(Html.escape(b.url()))
            .append("</span></li>\n");
      }
      h.append("</ul>\n");
    }
    String broker = brokers.isEmpty() ? "BROKER-URL" : brokers.getFirst().url();
    h.append("<h2>How to pay</h2>\n<ol>\n")
        .append(
            "<li><p>With the Millicent wallet: open an account at a broker, then fetch the page")
        .append(
            " through the wallet, or point your browser's HTTP proxy at the wallet's proxy.</p>")
        .append("\n<pre>millicent wallet register --broker ")
        .append(Html.escape(broker))
        .append("\nmillicent wallet proxy --port 8402</pre></li>\n")
        .append("<li><p>From a web page or a Node script: the JavaScript client")
        .append(" <code>@millicent/client</code> pays this answer within a budget.</p>\n")
        .append("<pre>const wallet = await Wallet.open({ storage });\nawait wallet.register('")
        .append(Html.escape(broker))
        .append("');\nconst page = await wallet.fetch(location.href);</pre></li>\n")
        .append("</ol>\n");
    h.append("<p class=\"muted\">Programs find the offer in the <code>WWW-Authenticate</code>")
        .append(" header; asked with <code>Accept: application/json</code>, this answer is a")
        .append(" problem document.</p>\n");
    h.append(Html.foot());
    return h.toString().getBytes(StandardCharsets.UTF_8);
  }

  /** {@code millicents} in cents, exact: 100 is {@code 0.1¢}, 5000 is {@code 5¢}. */
  static String cents(long millicents) {
    // A local formatter until a shared one reaches millicent-core.
    return BigDecimal.valueOf(millicents, 3).stripTrailingZeros().toPlainString() + "¢";
  }
}
