package org.millicent.vendor.config;

import java.net.URI;
import org.millicent.http.AccessGuard;

/**
 * A broker that sells this vendor's scrip: where customers find it (named in 402 offers), the
 * bearer token it authenticates with on the broker-facing endpoints, its own customer ID at this
 * vendor (warehouse scrip is bound to it) and its discount. Not a record: it holds a token, which
 * {@link #toString} never prints. Immutable.
 */
public final class BrokerConfig {
  private final String id;
  private final URI url;
  private final String token;
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
  public BrokerConfig(String id, URI url, String token, long customerId, int discountBps) {
    this.id = id;
    this.url = url;
    this.token = token;
    this.customerId = customerId;
    this.discountBps = discountBps;
  }

  /** The broker's short name. */
  public String id() {
    return id;
  }

  /** The broker's base URL. */
  public URI url() {
    return url;
  }

  /** The bearer token; never log it. */
  public String token() {
    return token;
  }

  /** Whether {@code presented} is this broker's token, compared in constant time. */
  public boolean tokenMatches(String presented) {
    return AccessGuard.tokenMatches(token, presented);
  }

  /** The broker's own customer ID at this vendor. */
  public long customerId() {
    return customerId;
  }

  /** The broker's discount in basis points. */
  public int discountBps() {
    return discountBps;
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
