package org.millicent.vendor;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.millicent.http.Html;
import org.millicent.money.Amounts;
import org.millicent.vendor.config.BrokerConfig;
import org.millicent.vendor.config.Content;
import org.millicent.vendor.config.SamplePage;
import org.millicent.vendor.config.VendorConfig;

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
  private final boolean payButton;

  /**
   * The page of {@code config}'s vendor; {@code payButton} when the vendor serves the JavaScript
   * client ({@link ClientFiles}), so that the page can offer to pay in place.
   */
  Paywall(VendorConfig config, boolean payButton) {
    this.payButton = payButton;
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
        .append(Amounts.human(priceMillicents))
        .append(" <span class=\"muted\">(")
        .append(String.format(Locale.ROOT, "%,d", priceMillicents))
        .append(" millicents)</span></p>\n");
    h.append("<dl>\n<dt>Resource</dt><dd><code>")
        .append(Html.escape(resource))
        .append("</code></dd>\n<dt>Vendor</dt><dd>")
        .append(Html.escape(vendor))
        .append("</dd>\n<dt>Paid with</dt><dd>Millicent scrip (")
        .append(Html.escape(String.join(", ", variants)))
        .append(")</dd>\n</dl>\n");
    if (payButton && !brokers.isEmpty()) {
      h.append(button(brokers.getFirst().url()));
    }
    h.append("</section>\n");
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

  /**
   * The "Pay with Millicent" button: hidden until its module script runs (the page needs no script
   * otherwise), it opens a wallet in this browser (IndexedDB), an account at {@code broker} the
   * first time, pays this URL with the JavaScript client served by the vendor and shows what it
   * bought in place of the page.
   */
  private static String button(String broker) {
    return String.format(
        Locale.ROOT,
        """
        <p class="pay"><button id="pay" type="button" hidden>Pay with Millicent</button>
        <span id="pay-status" class="muted" role="status" aria-live="polite"></span></p>
        <script type="module">
        import { Wallet, IndexedDbStorage } from '/millicent/client/index.js';
        const button = document.getElementById('pay');
        const status = document.getElementById('pay-status');
        const broker = %s;
        button.hidden = false;
        button.addEventListener('click', async () => {
          button.disabled = true;
          try {
            const wallet = await Wallet.open({ storage: new IndexedDbStorage('millicent') });
            if (wallet.brokers().length === 0) {
              status.textContent = 'Opening an account at ' + broker + '…';
              await wallet.register(broker);
            }
            status.textContent = 'Paying…';
            const r = await wallet.fetch(location.href);
            if (!r.ok) throw new Error('the vendor answered ' + r.status);
            const type = r.headers.get('content-type') ?? '';
            if (type.startsWith('text/html')) {
              const html = await r.text();
              document.open();
              document.write(html);
              document.close();
            } else {
              location.replace(URL.createObjectURL(await r.blob()));
            }
          } catch (e) {
            status.textContent = 'Not paid: ' + (e.code ? e.code + ': ' : '') + e.message;
            button.disabled = false;
          }
        });
        </script>
        """,
        jsString(broker));
  }

  /** {@code s} as a JavaScript string literal that cannot end the script it is in. */
  static String jsString(String s) {
    StringBuilder out = new StringBuilder(s.length() + 2).append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x20
          || c == '"'
          || c == '\\'
          || c == '<'
          || c == '>'
          || c == '&'
          || c == '\''
          || c == 0x2028
          || c == 0x2029) {
        out.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
      } else {
        out.append(c);
      }
    }
    return out.append('"').toString();
  }
}
