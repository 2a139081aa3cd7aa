package org.millicent.vendor;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.millicent.vendor.config.BrokerConfig;
import org.millicent.vendor.config.VendorConfig;
import org.millicent.vendor.store.GatewayStore;

/**
 * The state of a vendor runtime at one moment, for a health check ({@link
 * MillicentGateway#health()}; the Spring Boot starter's Actuator component): whether its database
 * answers, its master keys, and whether each configured broker holds a licence (has joined). Up
 * means payments can be taken. Carries no secret. Immutable.
 *
 * @param up whether the database answers with the vendor's tables (payments work)
 * @param vendor the vendor id
 * @param database {@code up}, or {@code failed: } and why
 * @param primaryKeyId the key id new scrip is minted under, or -1 when unknown (database down)
 * @param keys how many master keys the vendor holds (primary, previous, retired but validating)
 * @param brokers each configured broker's id and {@code licensed} (it holds a licence that is not
 *     revoked) or {@code not licensed} (it has not joined yet: it cannot sell this vendor's scrip)
 */
public record VendorHealth(
    boolean up,
    String vendor,
    String database,
    int primaryKeyId,
    int keys,
    Map<String, String> brokers) {

  /** Copies {@code brokers}, in their order. */
  public VendorHealth {
    brokers = Collections.unmodifiableMap(new LinkedHashMap<>(brokers));
  }

  /**
   * What a health endpoint shows (the Spring Boot starter's Actuator component, on Boot 3 and 4
   * alike): the vendor and database, and while up the primary key id, the key count and the
   * brokers' licences. In that order.
   */
  public Map<String, Object> details() {
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("vendor", vendor);
    d.put("database", database);
    if (up) {
      d.put("primaryKeyId", primaryKeyId);
      d.put("keys", keys);
      d.put("brokers", brokers);
    }
    return Collections.unmodifiableMap(d);
  }

  /** Checks {@code st}'s database, then reads its keys and licences. */
  static VendorHealth of(VendorConfig config, VendorState st) {
    try {
      st.checkStorage();
    } catch (RuntimeException e) {
      return down(config, e);
    }
    Map<String, String> brokers = new LinkedHashMap<>();
    for (BrokerConfig b : config.brokers()) {
      brokers.put(b.id(), "not licensed");
    }
    for (GatewayStore.Licence l : st.licences.list()) {
      if (!l.revoked() && brokers.containsKey(l.broker())) {
        brokers.put(l.broker(), "licensed");
      }
    }
    return new VendorHealth(
        true,
        config.vendor(),
        "up",
        st.masters.primaryKeyId().orElse(-1),
        st.masters.keys().size(),
        brokers);
  }

  /** The health of a vendor whose database failed with {@code e}. */
  static VendorHealth down(VendorConfig config, RuntimeException e) {
    return new VendorHealth(
        false, config.vendor(), "failed: " + Problems.classify(e).detail(), -1, 0, Map.of());
  }

  /**
   * The document {@code GET /health} answers, as the broker's: {@code status} ({@code up}, or
   * {@code down} with {@code 503} while payments would get {@code storage-unavailable}), {@code
   * vendor} and {@code database}.
   */
  Map<String, Object> document() {
    Map<String, Object> health = new LinkedHashMap<>();
    health.put("status", up ? "up" : "down");
    health.put("vendor", vendor);
    health.put("database", database);
    return health;
  }
}
