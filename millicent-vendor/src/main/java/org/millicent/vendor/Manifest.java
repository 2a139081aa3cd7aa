package org.millicent.vendor;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.millicent.protocol.Variant;
import org.millicent.vendor.config.BrokerConfig;
import org.millicent.vendor.config.Price;
import org.millicent.vendor.config.PriceRule;
import org.millicent.vendor.config.VendorConfig;

/**
 * The body of {@code GET /.well-known/millicent} (docs/HTTP-API.md): the vendor, its currency,
 * variants, brokers, priced resources and price rules, written at start (and again when the
 * application lists the prices it sets itself). Stateless.
 */
final class Manifest {
  private Manifest() {}

  /**
   * The manifest of {@code config} as JSON bytes, its resources led by {@code application}: what
   * the application prices itself, matched before the configuration.
   */
  static byte[] of(ObjectMapper json, VendorConfig config, List<Price> application) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("vendor", config.vendor());
    m.put("currency", config.currency());
    m.put("variants", config.variants().stream().sorted().map(Variant::wireName).toList());
    m.put("scrip_lifetime_seconds", config.scripLifetime().toSeconds());
    List<Map<String, Object>> brokers = new ArrayList<>();
    for (BrokerConfig b : config.brokers()) {
      brokers.add(Map.of("id", b.id(), "url", b.url().toString()));
    }
    m.put("brokers", brokers);
    List<Map<String, Object>> resources = new ArrayList<>();
    for (Price p : application) {
      resources.add(resource(p.method(), p.path(), p.priceMillicents()));
    }
    for (String free : config.freePaths()) {
      resources.add(resource("*", free, 0));
    }
    for (Price p : config.prices()) {
      resources.add(resource(p.method(), p.path(), p.priceMillicents()));
    }
    m.put("resources", resources);
    List<Map<String, Object>> rules = new ArrayList<>();
    for (PriceRule r : config.priceRules()) {
      rules.add(
          Map.of(
              "property", r.property(), "rates_bps", r.ratesBps(), "default_bps", r.defaultBps()));
    }
    m.put("price_rules", rules);
    m.put("exchange", "/millicent/exchange");
    try {
      return json.writeValueAsBytes(m);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Map<String, Object> resource(String method, String path, long price) {
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("method", method);
    r.put("path", path);
    r.put("price_millicents", price);
    return r;
  }
}
