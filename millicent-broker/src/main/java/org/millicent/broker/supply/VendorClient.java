package org.millicent.broker.supply;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.millicent.broker.BrokerError;
import org.millicent.broker.BrokerException;
import org.millicent.keys.CustomerSecret;

/**
 * The broker's HTTP client for a vendor's broker-facing and admin endpoints (docs/HTTP-API.md,
 * "Broker-facing endpoints (vendor)"). Every failure, including a vendor answer that is not what
 * the contract says, is a {@link BrokerException} {@code vendor-unavailable} naming the vendor and
 * endpoint; no token appears in a message. Thread-safe.
 */
public final class VendorClient {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpClient http;
  private final Duration timeout;

  /** A client whose requests time out after {@code timeout}. */
  public VendorClient(Duration timeout) {
    this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
    this.timeout = timeout;
  }

  /** A bulk lot of vendor scrip bought for the warehouse. */
  public record Lot(List<String> scrip, long amountDueMillicents) {}

  /** Scrip exchanged at the vendor into a customer's name. */
  public record Exchanged(long customerId, String scrip, byte[] sealedCustomerSecret) {}

  /** One received scrip ID the vendor reports. */
  public record ReceivedId(long scripId, long valueMillicents) {}

  /** The vendor's report of licensed scrip it received since the last settlement. */
  public record Received(List<ReceivedId> ids, long upto) {}

  /** Asks the vendor for a licence ({@code POST /millicent/admin/licences}). */
  public Licence obtainLicence(
      URI vendorUrl, String adminToken, String broker, int keyIds, int discountBps) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("broker", broker);
    body.put("key_ids", keyIds);
    body.put("discount_bps", discountBps);
    JsonNode n = post(vendorUrl, "/millicent/admin/licences", adminToken, body);
    try {
      return Licence.fromJson(n);
    } catch (BrokerException e) {
      throw unavailable(vendorUrl, "/millicent/admin/licences", e.getMessage(), e);
    }
  }

  /**
   * Reads the broker's own customer secret at the vendor ({@code GET /millicent/broker/account}),
   * under which the vendor seals the customer secrets it hands over.
   */
  public CustomerSecret brokerAccount(URI vendorUrl, String token) {
    String path = "/millicent/broker/account";
    JsonNode n = send(vendorUrl, path, token, HttpRequest.newBuilder().GET());
    try {
      return CustomerSecret.of(Base64.getUrlDecoder().decode(n.get("customer_secret").asText()));
    } catch (RuntimeException e) {
      throw unavailable(vendorUrl, path, "answer lacks a 32-byte customer_secret", e);
    }
  }

  /** Buys a bulk lot ({@code POST /millicent/broker/warehouse}). */
  public Lot buyLot(URI vendorUrl, String token, int count, long valueMillicents) {
    String path = "/millicent/broker/warehouse";
    JsonNode n =
        post(vendorUrl, path, token, Map.of("count", count, "value_millicents", valueMillicents));
    JsonNode s = n.get("scrip");
    JsonNode due = n.get("amount_due_millicents");
    if (s == null || !s.isArray() || due == null || !due.canConvertToLong()) {
      throw unavailable(vendorUrl, path, "answer lacks scrip or amount_due_millicents", null);
    }
    List<String> tokens = new ArrayList<>();
    s.forEach(t -> tokens.add(t.asText()));
    return new Lot(tokens, due.longValue());
  }

  /**
   * Exchanges broker-held scrip into a customer's name ({@code POST /millicent/broker/exchange}).
   */
  public Exchanged exchange(URI vendorUrl, String token, List<String> scrip, String customerRef) {
    String path = "/millicent/broker/exchange";
    JsonNode n = post(vendorUrl, path, token, Map.of("scrip", scrip, "customer_ref", customerRef));
    try {
      JsonNode out = n.get("scrip");
      String t = out.isArray() ? out.get(0).asText() : out.asText();
      return new Exchanged(
          Long.parseUnsignedLong(n.get("customer_id").asText()),
          t,
          Base64.getUrlDecoder().decode(n.get("sealed_customer_secret").asText()));
    } catch (RuntimeException e) {
      throw unavailable(vendorUrl, path, "answer lacks customer_id, scrip or sealed secret", e);
    }
  }

  /** Reads the received-IDs report ({@code GET /millicent/broker/received}). */
  public Received received(URI vendorUrl, String token) {
    String path = "/millicent/broker/received";
    JsonNode n = send(vendorUrl, path, token, HttpRequest.newBuilder().GET());
    try {
      List<ReceivedId> ids = new ArrayList<>();
      for (JsonNode i : n.get("ids")) {
        ids.add(
            new ReceivedId(
                Long.parseUnsignedLong(i.get("scrip_id").asText()),
                i.get("value_millicents").asLong()));
      }
      return new Received(ids, n.get("upto").asLong());
    } catch (RuntimeException e) {
      throw unavailable(vendorUrl, path, "answer is not a received-IDs report", e);
    }
  }

  /** Marks the report up to {@code upto} as settled ({@code POST .../received/settled}). */
  public void markSettled(URI vendorUrl, String token, long upto) {
    post(vendorUrl, "/millicent/broker/received/settled", token, Map.of("upto", upto));
  }

  private JsonNode post(URI base, String path, String token, Object body) {
    byte[] bytes;
    try {
      bytes = JSON.writeValueAsBytes(body);
    } catch (IOException e) {
      throw new IllegalStateException("cannot encode a request body", e);
    }
    return send(
        base,
        path,
        token,
        HttpRequest.newBuilder()
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofByteArray(bytes)));
  }

  private JsonNode send(URI base, String path, String token, HttpRequest.Builder b) {
    URI uri = base.resolve(path);
    HttpResponse<byte[]> r;
    try {
      r =
          http.send(
              b.uri(uri)
                  .timeout(timeout)
                  .header("Authorization", "Bearer " + (token == null ? "" : token))
                  .header("Accept", "application/json")
                  .build(),
              HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      throw unavailable(
          base, path, "cannot reach the vendor (" + e.getClass().getSimpleName() + ")", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw unavailable(base, path, "interrupted", e);
    }
    JsonNode n;
    try {
      n = r.body().length == 0 ? JSON.createObjectNode() : JSON.readTree(r.body());
    } catch (IOException e) {
      throw unavailable(
          base, path, "answered " + r.statusCode() + " with a body that is not JSON", e);
    }
    if (r.statusCode() / 100 != 2) {
      String code = n.hasNonNull("code") ? n.get("code").asText() : "?";
      String detail = n.hasNonNull("detail") ? n.get("detail").asText() : "";
      throw unavailable(base, path, "answered " + r.statusCode() + " " + code + " " + detail, null);
    }
    return n;
  }

  private static BrokerException unavailable(URI base, String path, String what, Throwable cause) {
    return new BrokerException(
        BrokerError.VENDOR_UNAVAILABLE, "vendor at " + base + " " + path + ": " + what, cause);
  }
}
