package org.millicent.vendor;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.millicent.protocol.AuthParams;
import org.millicent.protocol.PaymentHeader;
import org.millicent.protocol.Variant;
import org.millicent.vendor.config.BrokerConfig;
import org.millicent.vendor.config.VendorConfig;

/**
 * The vendor's offer for one price, as carried by {@code WWW-Authenticate: Millicent ...} and the
 * 402 problem body (docs/HTTP-API.md, "Offer"). Immutable and thread-safe.
 */
final class Offer {
  private final String vendor;
  private final String currency;
  private final List<String> variants;
  private final List<String> brokers;

  Offer(VendorConfig config) {
    this.vendor = config.vendor();
    this.currency = config.currency();
    this.variants = config.variants().stream().sorted().map(Variant::wireName).toList();
    this.brokers = config.brokers().stream().map(b -> b.url().toString()).toList();
  }

  /** The {@code WWW-Authenticate} value for {@code priceMillicents}. */
  String header(long priceMillicents) {
    Map<String, String> p = new LinkedHashMap<>();
    p.put("v", PaymentHeader.VERSION);
    p.put("vendor", vendor);
    p.put("price", Long.toString(priceMillicents));
    p.put("currency", currency);
    p.put("variants", String.join(" ", variants));
    p.put("brokers", String.join(" ", brokers));
    return AuthParams.format(p);
  }

  /** The offer's fields for a problem body. */
  void addTo(Map<String, Object> body, long priceMillicents) {
    body.put("vendor", vendor);
    body.put("price_millicents", priceMillicents);
    body.put("currency", currency);
    body.put("variants", variants);
    body.put("brokers", brokers);
  }

  String vendor() {
    return vendor;
  }

  String currency() {
    return currency;
  }

  List<String> variants() {
    return variants;
  }

  static List<String> brokerUrls(List<BrokerConfig> brokers) {
    return brokers.stream().map(b -> b.url().toString()).toList();
  }
}
