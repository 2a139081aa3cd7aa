package org.millicent.vendor.config;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.millicent.protocol.PublicOrigins;
import org.millicent.scrip.ScripBody;

/**
 * The rules a vendor's settings must meet (docs/CONFIG.md): each broken rule is named by its YAML
 * key with what was expected and what was found, and all are reported together. Stateless.
 */
final class VendorConfigChecks {
  private static final Pattern CURRENCY = Pattern.compile("[A-Z]{3}");
  private static final Pattern BROKER_ID = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");
  private static final Pattern PROPERTY = Pattern.compile("[a-z0-9_.-]{1,32}");
  private static final List<String> METHODS = List.of("GET", "POST", "PUT", "PATCH", "DELETE", "*");

  private VendorConfigChecks() {}

  /**
   * {@code value}, which a setting read from YAML may lack until the settings are validated as a
   * whole (that reports it); accessors of entries that only a validated configuration holds use it.
   *
   * @throws IllegalStateException if {@code value} is null: the entry was never validated
   */
  static <T> T validated(@Nullable T value, String setting) {
    if (value == null) {
      throw new IllegalStateException(
          "configuration entry without its " + setting + ": validation would have refused it");
    }
    return value;
  }

  /** Every problem with the settings of {@code b}, named by their YAML keys; empty if none. */
  static List<String> errors(VendorConfigBuilder s) {
    List<String> errors = new ArrayList<>();
    if (s.vendor == null) {
      errors.add("vendor: required: the vendor id, 1..64 characters of [a-z0-9.:_-]");
    } else {
      try {
        ScripBody.checkVendor(s.vendor);
      } catch (IllegalArgumentException e) {
        errors.add("vendor: " + e.getMessage());
      }
    }
    if (s.currency == null || !CURRENCY.matcher(s.currency).matches()) {
      errors.add("currency: expected three upper-case letters (ISO 4217), found " + s.currency);
    }
    if (s.scripLifetime == null
        || s.scripLifetime.compareTo(Duration.ofMinutes(1)) < 0
        || s.scripLifetime.compareTo(Duration.ofDays(3660)) > 0) {
      errors.add("scrip_lifetime: expected 1m..3660d, found " + s.scripLifetime);
    }
    if (s.retryWait == null
        || s.retryWait.isNegative()
        || s.retryWait.compareTo(Duration.ofSeconds(60)) > 0) {
      errors.add("retry_wait: expected 0s..60s, found " + s.retryWait);
    }
    if (s.host == null || s.host.isBlank()) {
      errors.add("host: expected an address to listen on, found none");
    }
    if (s.port < 0 || s.port > 65535) {
      errors.add("port: expected 0..65535, found " + s.port);
    }
    errors.addAll(PublicOrigins.validate("public_urls", s.publicUrls));
    if (s.maxAnswerBytes < 1 || s.maxAnswerBytes > VendorConfig.MAX_MAX_ANSWER_BYTES) {
      errors.add(
          "max_answer_bytes: expected 1.."
              + VendorConfig.MAX_MAX_ANSWER_BYTES
              + " (bytes; 16_777_216 is 16 MiB), found "
              + s.maxAnswerBytes);
    }
    validatePrices(s, errors);
    validateRules(s, errors);
    validateContent(s, errors);
    validateBrokers(s, errors);
    if (s.variants == null || s.variants.isEmpty()) {
      errors.add("variants: expected at least one of clear, signed, private, found none");
    }
    if (s.database != null && s.database.isBlank()) {
      errors.add("database: expected a jdbc:postgresql: URL or a SQLite file path, found ''");
    } else if (s.database != null && !databaseKnown(s.database)) {
      errors.add(
          "database: expected a jdbc:postgresql: or jdbc:sqlite: URL or a SQLite file path,"
              + " found another jdbc: URL");
    }
    if (s.tls != null) {
      Path keystore = s.tls.configuredKeystore();
      if (keystore == null || !Files.isRegularFile(keystore)) {
        errors.add("tls.keystore: expected a keystore file, found " + keystore);
      }
      String password = s.tls.configuredPassword();
      if (password == null || password.isEmpty()) {
        errors.add("tls.password: expected the keystore password, found none");
      }
    }
    if (s.adminToken != null && s.adminToken.length() < 16) {
      errors.add("admin_token: expected at least 16 characters, found " + s.adminToken.length());
    }
    return errors;
  }

  /** A jdbc: URL of another database would only fail at start: refuse it with the config. */
  private static boolean databaseKnown(String database) {
    String d = database.strip();
    return !d.startsWith("jdbc:")
        || d.startsWith("jdbc:postgresql:")
        || d.startsWith("jdbc:sqlite:");
  }

  private static void validatePrices(VendorConfigBuilder s, List<String> errors) {
    if (s.prices.isEmpty() && s.freePaths.isEmpty()) {
      errors.add("prices: expected at least one priced or free path, found none");
    }
    for (int i = 0; i < s.freePaths.size(); i++) {
      checkPattern("free[" + i + "]", s.freePaths.get(i), errors);
    }
    for (int i = 0; i < s.prices.size(); i++) {
      Price p = s.prices.get(i);
      String at = "prices[" + i + "]";
      String method = p.configuredMethod();
      if ("HEAD".equals(method)) {
        errors.add(
            at
                + ".method: HEAD cannot be priced: it delivers no content, so it is never"
                + " charged and is answered as the GET's offer; price GET instead");
      } else if (method == null || !METHODS.contains(method)) {
        errors.add(
            at
                + ".method: expected one of "
                + String.join(", ", METHODS)
                + " (any case), found "
                + method);
      }
      checkPattern(at + ".path", p.configuredPath(), errors);
      if (p.priceMillicents() < 0 || p.priceMillicents() > ScripBody.MAX_VALUE_MILLICENTS) {
        errors.add(
            at
                + ".price_millicents: expected 0.."
                + ScripBody.MAX_VALUE_MILLICENTS
                + ", found "
                + p.priceMillicents());
      }
    }
  }

  private static void checkPattern(String at, @Nullable String pattern, List<String> errors) {
    if (pattern == null || !pattern.startsWith("/")) {
      errors.add(at + ": expected a path pattern starting with '/', found " + pattern);
    } else if (pattern.contains("***")) {
      errors.add(at + ": '***' is not a pattern; use * or **, found " + pattern);
    }
  }

  private static void validateRules(VendorConfigBuilder s, List<String> errors) {
    for (int i = 0; i < s.priceRules.size(); i++) {
      PriceRule r = s.priceRules.get(i);
      String at = "price_rules[" + i + "]";
      String property = r.configuredProperty();
      if (property == null || !PROPERTY.matcher(property).matches()) {
        errors.add(
            at + ".property: expected a scrip property key [a-z0-9_.-]{1,32}, found " + property);
      }
      if (r.defaultBps() < 0 || r.defaultBps() > VendorConfig.MAX_RATE_BPS) {
        errors.add(
            at
                + ".default_bps: expected 0.."
                + VendorConfig.MAX_RATE_BPS
                + ", found "
                + r.defaultBps());
      }
      Map<String, Long> rates = new LinkedHashMap<>(r.ratesBps());
      rates.forEach(
          (value, bps) -> {
            if (bps == null || bps < 0 || bps > VendorConfig.MAX_RATE_BPS) {
              errors.add(
                  at
                      + ".rates_bps."
                      + value
                      + ": expected 0.."
                      + VendorConfig.MAX_RATE_BPS
                      + ", found "
                      + bps);
            }
          });
    }
  }

  private static void validateContent(VendorConfigBuilder s, List<String> errors) {
    switch (s.content) {
      case null -> errors.add("content: expected static, origin or sample, found none");
      case Content.Sample sample -> {}
      case Content.StaticFolder f -> {
        Path root = f.configuredRoot();
        if (root == null || !Files.isDirectory(root)) {
          errors.add("content.static: expected an existing folder, found " + root);
        }
      }
      case Content.Origin o -> {
        URI u = o.url();
        if (u == null
            || u.getHost() == null
            || !("http".equals(u.getScheme()) || "https".equals(u.getScheme()))) {
          errors.add("content.origin: expected an http or https URL with a host, found " + u);
        }
        Duration timeout = o.configuredTimeout();
        if (timeout == null || timeout.isNegative() || timeout.isZero()) {
          errors.add("content.origin_timeout: expected a positive duration, found " + timeout);
        }
        String key =
            o.paidHeadersKeyFile() == null ? null : PaidHeadersKey.problem(o.paidHeadersKeyFile());
        if (key != null) {
          errors.add(key);
        }
      }
    }
  }

  private static void validateBrokers(VendorConfigBuilder s, List<String> errors) {
    Set<String> ids = new HashSet<>();
    Set<String> tokens = new HashSet<>();
    Set<Long> customers = new HashSet<>();
    for (int i = 0; i < s.brokers.size(); i++) {
      BrokerConfig b = s.brokers.get(i);
      String at = "brokers[" + i + "]";
      String id = b.configuredId();
      if (id == null || !BROKER_ID.matcher(id).matches()) {
        errors.add(at + ".id: expected 1..64 characters of [a-z0-9._-], found " + id);
      } else if (!ids.add(id)) {
        errors.add(at + ".id: broker " + id + " is listed twice");
      }
      URI u = b.configuredUrl();
      if (u == null
          || u.getHost() == null
          || !("http".equals(u.getScheme()) || "https".equals(u.getScheme()))) {
        errors.add(at + ".url: expected an http or https URL with a host, found " + u);
      }
      String token = b.configuredToken();
      if (token == null || token.length() < 16) {
        errors.add(
            at
                + ".token: expected at least 16 characters, found "
                + (token == null ? "none" : token.length()));
      } else if (!tokens.add(token)) {
        errors.add(at + ".token: the same token is given to two brokers");
      }
      if ((b.customerId() >>> 56) != VendorConfig.BROKER_CUSTOMER_SELECTOR) {
        errors.add(
            at
                + ".customer_id: expected a customer ID below 2^56 (selector "
                + VendorConfig.BROKER_CUSTOMER_SELECTOR
                + ", brokers' accounts), found "
                + Long.toUnsignedString(b.customerId()));
      } else if (!customers.add(b.customerId())) {
        errors.add(
            at
                + ".customer_id: "
                + Long.toUnsignedString(b.customerId())
                + " is given to two brokers");
      }
      if (b.discountBps() < 0 || b.discountBps() > 10_000) {
        errors.add(at + ".discount_bps: expected 0..10000, found " + b.discountBps());
      }
    }
  }
}
