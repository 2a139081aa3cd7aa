package org.millicent.broker;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The checks of a broker configuration's fields (docs/BROKER.md, "Configuration"), shared by {@link
 * BrokerConfig}'s constructor and {@code BrokerConfigYaml}, which reports them together with the
 * file's own problems. Stateless and thread-safe.
 */
final class BrokerConfigCheck {
  private BrokerConfigCheck() {}

  /** Every problem of these fields, one sentence each naming its field first. */
  static List<String> problems(
      String brokerId,
      String host,
      int port,
      String currency,
      Optional<String> database,
      Optional<BrokerConfig.Tls> tls,
      Optional<String> adminToken,
      Duration scripLifetime,
      String provider,
      long creditLimit,
      StatementPeriod period,
      Duration settlementInterval,
      List<VendorConfig> vendors) {
    List<String> p = new ArrayList<>();
    checkId("broker", brokerId, p);
    if (host == null || host.isBlank()) {
      p.add("host: expected a host name or address, found nothing");
    }
    if (port < 0 || port > 65535) {
      p.add("port: expected 0..65535, found " + port);
    }
    if (currency == null || !currency.matches("[A-Z]{3}")) {
      p.add("currency: expected a three-letter ISO 4217 code such as USD, found " + currency);
    }
    if (database == null || (database.isPresent() && database.get().isBlank())) {
      p.add("database: expected a SQLite file path or a jdbc:postgresql: URL, found nothing");
    } else if (database.isPresent()
        && database.get().strip().startsWith("jdbc:")
        && !database.get().strip().startsWith("jdbc:postgresql:")
        && !database.get().strip().startsWith("jdbc:sqlite:")) {
      // another database's URL would only fail at start: refuse it with the configuration
      p.add(
          "database: expected a SQLite file path or a jdbc:postgresql: or jdbc:sqlite: URL,"
              + " found another jdbc: URL");
    }
    if (tls == null) {
      p.add("tls: must be present or empty");
    } else if (tls.isPresent()) {
      if (tls.get().keyStore() == null) {
        p.add("tls.keystore: expected a PKCS#12 file, found nothing");
      }
      if (tls.get().password() == null) {
        p.add("tls.password: expected the key store password, found nothing");
      }
    }
    if (adminToken == null || (adminToken.isPresent() && adminToken.get().length() < 16)) {
      p.add("admin_token: expected at least 16 characters");
    }
    if (scripLifetime == null
        || scripLifetime.compareTo(Duration.ofMinutes(1)) < 0
        || scripLifetime.compareTo(Duration.ofDays(3660)) > 0) {
      p.add(
          "scrip_lifetime_seconds: expected 60 seconds to 10 years, found "
              + (scripLifetime == null ? "nothing" : scripLifetime.toSeconds()));
    }
    if (!BrokerConfig.AGGREGATING.equals(provider) && !BrokerConfig.PREPAID.equals(provider)) {
      p.add(
          "accounts.provider: expected \"aggregating\" or \"prepaid\", found \"" + provider + '"');
    }
    if (creditLimit < 0 || creditLimit > BrokerConfig.MAX_AMOUNT_MILLICENTS) {
      p.add(
          "accounts.credit_limit_millicents: expected 0.."
              + BrokerConfig.MAX_AMOUNT_MILLICENTS
              + ", found "
              + creditLimit);
    }
    if (period == null) {
      p.add("statement_period: expected \"monthly\" or \"daily\", found nothing");
    }
    if (settlementInterval == null || settlementInterval.isNegative()) {
      p.add("settlement_interval_seconds: expected 0 (never) or a positive number of seconds");
    }
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < vendors.size(); i++) {
      VendorConfig v = vendors.get(i);
      String at = "vendors[" + i + "]";
      if (v == null) {
        p.add(at + ": expected a vendor entry, found nothing");
        continue;
      }
      p.addAll(v.problems(at));
      String vendor = v.configuredVendor();
      if (vendor != null && !seen.add(vendor)) {
        p.add(at + ".vendor: \"" + vendor + "\" is listed twice");
      }
      if (vendor != null && vendor.equals(brokerId)) {
        p.add(at + ".vendor: \"" + vendor + "\" is the broker's own id");
      }
    }
    return p;
  }

  /** Adds a problem when {@code id} is not a valid vendor id. */
  static void checkId(String field, @Nullable String id, List<String> problems) {
    if (id == null) {
      problems.add(field + ": expected a vendor id, found nothing");
      return;
    }
    try {
      org.millicent.scrip.ScripBody.checkVendor(id);
    } catch (IllegalArgumentException e) {
      problems.add(field + ": " + e.getMessage());
    }
  }
}
