package org.millicent.spring;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.millicent.money.Amounts;
import org.millicent.protocol.Variant;
import org.millicent.vendor.config.BrokerConfig;
import org.millicent.vendor.config.ConfigException;
import org.millicent.vendor.config.PriceRule;
import org.millicent.vendor.config.VendorConfig;
import org.millicent.vendor.config.VendorConfigBuilder;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * The vendor's settings under {@code millicent.vendor.*} (docs/SPRING-BOOT.md): the same settings
 * as the gateway's YAML file (docs/CONFIG.md), in Spring's relaxed names, mapped onto the same
 * {@link VendorConfig}; or {@code config-file}, a gateway YAML file used as it is. Listening,
 * content and TLS settings are the Spring application's own, so they are not here.
 *
 * @param enabled whether the starter sets up the vendor at all
 * @param name the vendor id (the YAML file's {@code vendor})
 * @param configFile a vendor YAML file to load instead of the settings below
 * @param dataDir the data folder: the SQLite database, the admin token, the folder lock
 * @param database a {@code jdbc:postgresql:} URL or a SQLite file (default: in {@code data-dir})
 * @param adminToken the admin bearer token (default: generated into {@code data-dir})
 * @param currency ISO 4217
 * @param scripLifetime how long minted scrip stays valid
 * @param retryWait how long a request waits for an identical one in progress
 * @param maxAnswerBytes the largest paid answer the vendor holds in memory ({@code
 *     max_answer_bytes} in CONFIG.md; default {@code 16MB})
 * @param publicUrls the origins customers address the application by (default: loopback)
 * @param variants the protocol variants accepted ({@code clear}, {@code signed}, {@code private})
 * @param prices priced path patterns, besides {@link Priced} handlers
 * @param free free path patterns (matched before {@code prices})
 * @param priceRules surcharges by scrip property
 * @param brokers the brokers that sell this vendor's scrip
 * @param unpricedMethods what to do at start about a handler that serves free methods of a path the
 *     configuration prices for other methods: log a warning ({@code warn}, the default) or stop
 *     ({@code fail})
 */
@ConfigurationProperties("millicent.vendor")
public record MillicentProperties(
    @DefaultValue("true") boolean enabled,
    @Nullable String name,
    @Nullable Path configFile,
    @DefaultValue("millicent-data") Path dataDir,
    @Nullable String database,
    @Nullable String adminToken,
    @DefaultValue("USD") String currency,
    @DefaultValue("1d") Duration scripLifetime,
    @DefaultValue("5s") Duration retryWait,
    @DefaultValue("16MB") DataSize maxAnswerBytes,
    @Nullable List<String> publicUrls,
    @Nullable Set<String> variants,
    @Nullable List<PriceEntry> prices,
    @Nullable List<String> free,
    @Nullable List<Surcharge> priceRules,
    @Nullable List<Broker> brokers,
    @DefaultValue("warn") UnpricedMethods unpricedMethods) {

  /**
   * What the start does about a handler without {@link Priced} that answers methods of a path the
   * configuration prices for other methods only, which it then serves free (docs/SPRING-BOOT.md,
   * "Methods a path price does not cover").
   */
  public enum UnpricedMethods {
    /** Log a warning naming the handler, path and methods. */
    WARN,
    /** Stop the start, naming them all. */
    FAIL
  }

  /**
   * A priced path pattern.
   *
   * @param method an HTTP method or {@code *} (default {@code GET})
   * @param path a pattern: {@code *} within a segment, {@code **} across segments
   * @param price an amount as {@link Priced#value()} reads it ({@code 100}, {@code 0.1c})
   */
  public record PriceEntry(@DefaultValue("GET") String method, String path, String price) {}

  /**
   * A surcharge by scrip property (docs/CONFIG.md, "price_rules").
   *
   * @param property the scrip property key
   * @param ratesBps rate in basis points by property value
   * @param defaultBps rate for other values
   */
  public record Surcharge(
      String property, @Nullable Map<String, Long> ratesBps, @DefaultValue("0") long defaultBps) {}

  /**
   * A broker that sells this vendor's scrip (docs/CONFIG.md, "brokers").
   *
   * @param id its short name
   * @param url its base URL
   * @param token the bearer token it presents here (at least 16 characters)
   * @param customerId its own customer ID at this vendor
   * @param discountBps its discount in basis points
   */
  public record Broker(
      String id, URI url, String token, long customerId, @DefaultValue("0") int discountBps) {
    /** Names the broker; never prints the token. */
    @Override
    public String toString() {
      return "Broker[" + id + " " + url + "]";
    }
  }

  /**
   * The vendor configuration these settings describe, validated as the gateway validates its file.
   *
   * @throws ConfigException naming every problem found (by the gateway's YAML keys)
   */
  public VendorConfig toVendorConfig() {
    if (configFile != null) {
      return VendorConfig.load(configFile);
    }
    if (name == null) {
      throw new ConfigException(
          List.of(
              "millicent.vendor.name: required: the vendor id, 1..64 characters of [a-z0-9.:_-]"
                  + " (or millicent.vendor.config-file: a vendor YAML file)"));
    }
    VendorConfigBuilder b =
        VendorConfig.builder(name)
            .currency(currency)
            .scripLifetime(scripLifetime)
            .retryWait(retryWait)
            .maxAnswerBytes(maxAnswerBytes.toBytes());
    if (database != null) {
      b.database(database);
    }
    if (adminToken != null) {
      b.adminToken(adminToken);
    }
    for (String url : orEmpty(publicUrls)) {
      b.publicUrl(url);
    }
    if (variants != null) {
      EnumSet<Variant> vs = EnumSet.noneOf(Variant.class);
      for (String v : variants) {
        Variant variant = Variant.fromWireName(v);
        if (variant == null) {
          throw new ConfigException(
              List.of("variants: expected clear, signed or private, found " + v));
        }
        vs.add(variant);
      }
      b.variants(vs);
    }
    int i = 0;
    for (PriceEntry p : orEmpty(prices)) {
      long price;
      try {
        price = Amounts.parse(p.price());
      } catch (IllegalArgumentException e) {
        throw new ConfigException(List.of("prices[" + i + "].price: " + e.getMessage()));
      }
      b.price(p.method().toUpperCase(java.util.Locale.ROOT), p.path(), price);
      i++;
    }
    orEmpty(free).forEach(b::free);
    if (orEmpty(prices).isEmpty() && orEmpty(free).isEmpty()) {
      // Everything the @Priced annotations do not price is free (the gateway's file must name
      // at least one path; an application that prices only by annotation names none).
      b.free("/**");
    }
    for (Surcharge r : orEmpty(priceRules)) {
      Map<String, Long> rates = r.ratesBps();
      b.priceRule(new PriceRule(r.property(), rates == null ? Map.of() : rates, r.defaultBps()));
    }
    for (Broker br : orEmpty(brokers)) {
      b.broker(new BrokerConfig(br.id(), br.url(), br.token(), br.customerId(), br.discountBps()));
    }
    return b.build();
  }

  private static <T> List<T> orEmpty(@Nullable List<T> list) {
    return list == null ? List.of() : list;
  }

  /** Names the settings; prints no token. */
  @Override
  public String toString() {
    return "MillicentProperties[name=" + name + " dataDir=" + dataDir + " prices=" + prices + "]";
  }
}
