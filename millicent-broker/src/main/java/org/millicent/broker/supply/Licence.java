package org.millicent.broker.supply;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.millicent.broker.BrokerError;
import org.millicent.broker.BrokerException;
import org.millicent.bytes.Base64Url;
import org.millicent.keys.CustomerSecrets;
import org.millicent.keys.MasterSecrets;
import org.millicent.keys.SecretBytes;

/**
 * A vendor's licence for this broker to mint its scrip (docs/HTTP-API.md, "Admin endpoints"): the
 * delegated key ids with their master scrip secrets, the customer-ID selector with its customer
 * master secret, the discount and the scrip lifetime. Immutable; never prints a secret.
 *
 * @param licenceId the vendor's id of the licence
 * @param vendor the vendor
 * @param broker the broker it was issued to
 * @param keys the delegated master scrip secrets by key id
 * @param customerSelector the selector byte of the customer IDs the broker may hand out
 * @param customerMasterSecret the customer master secret of that selector
 * @param discountBps the broker's discount in basis points
 * @param scripLifetimeSeconds how long scrip minted under the licence lives
 */
public record Licence(
    String licenceId,
    String vendor,
    String broker,
    Map<Integer, SecretBytes> keys,
    int customerSelector,
    SecretBytes customerMasterSecret,
    int discountBps,
    long scripLifetimeSeconds) {

  /** The first key id a vendor licenses; 0..127 are its own (docs/HTTP-API.md). */
  public static final int FIRST_LICENSED_KEY_ID = 128;

  /** Validates and copies. */
  public Licence {
    keys = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(keys));
    List<String> p = new ArrayList<>();
    if (licenceId == null || licenceId.isBlank() || licenceId.length() > 200) {
      p.add("licence_id must be 1..200 characters");
    }
    if (vendor == null || vendor.isBlank()) {
      p.add("vendor is missing");
    }
    if (keys.isEmpty()) {
      p.add("key_ids must name at least one key");
    }
    for (Map.Entry<Integer, SecretBytes> k : keys.entrySet()) {
      if (k.getKey() < 0 || k.getKey() > 255) {
        p.add("key id must be 0..255, found " + k.getKey());
      }
      if (k.getValue().length() != MasterSecrets.SECRET_LENGTH) {
        p.add("master secret of key id " + k.getKey() + " must be 32 bytes");
      }
    }
    if (customerSelector < 0 || customerSelector > 255) {
      p.add("customer_selector must be 0..255, found " + customerSelector);
    }
    if (customerMasterSecret == null
        || customerMasterSecret.length() != CustomerSecrets.SECRET_LENGTH) {
      p.add("customer_master_secret must be 32 bytes");
    }
    if (discountBps < 0 || discountBps >= 10_000) {
      p.add("discount_bps must be 0..9999, found " + discountBps);
    }
    if (scripLifetimeSeconds < 60 || scripLifetimeSeconds > 3660L * 86400) {
      p.add("scrip_lifetime_seconds must be 60 seconds to 10 years, found " + scripLifetimeSeconds);
    }
    if (!p.isEmpty()) {
      throw new BrokerException(
          BrokerError.BAD_REQUEST, "licence is not usable: " + String.join("; ", p));
    }
  }

  /**
   * Reads the licence JSON the vendor's {@code POST /millicent/admin/licences} returns.
   *
   * @throws BrokerException {@code bad-request} when a field is missing or wrong
   */
  public static Licence fromJson(JsonNode n) {
    if (n == null || !n.isObject()) {
      throw new BrokerException(BrokerError.BAD_REQUEST, "licence must be a JSON object");
    }
    Map<Integer, SecretBytes> keys = new TreeMap<>();
    JsonNode ks = n.get("key_ids");
    if (ks == null || !ks.isArray()) {
      throw new BrokerException(
          BrokerError.BAD_REQUEST, "licence.key_ids must be a list of {key_id, master_secret}");
    }
    for (JsonNode k : ks) {
      int id = intField(k, "key_id");
      if (id < FIRST_LICENSED_KEY_ID || id > 255) {
        throw new BrokerException(
            BrokerError.BAD_REQUEST,
            "licence.key_ids: key id "
                + id
                + " is outside "
                + FIRST_LICENSED_KEY_ID
                + "..255 (0..127 are the vendor's own keys, never licensed)");
      }
      if (keys.put(id, secret(k, "master_secret")) != null) {
        throw new BrokerException(
            BrokerError.BAD_REQUEST, "licence.key_ids: key id " + id + " is listed twice");
      }
    }
    return new Licence(
        text(n, "licence_id"),
        text(n, "vendor"),
        n.hasNonNull("broker") ? n.get("broker").asText() : "",
        keys,
        intField(n, "customer_selector"),
        secret(n, "customer_master_secret"),
        intField(n, "discount_bps"),
        longField(n, "scrip_lifetime_seconds"));
  }

  private static String text(JsonNode n, String f) {
    JsonNode v = n.get(f);
    if (v == null || !v.isTextual()) {
      throw new BrokerException(BrokerError.BAD_REQUEST, "licence." + f + " must be text");
    }
    return v.asText();
  }

  private static int intField(JsonNode n, String f) {
    JsonNode v = n == null ? null : n.get(f);
    if (v == null || !v.isIntegralNumber() || !v.canConvertToInt()) {
      throw new BrokerException(BrokerError.BAD_REQUEST, "licence." + f + " must be an integer");
    }
    return v.intValue();
  }

  private static long longField(JsonNode n, String f) {
    JsonNode v = n.get(f);
    if (v == null || !v.isIntegralNumber() || !v.canConvertToLong()) {
      throw new BrokerException(BrokerError.BAD_REQUEST, "licence." + f + " must be an integer");
    }
    return v.longValue();
  }

  private static SecretBytes secret(JsonNode n, String f) {
    JsonNode v = n == null ? null : n.get(f);
    if (v == null || !v.isTextual()) {
      throw new BrokerException(
          BrokerError.BAD_REQUEST, "licence." + f + " must be base64url text");
    }
    try {
      return SecretBytes.copyOf(Base64Url.decode(v.asText()));
    } catch (IllegalArgumentException e) {
      throw new BrokerException(BrokerError.BAD_REQUEST, "licence." + f + " is not base64url");
    }
  }

  /** The licence as JSON, secrets included: for the vendor's answer and licence files only. */
  public Map<String, Object> toJson() {
    List<Map<String, Object>> ks = new ArrayList<>();
    keys.forEach(
        (id, s) ->
            ks.add(Map.of("key_id", id, "master_secret", Base64Url.encode(s.toByteArray()))));
    Map<String, Object> m = new java.util.LinkedHashMap<>();
    m.put("licence_id", licenceId);
    m.put("vendor", vendor);
    m.put("broker", broker);
    m.put("key_ids", ks);
    m.put("customer_selector", customerSelector);
    m.put("customer_master_secret", Base64Url.encode(customerMasterSecret.toByteArray()));
    m.put("discount_bps", discountBps);
    m.put("scrip_lifetime_seconds", scripLifetimeSeconds);
    return m;
  }

  /** Names the licence, vendor and key ids only. */
  @Override
  public String toString() {
    return "Licence["
        + licenceId
        + " "
        + vendor
        + " keys="
        + keys.keySet()
        + " selector="
        + customerSelector
        + " discount="
        + discountBps
        + "bps]";
  }
}
