package org.millicent.vendor;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.millicent.vendor.config.BrokerConfig;
import org.millicent.vendor.config.VendorConfig;

/**
 * The vendor's offer, from its configuration, at any price: the {@code WWW-Authenticate} value
 * (written by core's {@link org.millicent.protocol.Offer}) and the same fields in a 402 problem
 * body (docs/HTTP-API.md, "Offer"). Immutable and thread-safe.
 */
final class Offer {
  private final org.millicent.protocol.Offer template;

  Offer(VendorConfig config) {
    this.template =
        new org.millicent.protocol.Offer(
            config.vendor(),
            0,
            config.currency(),
            config.variants(),
            Optional.of(config.brokers().stream().map(BrokerConfig::url).toList()));
  }

  /** The {@code WWW-Authenticate} value for {@code priceMillicents}. */
  String header(long priceMillicents) {
    return template.withPrice(priceMillicents).format();
  }

  /** The offer's fields for a problem body. */
  void addTo(Map<String, Object> body, long priceMillicents) {
    body.put("vendor", template.vendor());
    body.put("price_millicents", priceMillicents);
    body.put("currency", template.currency());
    body.put("variants", variants());
    body.put("brokers", template.brokerList().stream().map(URI::toString).toList());
  }

  /** The variants' wire names, sorted. */
  List<String> variants() {
    return template.variantNames();
  }
}
