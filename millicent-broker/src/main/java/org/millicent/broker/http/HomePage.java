package org.millicent.broker.http;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import org.millicent.broker.BrokerConfig;
import org.millicent.broker.VendorConfig;
import org.millicent.http.Html;
import org.millicent.money.Amounts;

/**
 * The broker's home page ({@code GET /} for browsers, docs/HTTP-API.md, "GET /"): what this broker
 * is, the vendors whose scrip it sells and how to open an account. No script, no external asset,
 * every interpolated text escaped. Stateless and thread-safe.
 */
final class HomePage {
  private HomePage() {}

  /**
   * The page for broker {@code id} at {@code self} (its base URL, as configured or as addressed)
   * selling the scrip of {@code vendors}.
   */
  static byte[] render(String id, String self, BrokerConfig config, List<VendorConfig> vendors) {
    StringBuilder h = new StringBuilder(4096);
    h.append(Html.head("Millicent broker " + id));
    h.append("<p><span class=\"code\">Millicent broker</span></p>\n<h1>")
        .append(Html.escape(id))
        .append("</h1>\n<p>This is a Millicent broker: it keeps customer accounts and sells")
        .append(" <em>scrip</em>, the tokens that pay vendors' priced pages and APIs a fraction of")
        .append(
            " a cent at a time. A vendor checks scrip by itself, with no call back here.</p>\n");
    h.append("<h2>Vendors sold here</h2>\n");
    if (vendors.isEmpty()) {
      h.append("<p>No vendor yet: this broker sells only its own broker scrip.</p>\n");
    } else {
      h.append("<ul>\n");
      for (VendorConfig v : vendors) {
        String u = v.origins().getFirst().toString();
        h.append("<li><a href=\"")
            .append(Html.escape(u))
            .append("\">")
            .append(Html.escape(v.vendor()))
            .append("</a> <span class=\"muted\">")
            .append(Html.escape(u))
            .append("</span></li>\n");
      }
      h.append("</ul>\n");
    }
    h.append("<h2>Open an account</h2>\n<ol>\n")
        .append("<li><p>With the Millicent wallet, which then pays vendors' 402 answers by itself:")
        .append("</p>\n<pre>millicent wallet register --broker ")
        .append(Html.escape(self))
        .append("</pre></li>\n")
        .append("<li><p>From a web page or a Node script, with the JavaScript client")
        .append(" <code>@millicent/client</code> (this broker answers pages of any origin):</p>\n")
        .append("<pre>const wallet = await Wallet.open({ storage });\nawait wallet.register('")
        .append(Html.escape(self))
        .append("');</pre></li>\n")
        .append("<li><p>Over HTTP: <code>POST /broker/accounts</code> with")
        .append(" <code>{\"name\": \"alice\"}</code>, over TLS or from this machine; the answer")
        .append(" holds the customer secret, once.</p></li>\n</ol>\n");
    h.append("<p class=\"muted\">New accounts: ")
        .append(Html.escape(config.provider()))
        .append(
            BrokerConfig.AGGREGATING.equals(config.provider())
                ? ", credit limit "
                    + Amounts.human(config.creditLimitMillicents())
                    + String.format(
                        Locale.ROOT, " (%,d millicents)", config.creditLimitMillicents())
                : "")
        .append(". Programs read this broker's manifest at")
        .append(
            " <a href=\"/.well-known/millicent\"><code>/.well-known/millicent</code></a>.</p>\n");
    h.append(Html.foot());
    return h.toString().getBytes(StandardCharsets.UTF_8);
  }
}
