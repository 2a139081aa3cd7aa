package org.millicent.broker;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.millicent.http.HttpTimeouts;

/**
 * The broker's configuration: identity, listening address, database, TLS, accounts, statements and
 * the vendors whose scrip it sells (docs/BROKER.md, "Configuration"). Build one in code from {@link
 * #defaults()} and the {@code with...} methods, or {@link #load(Path) load} YAML; either way {@link
 * #validate()} runs at construction and reports every problem at once. Immutable; {@code toString}
 * never prints a token or secret.
 *
 * @param brokerId the broker's vendor id: broker scrip carries it
 * @param host the address to listen on
 * @param port the port (0 picks a free one)
 * @param publicUrl the base URL others should use, when it differs from the listening address
 * @param currency the currency millicents are of
 * @param database a SQLite file path (relative to the data folder) or a {@code jdbc:postgresql:}
 *     URL; empty for {@code broker.db} in the data folder
 * @param tls the TLS key store, when the broker serves HTTPS
 * @param adminToken the admin bearer token; empty to use (or generate) {@code admin-token} in the
 *     data folder
 * @param scripLifetime how long broker scrip and licensed vendor scrip stay valid
 * @param provider the payment provider of new accounts: {@code aggregating} or {@code prepaid}
 * @param creditLimitMillicents the credit limit of new aggregating accounts
 * @param statementPeriod how long a statement runs
 * @param settlementInterval how often to pull each licensed vendor's received report; zero for
 *     never
 * @param vendors the vendors whose scrip this broker sells
 * @param httpTimeouts how long the server waits for slow clients (idle connections, request heads)
 */
public record BrokerConfig(
    String brokerId,
    String host,
    int port,
    Optional<URI> publicUrl,
    String currency,
    Optional<String> database,
    Optional<Tls> tls,
    Optional<String> adminToken,
    Duration scripLifetime,
    String provider,
    long creditLimitMillicents,
    StatementPeriod statementPeriod,
    Duration settlementInterval,
    List<VendorConfig> vendors,
    HttpTimeouts httpTimeouts) {

  /** The provider name of the aggregating provider. */
  public static final String AGGREGATING = "aggregating";

  /** The provider name of the prepaid provider. */
  public static final String PREPAID = "prepaid";

  /** The largest amount of a single sale or top-up: that of the largest piece of scrip. */
  public static final long MAX_AMOUNT_MILLICENTS =
      org.millicent.scrip.ScripBody.MAX_VALUE_MILLICENTS;

  /**
   * A TLS key store.
   *
   * @param keyStore a PKCS#12 file with the server's key and certificate chain
   * @param password its password
   */
  public record Tls(Path keyStore, String password) {
    /** Never prints the password. */
    @Override
    public String toString() {
      return "Tls[" + keyStore + "]";
    }
  }

  /** Validates every field; see {@link #validate()}. */
  public BrokerConfig {
    vendors = List.copyOf(vendors);
    java.util.Objects.requireNonNull(httpTimeouts, "httpTimeouts");
    List<String> problems =
        BrokerConfigCheck.problems(
            brokerId,
            host,
            port,
            currency,
            database,
            tls,
            adminToken,
            scripLifetime,
            provider,
            creditLimitMillicents,
            statementPeriod,
            settlementInterval,
            vendors);
    if (!problems.isEmpty()) {
      throw new BrokerConfigException(problems);
    }
  }

  /**
   * The zero-configuration broker: id {@code broker}, loopback, port 8081, SQLite in the data
   * folder, no vendors, aggregating accounts with a $10 credit limit, monthly statements.
   */
  public static BrokerConfig defaults() {
    return new BrokerConfig(
        "broker",
        "127.0.0.1",
        8081,
        Optional.empty(),
        "USD",
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Duration.ofDays(1),
        AGGREGATING,
        1_000_000,
        StatementPeriod.MONTHLY,
        Duration.ZERO,
        List.of(),
        HttpTimeouts.DEFAULT);
  }

  /** This configuration with another broker id. */
  public BrokerConfig withBrokerId(String id) {
    return edit(d -> d.brokerId = id);
  }

  /** This configuration listening on another host and port. */
  public BrokerConfig withListen(String h, int p) {
    return edit(
        d -> {
          d.host = h;
          d.port = p;
        });
  }

  /** This configuration with another database (SQLite path or PostgreSQL JDBC URL). */
  public BrokerConfig withDatabase(String db) {
    return edit(d -> d.database = Optional.of(db));
  }

  /**
   * This configuration with the base URL others use when it differs from where it listens (behind a
   * proxy): payments and account requests are bound to it.
   */
  public BrokerConfig withPublicUrl(URI url) {
    return edit(d -> d.publicUrl = Optional.of(url));
  }

  /** This configuration with a fixed admin token. */
  public BrokerConfig withAdminToken(String token) {
    return edit(d -> d.adminToken = Optional.of(token));
  }

  /** This configuration with another account provider and credit limit for new accounts. */
  public BrokerConfig withAccounts(String prov, long creditLimit) {
    return edit(
        d -> {
          d.provider = prov;
          d.creditLimitMillicents = creditLimit;
        });
  }

  /** This configuration with another statement period. */
  public BrokerConfig withStatementPeriod(StatementPeriod period) {
    return edit(d -> d.statementPeriod = period);
  }

  /** This configuration pulling settlements every {@code interval} (zero: never). */
  public BrokerConfig withSettlementInterval(Duration interval) {
    return edit(d -> d.settlementInterval = interval);
  }

  /** This configuration with another scrip lifetime. */
  public BrokerConfig withScripLifetime(Duration lifetime) {
    return edit(d -> d.scripLifetime = lifetime);
  }

  /** This configuration serving HTTPS with the given key store. */
  public BrokerConfig withTls(Tls t) {
    return edit(d -> d.tls = Optional.of(t));
  }

  /** This configuration with other timeouts for slow clients. */
  public BrokerConfig withHttpTimeouts(HttpTimeouts timeouts) {
    return edit(d -> d.httpTimeouts = timeouts);
  }

  /** This configuration with one more vendor. */
  public BrokerConfig withVendor(VendorConfig v) {
    return edit(d -> d.vendors.add(v));
  }

  /** The fields of a configuration being copied with changes; never escapes {@link #edit}. */
  private static final class Draft {
    String brokerId;
    String host;
    int port;
    Optional<URI> publicUrl;
    String currency;
    Optional<String> database;
    Optional<Tls> tls;
    Optional<String> adminToken;
    Duration scripLifetime;
    String provider;
    long creditLimitMillicents;
    StatementPeriod statementPeriod;
    Duration settlementInterval;
    List<VendorConfig> vendors;
    HttpTimeouts httpTimeouts;

    /** A draft holding {@code c}'s fields. */
    Draft(BrokerConfig c) {
      brokerId = c.brokerId;
      host = c.host;
      port = c.port;
      publicUrl = c.publicUrl;
      currency = c.currency;
      database = c.database;
      tls = c.tls;
      adminToken = c.adminToken;
      scripLifetime = c.scripLifetime;
      provider = c.provider;
      creditLimitMillicents = c.creditLimitMillicents;
      statementPeriod = c.statementPeriod;
      settlementInterval = c.settlementInterval;
      vendors = new ArrayList<>(c.vendors);
      httpTimeouts = c.httpTimeouts;
    }
  }

  /** A copy of this configuration with {@code change} applied, validated like any other. */
  private BrokerConfig edit(java.util.function.Consumer<Draft> change) {
    Draft d = new Draft(this);
    change.accept(d);
    return new BrokerConfig(
        d.brokerId,
        d.host,
        d.port,
        d.publicUrl,
        d.currency,
        d.database,
        d.tls,
        d.adminToken,
        d.scripLifetime,
        d.provider,
        d.creditLimitMillicents,
        d.statementPeriod,
        d.settlementInterval,
        d.vendors,
        d.httpTimeouts);
  }

  /** The vendor entry for {@code vendor}, if this broker sells its scrip. */
  public Optional<VendorConfig> vendor(String vendor) {
    return vendors.stream().filter(v -> v.vendor().equals(vendor)).findFirst();
  }

  /**
   * Checks every field again (construction already did).
   *
   * @throws BrokerConfigException listing every problem
   */
  public void validate() {
    edit(d -> {});
  }

  /**
   * Loads and validates a YAML file. Relative paths in it are resolved against its folder. The keys
   * are those of docs/BROKER.md, "Configuration"; {@code BrokerConfigYaml} reads them.
   *
   * @throws BrokerConfigException listing every problem, including a file that cannot be read
   */
  public static BrokerConfig load(Path file) {
    return BrokerConfigYaml.load(file);
  }

  /**
   * Every key {@link #load(Path)} accepts, as paths: {@code tls.keystore} for a key of a mapping,
   * {@code vendors[].lot.count} for a key under each entry of a list. Any other key in a file is an
   * error. The keys are documented in docs/CONFIG.md and described by
   * docs/schema/broker-config.schema.json.
   */
  public static java.util.SortedSet<String> yamlKeys() {
    java.util.SortedSet<String> keys = new java.util.TreeSet<>();
    BrokerConfigYaml.KEYS.forEach(
        (mapping, names) ->
            names.forEach(n -> keys.add(mapping.isEmpty() ? n : mapping + "." + n)));
    return java.util.Collections.unmodifiableSortedSet(keys);
  }

  /**
   * Parses and validates YAML text.
   *
   * @param baseDir the folder relative paths are resolved against
   * @throws BrokerConfigException listing every problem
   */
  public static BrokerConfig parse(String yaml, Path baseDir) {
    return BrokerConfigYaml.parse(yaml, baseDir);
  }

  /** Never prints the admin token or TLS password. */
  @Override
  public String toString() {
    return "BrokerConfig[broker="
        + brokerId
        + ", listen="
        + host
        + ":"
        + port
        + ", database="
        + database.map(BrokerConfig::redactUrl).orElse("broker.db")
        + ", tls="
        + tls.isPresent()
        + ", provider="
        + provider
        + ", vendors="
        + vendors
        + "]";
  }

  static String redactUrl(String url) {
    return url.replaceAll("(?i)(password=)[^&;]*", "$1***");
  }
}
