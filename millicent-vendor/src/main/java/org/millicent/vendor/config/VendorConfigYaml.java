package org.millicent.vendor.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.millicent.protocol.Variant;
import org.millicent.vendor.jetty.HttpTimeouts;

/**
 * Reads the vendor's YAML file into a {@link VendorConfig.Builder}, collecting every structural
 * problem (unknown keys, wrong types) by its key path, then adds the builder's own validation, so
 * that one run names every error. Stateless.
 *
 * <p>The file, with every key (only {@code vendor} and {@code prices} or {@code free} are needed):
 *
 * <pre>
 * vendor: venetia
 * currency: USD
 * host: 127.0.0.1
 * port: 8080
 * public_urls: ["https://venetia.example"]   # default: 127.0.0.1, localhost, [::1] at the port
 * scrip_lifetime: 24h            # s, m, h, d suffix, or ISO-8601 (PT24H)
 * retry_wait: 5s                 # an identical request in progress is waited for this long
 * variants: [signed, private]    # clear, signed, private
 * prices:
 *   - {method: GET, path: "/pages/*", price_millicents: 100}
 * free: ["/", "/index.html"]
 * price_rules:
 *   - {property: country, rates_bps: {DE: 1900}, default_bps: 0}
 * content:
 *   static: ./site               # or: origin: http://127.0.0.1:9000, origin_timeout: 30s
 * brokers:
 *   - {id: bob, url: "http://127.0.0.1:8081", token: "...", customer_id: "5", discount_bps: 500}
 * database: jdbc:postgresql://127.0.0.1:5432/test?user=postgres   # default: SQLite vendor.db
 * tls: {keystore: vendor.p12, password: changeit}
 * admin_token: "..."             # default: generated into the data folder
 * </pre>
 */
final class VendorConfigYaml {
  private static final Set<String> TOP =
      Set.of(
          "vendor",
          "currency",
          "host",
          "port",
          "public_urls",
          "scrip_lifetime",
          "retry_wait",
          "variants",
          "prices",
          "free",
          "price_rules",
          "content",
          "brokers",
          "database",
          "tls",
          "admin_token",
          "http_timeouts");
  private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)");

  private VendorConfigYaml() {}

  static VendorConfig load(Path file) {
    JsonNode root;
    try {
      root = new YAMLMapper().readTree(file.toFile());
    } catch (IOException e) {
      throw new ConfigException(
          List.of(file + ": cannot read the configuration: " + e.getMessage()));
    }
    if (root == null || !root.isObject()) {
      throw new ConfigException(List.of(file + ": expected a YAML mapping of settings"));
    }
    Path base = file.toAbsolutePath().getParent();
    List<String> errors = new ArrayList<>();
    VendorConfig.Builder b = read((ObjectNode) root, base, errors);
    errors.addAll(b.validate());
    if (!errors.isEmpty()) {
      throw new ConfigException(errors);
    }
    return b.build();
  }

  private static VendorConfig.Builder read(ObjectNode root, Path base, List<String> errors) {
    unknownKeys(root, TOP, "", errors);
    VendorConfig.Builder b =
        VendorConfig.builder(root.has("vendor") ? text(root, "vendor", "vendor", errors) : null);
    b.clearPrices();
    if (root.has("currency")) {
      b.currency(text(root, "currency", "currency", errors));
    }
    if (root.has("host")) {
      b.host(text(root, "host", "host", errors));
    }
    if (root.has("port")) {
      b.port((int) integer(root.get("port"), "port", errors, VendorConfig.DEFAULT_PORT));
    }
    if (root.has("retry_wait")) {
      b.retryWait(duration(root.get("retry_wait"), "retry_wait", errors));
    }
    if (root.has("public_urls")) {
      JsonNode urls = root.get("public_urls");
      if (!urls.isArray()) {
        errors.add("public_urls: expected a list of URLs such as [\"https://venetia.example\"]");
      } else {
        for (int i = 0; i < urls.size(); i++) {
          if (!urls.get(i).isTextual()) {
            errors.add("public_urls[" + i + "]: expected a URL, found " + urls.get(i));
          } else {
            b.publicUrl(urls.get(i).asText());
          }
        }
      }
    }
    if (root.has("scrip_lifetime")) {
      b.scripLifetime(duration(root.get("scrip_lifetime"), "scrip_lifetime", errors));
    }
    if (root.has("variants")) {
      b.variants(variants(root.get("variants"), errors));
    }
    prices(root, b, errors);
    rules(root, b, errors);
    content(root, base, b, errors);
    brokers(root, b, errors);
    if (root.has("database")) {
      b.database(text(root, "database", "database", errors));
    }
    if (root.has("tls")) {
      JsonNode t = root.get("tls");
      if (!t.isObject()) {
        errors.add("tls: expected a mapping with keystore and password");
      } else {
        unknownKeys(t, Set.of("keystore", "password"), "tls.", errors);
        String ks = text(t, "keystore", "tls.keystore", errors);
        b.tls(
            new TlsConfig(
                ks == null ? null : base.resolve(ks), text(t, "password", "tls.password", errors)));
      }
    }
    if (root.has("admin_token")) {
      b.adminToken(text(root, "admin_token", "admin_token", errors));
    }
    if (root.has("http_timeouts")) {
      JsonNode t = root.get("http_timeouts");
      if (!t.isObject()) {
        errors.add("http_timeouts: expected a mapping with idle and header");
      } else {
        unknownKeys(t, Set.of("idle", "header"), "http_timeouts.", errors);
        Duration idle =
            t.has("idle")
                ? duration(t.get("idle"), "http_timeouts.idle", errors)
                : HttpTimeouts.DEFAULT.idle();
        Duration header =
            t.has("header")
                ? duration(t.get("header"), "http_timeouts.header", errors)
                : HttpTimeouts.DEFAULT.header();
        try {
          if (idle != null && header != null) {
            b.httpTimeouts(new HttpTimeouts(idle, header));
          }
        } catch (IllegalArgumentException e) {
          errors.add(e.getMessage());
        }
      }
    }
    return b;
  }

  private static void prices(ObjectNode root, VendorConfig.Builder b, List<String> errors) {
    JsonNode prices = root.get("prices");
    if (prices != null) {
      if (!prices.isArray()) {
        errors.add("prices: expected a list of {method, path, price_millicents}");
      } else {
        for (int i = 0; i < prices.size(); i++) {
          JsonNode p = prices.get(i);
          String at = "prices[" + i + "]";
          if (!p.isObject()) {
            errors.add(at + ": expected {method, path, price_millicents}");
            continue;
          }
          unknownKeys(p, Set.of("method", "path", "price_millicents"), at + ".", errors);
          String method = p.has("method") ? text(p, "method", at + ".method", errors) : "GET";
          b.price(
              method == null ? null : method.toUpperCase(Locale.ROOT),
              text(p, "path", at + ".path", errors),
              integer(p.get("price_millicents"), at + ".price_millicents", errors, 0));
        }
      }
    }
    JsonNode free = root.get("free");
    if (free != null) {
      if (!free.isArray()) {
        errors.add("free: expected a list of path patterns");
      } else {
        for (int i = 0; i < free.size(); i++) {
          JsonNode f = free.get(i);
          if (!f.isTextual()) {
            errors.add("free[" + i + "]: expected a path pattern, found " + f);
          } else {
            b.free(f.asText());
          }
        }
      }
    }
  }

  private static void rules(ObjectNode root, VendorConfig.Builder b, List<String> errors) {
    JsonNode rules = root.get("price_rules");
    if (rules == null) {
      return;
    }
    if (!rules.isArray()) {
      errors.add("price_rules: expected a list of {property, rates_bps, default_bps}");
      return;
    }
    for (int i = 0; i < rules.size(); i++) {
      JsonNode r = rules.get(i);
      String at = "price_rules[" + i + "]";
      if (!r.isObject()) {
        errors.add(at + ": expected {property, rates_bps, default_bps}");
        continue;
      }
      unknownKeys(r, Set.of("property", "rates_bps", "default_bps"), at + ".", errors);
      Map<String, Long> rates = new LinkedHashMap<>();
      JsonNode rn = r.get("rates_bps");
      if (rn != null) {
        if (!rn.isObject()) {
          errors.add(at + ".rates_bps: expected a mapping of property value to basis points");
        } else {
          for (Iterator<Map.Entry<String, JsonNode>> it = rn.properties().iterator();
              it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            rates.put(
                e.getKey(), integer(e.getValue(), at + ".rates_bps." + e.getKey(), errors, 0));
          }
        }
      }
      long def =
          r.has("default_bps") ? integer(r.get("default_bps"), at + ".default_bps", errors, 0) : 0;
      b.priceRule(new PriceRule(text(r, "property", at + ".property", errors), rates, def));
    }
  }

  private static void content(
      ObjectNode root, Path base, VendorConfig.Builder b, List<String> errors) {
    JsonNode c = root.get("content");
    if (c == null) {
      return;
    }
    if (!c.isObject()) {
      errors.add("content: expected a mapping with static, origin or sample");
      return;
    }
    unknownKeys(c, Set.of("static", "origin", "origin_timeout", "sample"), "content.", errors);
    int kinds = (c.has("static") ? 1 : 0) + (c.has("origin") ? 1 : 0) + (c.has("sample") ? 1 : 0);
    if (kinds != 1) {
      errors.add("content: expected exactly one of static, origin or sample, found " + kinds);
      return;
    }
    if (c.has("static")) {
      String dir = text(c, "static", "content.static", errors);
      b.content(new Content.StaticFolder(dir == null ? null : base.resolve(dir)));
    } else if (c.has("origin")) {
      String url = text(c, "origin", "content.origin", errors);
      URI uri = null;
      if (url != null) {
        try {
          uri = new URI(url);
        } catch (URISyntaxException e) {
          errors.add("content.origin: expected a URL, found " + url);
        }
      }
      Duration timeout =
          c.has("origin_timeout")
              ? duration(c.get("origin_timeout"), "content.origin_timeout", errors)
              : VendorConfig.DEFAULT_ORIGIN_TIMEOUT;
      if (uri != null) {
        b.content(new Content.Origin(uri, timeout));
      }
    } else {
      b.content(new Content.Sample());
    }
  }

  private static void brokers(ObjectNode root, VendorConfig.Builder b, List<String> errors) {
    JsonNode brokers = root.get("brokers");
    if (brokers == null) {
      return;
    }
    if (!brokers.isArray()) {
      errors.add("brokers: expected a list of {id, url, token, customer_id, discount_bps}");
      return;
    }
    for (int i = 0; i < brokers.size(); i++) {
      JsonNode n = brokers.get(i);
      String at = "brokers[" + i + "]";
      if (!n.isObject()) {
        errors.add(at + ": expected {id, url, token, customer_id, discount_bps}");
        continue;
      }
      unknownKeys(n, Set.of("id", "url", "token", "customer_id", "discount_bps"), at + ".", errors);
      String url = text(n, "url", at + ".url", errors);
      URI uri = null;
      if (url != null) {
        try {
          uri = new URI(url);
        } catch (URISyntaxException e) {
          errors.add(at + ".url: expected a URL, found " + url);
        }
      }
      long customer = 0;
      JsonNode c = n.get("customer_id");
      if (c == null) {
        errors.add(at + ".customer_id: expected the broker's customer ID at this vendor");
      } else {
        try {
          customer = Long.parseUnsignedLong(c.asText());
        } catch (NumberFormatException e) {
          errors.add(at + ".customer_id: expected an unsigned 64-bit decimal, found " + c);
        }
      }
      long discount =
          n.has("discount_bps")
              ? integer(n.get("discount_bps"), at + ".discount_bps", errors, 0)
              : 0;
      b.broker(
          new BrokerConfig(
              text(n, "id", at + ".id", errors),
              uri,
              text(n, "token", at + ".token", errors),
              customer,
              (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, discount))));
    }
  }

  private static Set<Variant> variants(JsonNode n, List<String> errors) {
    Set<Variant> out = EnumSet.noneOf(Variant.class);
    if (!n.isArray()) {
      errors.add("variants: expected a list of clear, signed, private");
      return out;
    }
    for (int i = 0; i < n.size(); i++) {
      Variant v = Variant.fromWireName(n.get(i).asText());
      if (v == null) {
        errors.add("variants[" + i + "]: expected clear, signed or private, found " + n.get(i));
      } else {
        out.add(v);
      }
    }
    return out;
  }

  static Duration duration(JsonNode n, String at, List<String> errors) {
    if (n == null || !(n.isTextual() || n.isIntegralNumber())) {
      errors.add(at + ": expected a duration like 30s, 15m, 24h, 7d or PT24H, found " + n);
      return null;
    }
    if (n.isIntegralNumber()) {
      return Duration.ofSeconds(n.asLong());
    }
    String s = n.asText().strip();
    Matcher m = DURATION.matcher(s);
    if (m.matches()) {
      long v = Long.parseLong(m.group(1));
      return switch (m.group(2)) {
        case "ms" -> Duration.ofMillis(v);
        case "s" -> Duration.ofSeconds(v);
        case "m" -> Duration.ofMinutes(v);
        case "h" -> Duration.ofHours(v);
        default -> Duration.ofDays(v);
      };
    }
    try {
      return Duration.parse(s);
    } catch (DateTimeParseException e) {
      errors.add(at + ": expected a duration like 30s, 15m, 24h, 7d or PT24H, found " + s);
      return null;
    }
  }

  private static String text(JsonNode parent, String key, String at, List<String> errors) {
    JsonNode n = parent.get(key);
    if (n == null || n.isNull()) {
      errors.add(at + ": expected a value, found none");
      return null;
    }
    if (!n.isValueNode() || n.isBoolean()) {
      errors.add(at + ": expected text, found " + n.getNodeType().name().toLowerCase(Locale.ROOT));
      return null;
    }
    return n.asText();
  }

  private static long integer(JsonNode n, String at, List<String> errors, long fallback) {
    if (n == null || n.isNull()) {
      errors.add(at + ": expected an integer, found none");
      return fallback;
    }
    if (n.isIntegralNumber() && n.canConvertToLong()) {
      return n.asLong();
    }
    if (n.isTextual()) {
      try {
        return Long.parseLong(n.asText().strip().replace("_", ""));
      } catch (NumberFormatException e) {
        // reported below
      }
    }
    errors.add(at + ": expected an integer, found " + n);
    return fallback;
  }

  private static void unknownKeys(
      JsonNode n, Set<String> known, String prefix, List<String> errors) {
    for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
      String k = it.next();
      if (!known.contains(k)) {
        errors.add(
            prefix + k + ": unknown setting (known: " + new java.util.TreeSet<>(known) + ")");
      }
    }
  }
}
