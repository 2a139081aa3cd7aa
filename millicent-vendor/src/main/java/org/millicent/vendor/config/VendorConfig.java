package org.millicent.vendor.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;
import org.millicent.http.HttpTimeouts;
import org.millicent.protocol.Variant;

/**
 * Everything a vendor gateway needs to start: who it is, what it sells at which price, where the
 * content comes from, which brokers sell its scrip, which variants it takes, where it keeps its
 * state and how it serves TLS. Built with {@link #builder(String)} or loaded from YAML with {@link
 * #load(Path)}; {@link VendorConfigBuilder#build()} validates every setting and reports all
 * problems together in one {@link ConfigException}, then the configuration is frozen.
 *
 * <p>Example, in Java:
 *
 * <pre>{@code
 * VendorConfig config = VendorConfig.builder("venetia")
 *     .port(0)
 *     .price("GET", "/pages/*", 100)
 *     .free("/")
 *     .staticFolder(Path.of("site"))
 *     .broker(new BrokerConfig("bob", URI.create("http://127.0.0.1:8081"), token, 5, 500))
 *     .build();
 * }</pre>
 *
 * <p>Immutable and thread-safe. {@link #toString} prints no secret.
 */
public final class VendorConfig {
  /** The customer-ID selector byte of brokers' own accounts at this vendor. */
  public static final int BROKER_CUSTOMER_SELECTOR = 0;

  /** The customer-ID selector byte of customers this vendor allocates itself. */
  public static final int OWN_CUSTOMER_SELECTOR = 1;

  /** Default wait for an identical request in progress: five seconds. */
  public static final Duration DEFAULT_RETRY_WAIT = Duration.ofSeconds(5);

  /** Default scrip lifetime: one day. */
  public static final Duration DEFAULT_SCRIP_LIFETIME = Duration.ofDays(1);

  /** Default port. */
  public static final int DEFAULT_PORT = 8080;

  /** Default origin timeout. */
  public static final Duration DEFAULT_ORIGIN_TIMEOUT = Duration.ofSeconds(30);

  /** Default largest answer the vendor buffers ({@code max_answer_bytes}): 16 MiB. */
  public static final int DEFAULT_MAX_ANSWER_BYTES = 16 * 1024 * 1024;

  /** The highest {@code max_answer_bytes} allowed: 1 GiB. */
  public static final int MAX_MAX_ANSWER_BYTES = 1024 * 1024 * 1024;

  /** Highest rate of a price rule, in basis points (1000%). */
  public static final long MAX_RATE_BPS = 100_000;

  private final String vendor;
  private final String currency;
  private final Duration scripLifetime;
  private final Duration retryWait;
  private final String host;
  private final int port;
  private final List<Price> prices;
  private final List<String> freePaths;
  private final List<PriceRule> priceRules;
  private final Content content;
  private final List<BrokerConfig> brokers;
  private final Set<Variant> variants;
  private final @Nullable String database;
  private final @Nullable TlsConfig tls;
  private final @Nullable String adminToken;
  private final HttpTimeouts httpTimeouts;
  private final List<String> publicUrls;
  private final int maxAnswerBytes;

  VendorConfig(VendorConfigBuilder b) {
    this.vendor = VendorConfigChecks.validated(b.vendor, "vendor");
    this.currency = b.currency;
    this.scripLifetime = b.scripLifetime;
    this.retryWait = b.retryWait;
    this.host = b.host;
    this.port = b.port;
    this.prices = List.copyOf(b.prices);
    this.freePaths = List.copyOf(b.freePaths);
    this.priceRules = List.copyOf(b.priceRules);
    this.content = b.content;
    this.brokers = List.copyOf(b.brokers);
    this.variants = Set.copyOf(b.variants);
    this.database = b.database;
    this.tls = b.tls;
    this.adminToken = b.adminToken;
    this.httpTimeouts = b.httpTimeouts;
    this.publicUrls = List.copyOf(b.publicUrls);
    this.maxAnswerBytes = (int) b.maxAnswerBytes; // validated: 1..MAX_MAX_ANSWER_BYTES
  }

  /**
   * A builder for vendor {@code vendor} with the defaults: USD, scrip lifetime one day, the signed
   * and private variants, 127.0.0.1:8080, the sample site's content, SQLite in the data folder, no
   * brokers, no TLS, a generated admin token. Add prices or free paths before {@link
   * VendorConfigBuilder#build()}.
   */
  public static VendorConfigBuilder builder(String vendor) {
    return new VendorConfigBuilder(vendor);
  }

  /**
   * Loads and validates a YAML configuration file; relative paths in it are resolved against the
   * file's folder.
   *
   * @throws ConfigException naming every problem found (including an unreadable file)
   */
  public static VendorConfig load(Path yamlFile) {
    return VendorConfigYaml.load(yamlFile);
  }

  /**
   * Every key {@link #load(Path)} accepts, as paths: {@code tls.keystore} for a key of a mapping,
   * {@code prices[].path} for a key of each entry of a list. Any other key in a file is an error.
   * The keys are documented in docs/CONFIG.md and described by
   * docs/schema/vendor-config.schema.json.
   */
  public static SortedSet<String> yamlKeys() {
    SortedSet<String> keys = new TreeSet<>();
    VendorConfigYaml.KEYS.forEach(
        (mapping, names) ->
            names.forEach(n -> keys.add(mapping.isEmpty() ? n : mapping + "." + n)));
    return Collections.unmodifiableSortedSet(keys);
  }

  /**
   * The built-in sample catalogue for a zero-config start: vendor {@code venetia}, a free index
   * page at {@code /} listing five pages priced from 0.1 to 5 cents (100 to 5000 millicents).
   */
  public static VendorConfig sample() {
    return sampleBuilder().build();
  }

  /** A builder preset with the sample catalogue, to change the port or add brokers. */
  public static VendorConfigBuilder sampleBuilder() {
    VendorConfigBuilder b =
        builder("venetia").content(new Content.Sample()).free("/").free("/index.html");
    for (SamplePage p : SamplePage.ALL) {
      b.price("GET", p.path(), p.priceMillicents());
    }
    return b;
  }

  /** A builder holding this configuration's settings. */
  public VendorConfigBuilder toBuilder() {
    VendorConfigBuilder b = new VendorConfigBuilder(vendor);
    b.currency = currency;
    b.scripLifetime = scripLifetime;
    b.retryWait = retryWait;
    b.host = host;
    b.port = port;
    b.prices.addAll(prices);
    b.freePaths.addAll(freePaths);
    b.priceRules.addAll(priceRules);
    b.content = content;
    b.brokers.addAll(brokers);
    b.variants = EnumSet.copyOf(variants);
    b.database = database;
    b.tls = tls;
    b.adminToken = adminToken;
    b.httpTimeouts = httpTimeouts;
    b.publicUrls.addAll(publicUrls);
    b.maxAnswerBytes = maxAnswerBytes;
    return b;
  }

  /** The vendor id, as carried in its scrip. */
  public String vendor() {
    return vendor;
  }

  /** The ISO 4217 currency prices are in (millicents of its minor unit's hundredth). */
  public String currency() {
    return currency;
  }

  /** How long scrip minted by this vendor (change, exchanges, sales) stays valid. */
  public Duration scripLifetime() {
    return scripLifetime;
  }

  /**
   * How long a request waits for an identical one (same scrip, same request MAC) still in progress
   * before it answers 409 {@code in-progress} (docs/HTTP-API.md, "Retries").
   */
  public Duration retryWait() {
    return retryWait;
  }

  /** The address to listen on. */
  public String host() {
    return host;
  }

  /** The port to listen on; 0 picks a free one. */
  public int port() {
    return port;
  }

  /**
   * The priced entries, in matching order: after the free paths, the first entry whose method and
   * path match wins; a request nothing matches is answered 404.
   */
  public List<Price> prices() {
    return prices;
  }

  /** Path patterns served free for any method; they are matched before the prices. */
  public List<String> freePaths() {
    return freePaths;
  }

  /** Surcharges by scrip property, applied in order to the base price. */
  public List<PriceRule> priceRules() {
    return priceRules;
  }

  /** Where the content comes from. */
  public Content content() {
    return content;
  }

  /** The brokers that sell this vendor's scrip. */
  public List<BrokerConfig> brokers() {
    return brokers;
  }

  /** The protocol variants accepted. */
  public Set<Variant> variants() {
    return variants;
  }

  /**
   * The database: a {@code jdbc:postgresql:} URL, a SQLite file path, or {@code null} for the
   * SQLite file {@code vendor.db} in the data folder.
   */
  public @Nullable String database() {
    return database;
  }

  /** The TLS keystore, or {@code null} to serve plain HTTP. */
  public @Nullable TlsConfig tls() {
    return tls;
  }

  /**
   * The admin bearer token, or {@code null} to generate one into the data folder ({@code
   * admin-token}) at first start.
   */
  public @Nullable String adminToken() {
    return adminToken;
  }

  /** How long the server waits for slow clients (idle connections, request heads). */
  public HttpTimeouts httpTimeouts() {
    return httpTimeouts;
  }

  /**
   * The origins customers address this vendor by ({@code https://venetia.example}); payments are
   * bound to the origin the customer addressed (docs/PROTOCOL.md, "Authority"), so a payment is
   * accepted only at one of these. Empty: the listening port on {@code 127.0.0.1}, {@code
   * localhost} and {@code [::1]} (a zero-configuration vendor on loopback).
   */
  public List<String> publicUrls() {
    return publicUrls;
  }

  /**
   * The largest answer body the vendor holds in memory, in bytes: a paid answer of the servlet
   * filter, any answer of a reverse-proxied origin. A larger one is refused while it is read (502
   * {@code origin-too-large}) and its payment released, so that no answer, and no replay of a paid
   * one, can fill the vendor's memory (docs/CONFIG.md, {@code max_answer_bytes}).
   */
  public int maxAnswerBytes() {
    return maxAnswerBytes;
  }

  /** Names the settings; prints no token or password. */
  @Override
  public String toString() {
    return "VendorConfig[vendor="
        + vendor
        + " currency="
        + currency
        + " lifetime="
        + scripLifetime
        + " listen="
        + host
        + ":"
        + port
        + " prices="
        + prices
        + " free="
        + freePaths
        + " rules="
        + priceRules
        + " content="
        + content
        + " brokers="
        + brokers
        + " variants="
        + variants
        + " public_urls="
        + publicUrls
        + " tls="
        + tls
        + " max_answer_bytes="
        + maxAnswerBytes
        + "]";
  }
}
