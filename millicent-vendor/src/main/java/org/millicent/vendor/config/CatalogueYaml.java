package org.millicent.vendor.config;

import static org.millicent.http.config.YamlValues.describe;
import static org.millicent.http.config.YamlValues.text;
import static org.millicent.http.config.YamlValues.unknownKeys;
import static org.millicent.http.config.YamlValues.wholeNumber;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads what a vendor sells from its YAML file (docs/CONFIG.md, "Prices"): {@code prices}, {@code
 * free} and {@code price_rules}, into a builder, with an error for each malformed entry. Stateless.
 */
final class CatalogueYaml {
  private CatalogueYaml() {}

  static void prices(ObjectNode root, VendorConfigBuilder b, List<String> errors) {
    JsonNode prices = root.get("prices");
    if (prices != null) {
      if (!prices.isArray()) {
        errors.add(
            "prices: expected a list of {method, path, price_millicents}, found "
                + describe(prices));
      } else {
        for (int i = 0; i < prices.size(); i++) {
          JsonNode p = prices.get(i);
          String at = "prices[" + i + "]";
          if (!p.isObject()) {
            errors.add(at + ": expected {method, path, price_millicents}, found " + describe(p));
            continue;
          }
          unknownKeys(p, VendorConfigYaml.known("prices[]"), at + ".", errors);
          String method = p.has("method") ? text(p.get("method"), at + ".method", errors) : "GET";
          b.prices.add( // unchecked, like every entry read: validation reports what is missing
              new Price(
                  method == null ? null : method.toUpperCase(Locale.ROOT),
                  text(p.get("path"), at + ".path", errors),
                  wholeNumber(p.get("price_millicents"), at + ".price_millicents", errors, 0)));
        }
      }
    }
    JsonNode free = root.get("free");
    if (free != null) {
      if (!free.isArray()) {
        errors.add("free: expected a list of path patterns, found " + describe(free));
      } else {
        for (int i = 0; i < free.size(); i++) {
          JsonNode f = free.get(i);
          if (!f.isTextual()) {
            errors.add("free[" + i + "]: expected a path pattern, found " + describe(f));
          } else {
            b.free(f.asText());
          }
        }
      }
    }
  }

  static void rules(ObjectNode root, VendorConfigBuilder b, List<String> errors) {
    JsonNode rules = root.get("price_rules");
    if (rules == null) {
      return;
    }
    if (!rules.isArray()) {
      errors.add(
          "price_rules: expected a list of {property, rates_bps, default_bps}, found "
              + describe(rules));
      return;
    }
    for (int i = 0; i < rules.size(); i++) {
      JsonNode r = rules.get(i);
      String at = "price_rules[" + i + "]";
      if (!r.isObject()) {
        errors.add(at + ": expected {property, rates_bps, default_bps}, found " + describe(r));
        continue;
      }
      unknownKeys(r, VendorConfigYaml.known("price_rules[]"), at + ".", errors);
      Map<String, Long> rates = new LinkedHashMap<>();
      JsonNode rn = r.get("rates_bps");
      if (rn != null) {
        if (!rn.isObject()) {
          errors.add(
              at
                  + ".rates_bps: expected a mapping of property value to basis points, found "
                  + describe(rn));
        } else {
          for (Iterator<Map.Entry<String, JsonNode>> it = rn.properties().iterator();
              it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            rates.put(
                e.getKey(), wholeNumber(e.getValue(), at + ".rates_bps." + e.getKey(), errors, 0));
          }
        }
      }
      long def =
          r.has("default_bps")
              ? wholeNumber(r.get("default_bps"), at + ".default_bps", errors, 0)
              : 0;
      b.priceRule(new PriceRule(text(r.get("property"), at + ".property", errors), rates, def));
    }
  }
}
