package org.millicent.broker;

import java.net.URI;
import java.util.List;
import org.millicent.broker.supply.Licence;

/**
 * A vendor asking to be sold by this broker ({@code POST /broker/vendors/join}, docs/BROKER.md,
 * "Vendors that join"): its name, where the broker and customers reach it, the bearer token the
 * broker presents at its broker-facing endpoints (to pull its received-IDs report), the discount,
 * and the licence it issued to this broker. Immutable; {@code toString} prints no token or secret.
 *
 * @param vendor the vendor id
 * @param url the vendor's base URL, as the broker reaches it
 * @param publicUrls the URLs customers reach the vendor at; empty means {@code url}
 * @param token the broker's bearer token at the vendor
 * @param discountBps the broker's discount in basis points
 * @param licence the licence the vendor issued to this broker
 */
public record VendorJoin(
    String vendor, URI url, List<URI> publicUrls, String token, int discountBps, Licence licence) {

  /** Copies the list. */
  public VendorJoin {
    publicUrls = publicUrls == null ? List.of() : List.copyOf(publicUrls);
  }

  /** This join with another URL. */
  public VendorJoin withUrl(URI u) {
    return new VendorJoin(vendor, u, publicUrls, token, discountBps, licence);
  }

  /** This join with another licence. */
  public VendorJoin withLicence(Licence l) {
    return new VendorJoin(vendor, url, publicUrls, token, discountBps, l);
  }

  /** Names the vendor, its URL and licence; never the token or a secret. */
  @Override
  public String toString() {
    return "VendorJoin["
        + vendor
        + " "
        + url
        + " licence="
        + (licence == null ? "none" : licence.licenceId())
        + "]";
  }
}
