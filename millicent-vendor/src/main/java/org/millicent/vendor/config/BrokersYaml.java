package org.millicent.vendor.config;

import static org.millicent.http.config.YamlValues.describe;
import static org.millicent.http.config.YamlValues.text;
import static org.millicent.http.config.YamlValues.unknownKeys;
import static org.millicent.http.config.YamlValues.wholeNumber;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;

/**
 * Reads the brokers a vendor sells through from its YAML file (docs/CONFIG.md, "Vendor"): each
 * entry of {@code brokers} (id, URL, token, the broker's customer ID at the vendor, its discount)
 * into a builder, with an error for each malformed entry. Stateless.
 */
final class BrokersYaml {
  private BrokersYaml() {}

  static void brokers(ObjectNode root, VendorConfigBuilder b, List<String> errors) {
    JsonNode brokers = root.get("brokers");
    if (brokers == null) {
      return;
    }
    if (!brokers.isArray()) {
      errors.add(
          "brokers: expected a list of {id, url, token, customer_id, discount_bps}, found "
              + describe(brokers));
      return;
    }
    for (int i = 0; i < brokers.size(); i++) {
      JsonNode n = brokers.get(i);
      String at = "brokers[" + i + "]";
      if (!n.isObject()) {
        errors.add(
            at + ": expected {id, url, token, customer_id, discount_bps}, found " + describe(n));
        continue;
      }
      unknownKeys(n, VendorConfigYaml.known("brokers[]"), at + ".", errors);
      String url = text(n.get("url"), at + ".url", errors);
      URI uri = null;
      if (url != null) {
        try {
          uri = new URI(url);
        } catch (URISyntaxException e) {
          errors.add(at + ".url: expected a URL, found " + url);
        }
      }
      long customer = 0;
      JsonNode c = n.get("customer_id");
      if (c == null) {
        errors.add(at + ".customer_id: expected the broker's customer ID at this vendor");
      } else {
        try {
          if (!((c.isTextual() && c.asText().matches("[0-9]{1,20}"))
              || (c.isIntegralNumber() && c.canConvertToLong() && c.asLong() >= 0))) {
            throw new NumberFormatException();
          }
          customer = Long.parseUnsignedLong(c.asText());
        } catch (NumberFormatException e) {
          errors.add(
              at
                  + ".customer_id: expected an unsigned decimal below 2^56, as a number or in"
                  + " quotes, found "
                  + describe(c));
        }
      }
      long discount =
          n.has("discount_bps")
              ? wholeNumber(n.get("discount_bps"), at + ".discount_bps", errors, 0)
              : 0;
      if (discount < 0 || discount > 10_000) { // checked here: the entry holds an int
        errors.add(at + ".discount_bps: expected 0..10000, found " + discount);
        discount = 0;
      }
      b.broker(
          new BrokerConfig(
              text(n.get("id"), at + ".id", errors),
              uri,
              text(n.get("token"), at + ".token", errors),
              customer,
              (int) discount));
    }
  }
}
