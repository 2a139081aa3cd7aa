package org.millicent.vendor.config;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.millicent.http.HttpTimeouts;
import org.millicent.protocol.PublicOrigins;
import org.millicent.protocol.Variant;
import org.millicent.scrip.ScripBody;

/**
 * Everything a vendor gateway needs to start: who it is, what it sells at which price, where the
 * content comes from, which brokers sell its scrip, which variants it takes, where it keeps its
 * state and how it serves TLS. Built with {@link #builder(String)} or loaded from YAML with {@link
 * #load(Path)}; {@link Builder#build()} validates every setting and reports all problems together
 * in one {@link ConfigException}, then the configuration is frozen.
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

  /** Highest rate of a price rule, in basis points (1000%). */
  public static final long MAX_RATE_BPS = 100_000;

  private static final Pattern CURRENCY = Pattern.compile("[A-Z]{3}");
  private static final Pattern BROKER_ID = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");
  private static final Pattern PROPERTY = Pattern.compile("[a-z0-9_.-]{1,32}");
  private static final List<String> METHODS = List.of("GET", "POST", "PUT", "PATCH", "DELETE", "*");

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
  private final String database;
  private final TlsConfig tls;
  private final String adminToken;
  private final HttpTimeouts httpTimeouts;
  private final List<String> publicUrls;

  private VendorConfig(Builder b) {
    this.vendor = b.vendor;
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
  }

  /**
   * A builder for vendor {@code vendor} with the defaults: USD, scrip lifetime one day, the signed
   * and private variants, 127.0.0.1:8080, the sample site's content, SQLite in the data folder, no
   * brokers, no TLS, a generated admin token. Add prices or free paths before {@link
   * Builder#build()}.
   */
  public static Builder builder(String vendor) {
    return new Builder(vendor);
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
  public static Builder sampleBuilder() {
    Builder b = builder("venetia").content(new Content.Sample()).free("/").free("/index.html");
    for (SamplePage p : SamplePage.ALL) {
      b.price("GET", p.path(), p.priceMillicents());
    }
    return b;
  }

  /** A builder holding this configuration's settings. */
  public Builder toBuilder() {
    Builder b = new Builder(vendor);
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
  public String database() {
    return database;
  }

  /** The TLS keystore, or {@code null} to serve plain HTTP. */
  public TlsConfig tls() {
    return tls;
  }

  /**
   * The admin bearer token, or {@code null} to generate one into the data folder ({@code
   * admin-token}) at first start.
   */
  public String adminToken() {
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
        + "]";
  }

  /** Collects settings; {@link #build()} validates them all. Not thread-safe. */
  public static final class Builder {
    private String vendor;
    private String currency = "USD";
    private Duration scripLifetime = DEFAULT_SCRIP_LIFETIME;
    private Duration retryWait = DEFAULT_RETRY_WAIT;
    private String host = "127.0.0.1";
    private int port = DEFAULT_PORT;
    private final List<Price> prices = new ArrayList<>();
    private final List<String> freePaths = new ArrayList<>();
    private final List<PriceRule> priceRules = new ArrayList<>();
    private Content content = new Content.Sample();
    private final List<BrokerConfig> brokers = new ArrayList<>();
    private Set<Variant> variants = EnumSet.of(Variant.SIGNED, Variant.PRIVATE);
    private String database;
    private TlsConfig tls;
    private String adminToken;
    private HttpTimeouts httpTimeouts = HttpTimeouts.DEFAULT;
    private final List<String> publicUrls = new ArrayList<>();

    private Builder(String vendor) {
      this.vendor = vendor;
    }

    /** Sets the vendor id. */
    public Builder vendor(String vendor) {
      this.vendor = vendor;
      return this;
    }

    /** Sets the currency (three upper-case letters). */
    public Builder currency(String currency) {
      this.currency = currency;
      return this;
    }

    /** Sets how long minted scrip stays valid. */
    public Builder scripLifetime(Duration lifetime) {
      this.scripLifetime = lifetime;
      return this;
    }

    /** Sets how long a request waits for an identical one in progress (0s..60s). */
    public Builder retryWait(Duration wait) {
      this.retryWait = wait;
      return this;
    }

    /** Sets the listen address. */
    public Builder host(String host) {
      this.host = host;
      return this;
    }

    /** Sets the port; 0 picks a free one. */
    public Builder port(int port) {
      this.port = port;
      return this;
    }

    /**
     * Adds an origin customers address this vendor by (an absolute http or https URL without path);
     * none: loopback at the listening port.
     */
    public Builder publicUrl(String url) {
      publicUrls.add(url);
      return this;
    }

    /** Adds a catalogue entry. */
    public Builder price(String method, String pathPattern, long priceMillicents) {
      prices.add(new Price(method, pathPattern, priceMillicents));
      return this;
    }

    /** Adds a path pattern served free for any method. */
    public Builder free(String pathPattern) {
      freePaths.add(pathPattern);
      return this;
    }

    /** Removes every priced entry and free path. */
    public Builder clearPrices() {
      prices.clear();
      freePaths.clear();
      return this;
    }

    /** Adds a surcharge rule by scrip property. */
    public Builder priceRule(PriceRule rule) {
      priceRules.add(rule);
      return this;
    }

    /** Sets where the content comes from. */
    public Builder content(Content content) {
      this.content = content;
      return this;
    }

    /** Serves files under {@code root}. */
    public Builder staticFolder(Path root) {
      return content(new Content.StaticFolder(root));
    }

    /** Reverse-proxies {@code url} with the default timeout. */
    public Builder origin(URI url) {
      return content(new Content.Origin(url, DEFAULT_ORIGIN_TIMEOUT));
    }

    /** Adds a broker. */
    public Builder broker(BrokerConfig broker) {
      brokers.add(broker);
      return this;
    }

    /** Sets the accepted variants. */
    public Builder variants(Set<Variant> variants) {
      this.variants = variants.isEmpty() ? EnumSet.noneOf(Variant.class) : EnumSet.copyOf(variants);
      return this;
    }

    /** Sets the database ({@code jdbc:postgresql:...} or a SQLite file path; null: default). */
    public Builder database(String database) {
      this.database = database;
      return this;
    }

    /** Serves HTTPS with this keystore (null: plain HTTP). */
    public Builder tls(TlsConfig tls) {
      this.tls = tls;
      return this;
    }

    /** Sets the timeouts for slow clients ({@link HttpTimeouts#DEFAULT} unless set). */
    public Builder httpTimeouts(HttpTimeouts timeouts) {
      this.httpTimeouts = java.util.Objects.requireNonNull(timeouts, "timeouts");
      return this;
    }

    /** Sets the admin bearer token (null: generated into the data folder). */
    public Builder adminToken(String token) {
      this.adminToken = token;
      return this;
    }

    /**
     * Validates every setting and freezes the configuration.
     *
     * @throws ConfigException naming every problem found
     */
    public VendorConfig build() {
      List<String> errors = validate();
      if (!errors.isEmpty()) {
        throw new ConfigException(errors);
      }
      return new VendorConfig(this);
    }

    /** Every problem with the settings, named by their YAML keys; empty when there is none. */
    public List<String> validate() {
      List<String> errors = new ArrayList<>();
      if (vendor == null) {
        errors.add("vendor: required: the vendor id, 1..64 characters of [a-z0-9.:_-]");
      } else {
        try {
          ScripBody.checkVendor(vendor);
        } catch (IllegalArgumentException e) {
          errors.add("vendor: " + e.getMessage());
        }
      }
      if (currency == null || !CURRENCY.matcher(currency).matches()) {
        errors.add("currency: expected three upper-case letters (ISO 4217), found " + currency);
      }
      if (scripLifetime == null
          || scripLifetime.compareTo(Duration.ofMinutes(1)) < 0
          || scripLifetime.compareTo(Duration.ofDays(3660)) > 0) {
        errors.add("scrip_lifetime: expected 1m..3660d, found " + scripLifetime);
      }
      if (retryWait == null
          || retryWait.isNegative()
          || retryWait.compareTo(Duration.ofSeconds(60)) > 0) {
        errors.add("retry_wait: expected 0s..60s, found " + retryWait);
      }
      if (host == null || host.isBlank()) {
        errors.add("host: expected an address to listen on, found none");
      }
      if (port < 0 || port > 65535) {
        errors.add("port: expected 0..65535, found " + port);
      }
      errors.addAll(PublicOrigins.validate("public_urls", publicUrls));
      validatePrices(errors);
      validateRules(errors);
      validateContent(errors);
      validateBrokers(errors);
      if (variants == null || variants.isEmpty()) {
        errors.add("variants: expected at least one of clear, signed, private, found none");
      }
      if (database != null && database.isBlank()) {
        errors.add("database: expected a jdbc:postgresql: URL or a SQLite file path, found ''");
      } else if (database != null && !databaseKnown(database)) {
        errors.add(
            "database: expected a jdbc:postgresql: or jdbc:sqlite: URL or a SQLite file path,"
                + " found another jdbc: URL");
      }
      if (tls != null) {
        if (tls.keystore() == null || !Files.isRegularFile(tls.keystore())) {
          errors.add("tls.keystore: expected a keystore file, found " + tls.keystore());
        }
        if (tls.password() == null || tls.password().isEmpty()) {
          errors.add("tls.password: expected the keystore password, found none");
        }
      }
      if (adminToken != null && adminToken.length() < 16) {
        errors.add("admin_token: expected at least 16 characters, found " + adminToken.length());
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

    private void validatePrices(List<String> errors) {
      if (prices.isEmpty() && freePaths.isEmpty()) {
        errors.add("prices: expected at least one priced or free path, found none");
      }
      for (int i = 0; i < freePaths.size(); i++) {
        checkPattern("free[" + i + "]", freePaths.get(i), errors);
      }
      for (int i = 0; i < prices.size(); i++) {
        Price p = prices.get(i);
        String at = "prices[" + i + "]";
        if ("HEAD".equals(p.method())) {
          errors.add(
              at
                  + ".method: HEAD cannot be priced: it delivers no content, so it is never"
                  + " charged and is answered as the GET's offer; price GET instead");
        } else if (p.method() == null || !METHODS.contains(p.method())) {
          errors.add(
              at
                  + ".method: expected one of "
                  + String.join(", ", METHODS)
                  + " (any case), found "
                  + p.method());
        }
        checkPattern(at + ".path", p.path(), errors);
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

    private static void checkPattern(String at, String pattern, List<String> errors) {
      if (pattern == null || !pattern.startsWith("/")) {
        errors.add(at + ": expected a path pattern starting with '/', found " + pattern);
      } else if (pattern.contains("***")) {
        errors.add(at + ": '***' is not a pattern; use * or **, found " + pattern);
      }
    }

    private void validateRules(List<String> errors) {
      for (int i = 0; i < priceRules.size(); i++) {
        PriceRule r = priceRules.get(i);
        String at = "price_rules[" + i + "]";
        if (r.property() == null || !PROPERTY.matcher(r.property()).matches()) {
          errors.add(
              at
                  + ".property: expected a scrip property key [a-z0-9_.-]{1,32}, found "
                  + r.property());
        }
        if (r.defaultBps() < 0 || r.defaultBps() > MAX_RATE_BPS) {
          errors.add(
              at + ".default_bps: expected 0.." + MAX_RATE_BPS + ", found " + r.defaultBps());
        }
        Map<String, Long> rates = new LinkedHashMap<>(r.ratesBps());
        rates.forEach(
            (value, bps) -> {
              if (bps == null || bps < 0 || bps > MAX_RATE_BPS) {
                errors.add(
                    at
                        + ".rates_bps."
                        + value
                        + ": expected 0.."
                        + MAX_RATE_BPS
                        + ", found "
                        + bps);
              }
            });
      }
    }

    private void validateContent(List<String> errors) {
      switch (content) {
        case null -> errors.add("content: expected static, origin or sample, found none");
        case Content.Sample s -> {}
        case Content.StaticFolder f -> {
          if (f.root() == null || !Files.isDirectory(f.root())) {
            errors.add("content.static: expected an existing folder, found " + f.root());
          }
        }
        case Content.Origin o -> {
          URI u = o.url();
          if (u == null
              || u.getHost() == null
              || !("http".equals(u.getScheme()) || "https".equals(u.getScheme()))) {
            errors.add("content.origin: expected an http or https URL with a host, found " + u);
          }
          if (o.timeout() == null || o.timeout().isNegative() || o.timeout().isZero()) {
            errors.add(
                "content.origin_timeout: expected a positive duration, found " + o.timeout());
          }
        }
      }
    }

    private void validateBrokers(List<String> errors) {
      Set<String> ids = new HashSet<>();
      Set<String> tokens = new HashSet<>();
      Set<Long> customers = new HashSet<>();
      for (int i = 0; i < brokers.size(); i++) {
        BrokerConfig b = brokers.get(i);
        String at = "brokers[" + i + "]";
        if (b.id() == null || !BROKER_ID.matcher(b.id()).matches()) {
          errors.add(at + ".id: expected 1..64 characters of [a-z0-9._-], found " + b.id());
        } else if (!ids.add(b.id())) {
          errors.add(at + ".id: broker " + b.id() + " is listed twice");
        }
        URI u = b.url();
        if (u == null
            || u.getHost() == null
            || !("http".equals(u.getScheme()) || "https".equals(u.getScheme()))) {
          errors.add(at + ".url: expected an http or https URL with a host, found " + u);
        }
        if (b.token() == null || b.token().length() < 16) {
          errors.add(
              at
                  + ".token: expected at least 16 characters, found "
                  + (b.token() == null ? "none" : b.token().length()));
        } else if (!tokens.add(b.token())) {
          errors.add(at + ".token: the same token is given to two brokers");
        }
        if ((b.customerId() >>> 56) != BROKER_CUSTOMER_SELECTOR) {
          errors.add(
              at
                  + ".customer_id: expected a customer ID below 2^56 (selector "
                  + BROKER_CUSTOMER_SELECTOR
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
}
