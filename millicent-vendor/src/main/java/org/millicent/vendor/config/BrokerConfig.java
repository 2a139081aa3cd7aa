package org.millicent.vendor.config;

import java.net.URI;
import org.jspecify.annotations.Nullable;
import org.millicent.http.AccessGuard;

/**
 * A broker that sells this vendor's scrip: where customers find it (named in 402 offers), the
 * bearer token it authenticates with on the broker-facing endpoints, its own customer ID at this
 * vendor (warehouse scrip is bound to it) and its discount. Not a record: it holds a token, which
 * {@link #toString} never prints. Immutable. Read from YAML, its id, URL or token may be missing
 * until the configuration is validated as a whole, which reports it; their accessors then throw.
 */
public final class BrokerConfig {
  private final @Nullable String id;
  private final @Nullable URI url;
  private final @Nullable String token;
  private final long customerId;
  private final int discountBps;

  /**
   * A broker entry; checked by {@link VendorConfigBuilder#build()}.
   *
   * @param id short name, e.g. {@code bob}
   * @param url the broker's base URL
   * @param token the bearer token it presents (at least 16 characters)
   * @param customerId its customer ID at this vendor (selector byte {@value
   *     VendorConfig#BROKER_CUSTOMER_SELECTOR})
   * @param discountBps its discount in basis points, 0..10000
   */
  public BrokerConfig(
      @Nullable String id,
      @Nullable URI url,
      @Nullable String token,
      long customerId,
      int discountBps) {
    this.id = id;
    this.url = url;
    this.token = token;
    this.customerId = customerId;
    this.discountBps = discountBps;
  }

  /** The broker's short name. */
  public String id() {
    return VendorConfigChecks.validated(id, "id");
  }

  /** The broker's base URL. */
  public URI url() {
    return VendorConfigChecks.validated(url, "url");
  }

  /** The bearer token; never log it. */
  public String token() {
    return VendorConfigChecks.validated(token, "token");
  }

  /** Whether {@code presented} is this broker's token, compared in constant time. */
  public boolean tokenMatches(String presented) {
    return AccessGuard.tokenMatches(token(), presented);
  }

  /** The broker's own customer ID at this vendor. */
  public long customerId() {
    return customerId;
  }

  /** The broker's discount in basis points. */
  public int discountBps() {
    return discountBps;
  }

  /** The id as configured, null when missing: for validation, which reports that. */
  @Nullable String configuredId() {
    return id;
  }

  /** The URL as configured, null when missing: for validation. */
  @Nullable URI configuredUrl() {
    return url;
  }

  /** The token as configured, null when missing: for validation. */
  @Nullable String configuredToken() {
    return token;
  }

  /** Names the broker; never prints the token. */
  @Override
  public String toString() {
    return "BrokerConfig["
        + id
        + " "
        + url
        + " customer="
        + Long.toUnsignedString(customerId)
        + " discount_bps="
        + discountBps
        + "]";
  }
}
