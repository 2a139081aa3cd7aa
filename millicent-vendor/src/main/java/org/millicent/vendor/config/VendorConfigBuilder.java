package org.millicent.vendor.config;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.millicent.http.HttpTimeouts;
import org.millicent.protocol.Variant;

/**
 * Collects the settings of a {@link VendorConfig}; {@link #build()} validates them all (see {@link
 * VendorConfigChecks}) and freezes them. Not thread-safe.
 */
public final class VendorConfigBuilder {
  @Nullable String vendor; // missing in a YAML file until validation reports it
  String currency = "USD";
  Duration scripLifetime = VendorConfig.DEFAULT_SCRIP_LIFETIME;
  Duration retryWait = VendorConfig.DEFAULT_RETRY_WAIT;
  String host = "127.0.0.1";
  int port = VendorConfig.DEFAULT_PORT;
  final List<Price> prices = new ArrayList<>();
  final List<String> freePaths = new ArrayList<>();
  final List<PriceRule> priceRules = new ArrayList<>();
  Content content = new Content.Sample();
  final List<BrokerConfig> brokers = new ArrayList<>();
  Set<Variant> variants = EnumSet.of(Variant.SIGNED, Variant.PRIVATE);
  @Nullable String database;
  @Nullable TlsConfig tls;
  @Nullable String adminToken;
  HttpTimeouts httpTimeouts = HttpTimeouts.DEFAULT;
  final List<String> publicUrls = new ArrayList<>();
  long maxAnswerBytes = VendorConfig.DEFAULT_MAX_ANSWER_BYTES;

  VendorConfigBuilder(@Nullable String vendor) {
    this.vendor = vendor;
  }

  /** Sets the vendor id. */
  public VendorConfigBuilder vendor(String vendor) {
    this.vendor = vendor;
    return this;
  }

  /** Sets the currency (three upper-case letters). */
  public VendorConfigBuilder currency(String currency) {
    this.currency = currency;
    return this;
  }

  /** Sets how long minted scrip stays valid. */
  public VendorConfigBuilder scripLifetime(Duration lifetime) {
    this.scripLifetime = lifetime;
    return this;
  }

  /** Sets how long a request waits for an identical one in progress (0s..60s). */
  public VendorConfigBuilder retryWait(Duration wait) {
    this.retryWait = wait;
    return this;
  }

  /** Sets the listen address. */
  public VendorConfigBuilder host(String host) {
    this.host = host;
    return this;
  }

  /** Sets the port; 0 picks a free one. */
  public VendorConfigBuilder port(int port) {
    this.port = port;
    return this;
  }

  /**
   * Adds an origin customers address this vendor by (an absolute http or https URL without path);
   * none: loopback at the listening port.
   */
  public VendorConfigBuilder publicUrl(String url) {
    publicUrls.add(url);
    return this;
  }

  /** Adds a catalogue entry. */
  public VendorConfigBuilder price(String method, String pathPattern, long priceMillicents) {
    prices.add(new Price(method, pathPattern, priceMillicents));
    return this;
  }

  /** Adds a path pattern served free for any method. */
  public VendorConfigBuilder free(String pathPattern) {
    freePaths.add(pathPattern);
    return this;
  }

  /** Removes every priced entry and free path. */
  public VendorConfigBuilder clearPrices() {
    prices.clear();
    freePaths.clear();
    return this;
  }

  /** Adds a surcharge rule by scrip property. */
  public VendorConfigBuilder priceRule(PriceRule rule) {
    priceRules.add(rule);
    return this;
  }

  /** Sets where the content comes from. */
  public VendorConfigBuilder content(Content content) {
    this.content = content;
    return this;
  }

  /** Serves files under {@code root}. */
  public VendorConfigBuilder staticFolder(Path root) {
    return content(new Content.StaticFolder(root));
  }

  /** Reverse-proxies {@code url} with the default timeout. */
  public VendorConfigBuilder origin(URI url) {
    return content(new Content.Origin(url, VendorConfig.DEFAULT_ORIGIN_TIMEOUT));
  }

  /** Adds a broker. */
  public VendorConfigBuilder broker(BrokerConfig broker) {
    brokers.add(broker);
    return this;
  }

  /** Sets the accepted variants. */
  public VendorConfigBuilder variants(Set<Variant> variants) {
    this.variants = variants.isEmpty() ? EnumSet.noneOf(Variant.class) : EnumSet.copyOf(variants);
    return this;
  }

  /** Sets the database ({@code jdbc:postgresql:...} or a SQLite file path; null: default). */
  public VendorConfigBuilder database(@Nullable String database) {
    this.database = database;
    return this;
  }

  /** Serves HTTPS with this keystore (null: plain HTTP). */
  public VendorConfigBuilder tls(@Nullable TlsConfig tls) {
    this.tls = tls;
    return this;
  }

  /** Sets the timeouts for slow clients ({@link HttpTimeouts#DEFAULT} unless set). */
  public VendorConfigBuilder httpTimeouts(HttpTimeouts timeouts) {
    this.httpTimeouts = java.util.Objects.requireNonNull(timeouts, "timeouts");
    return this;
  }

  /**
   * Sets the largest answer body the vendor holds in memory, in bytes (1..1 GiB; {@link
   * VendorConfig#DEFAULT_MAX_ANSWER_BYTES} unless set): see {@link VendorConfig#maxAnswerBytes()}.
   */
  public VendorConfigBuilder maxAnswerBytes(long bytes) {
    this.maxAnswerBytes = bytes;
    return this;
  }

  /** Sets the admin bearer token (null: generated into the data folder). */
  public VendorConfigBuilder adminToken(@Nullable String token) {
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
    return VendorConfigChecks.errors(this);
  }
}
