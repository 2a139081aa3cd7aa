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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.millicent.broker.BrokerError;
import org.millicent.broker.BrokerException;
import org.millicent.bytes.Base64Url;
import org.millicent.failure.Causes;
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
      throw unavailable(vendorUrl, "/millicent/admin/licences", Causes.describe(e), e);
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
      return CustomerSecret.of(Base64Url.decode(n.get("customer_secret").asText()));
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
   * The body of a warehouse exchange request ({@code POST /millicent/broker/exchange}). The broker
   * records these bytes before it sends them and resends exactly them until the vendor's answer is
   * known: the vendor replays an identical exchange.
   */
  public static byte[] exchangeBody(List<String> scrip, String customerRef) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("scrip", scrip);
    body.put("customer_ref", customerRef);
    try {
      return JSON.writeValueAsBytes(body);
    } catch (IOException e) {
      throw new IllegalStateException("cannot encode a request body", e);
    }
  }

  /** What a warehouse exchange request came to. */
  public sealed interface ExchangeOutcome {}

  /** The vendor answered with the exchanged scrip. */
  public record Done(ExchangeAnswer exchanged) implements ExchangeOutcome {}

  /**
   * The vendor refused the request: it did not do this exchange.
   *
   * @param status the HTTP status
   * @param code the problem code
   * @param detail the problem detail
   */
  public record Refused(int status, String code, String detail) implements ExchangeOutcome {
    /** Whether the refusal says the pieces themselves are no good (expired, forged...). */
    public boolean piecesUnusable() {
      return status == 402;
    }
  }

  /**
   * The vendor's answer is not known (no answer, a server error, {@code in-progress}, or an answer
   * that is not what the contract says); the same request must be sent again.
   *
   * @param reason what happened, for logs
   * @param retryAfter how long the vendor asked to wait, or null
   */
  public record Unknown(String reason, @Nullable Duration retryAfter) implements ExchangeOutcome {}

  /**
   * Sends one warehouse exchange request ({@code POST /millicent/broker/exchange}) with the exact
   * {@code body} and says what it came to. Never throws for a vendor failure.
   *
   * <p>A refusal is a 4xx answer that says the vendor did not do the exchange, except {@code spent}
   * (which a vendor may answer to a retry while its first attempt still holds its claim, before
   * issue 12's in-progress answer), {@code in-progress}, 408, 409 and 429, which leave the answer
   * unknown.
   */
  public ExchangeOutcome exchange(URI vendorUrl, String token, byte[] body) {
    String path = "/millicent/broker/exchange";
    URI uri = vendorUrl.resolve(path);
    HttpResponse<byte[]> r;
    try {
      r =
          call(
              uri,
              token,
              HttpRequest.newBuilder()
                  .header("Content-Type", "application/json")
                  .POST(HttpRequest.BodyPublishers.ofByteArray(body)));
    } catch (IOException e) {
      return new Unknown("cannot reach the vendor (" + e.getClass().getSimpleName() + ")", null);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Unknown("interrupted", null);
    }
    JsonNode n;
    try {
      n = r.body().length == 0 ? JSON.createObjectNode() : JSON.readTree(r.body());
    } catch (IOException e) {
      n = JSON.createObjectNode();
    }
    int status = r.statusCode();
    String code = n.hasNonNull("code") ? n.get("code").asText() : "?";
    if (status / 100 == 2) {
      try {
        JsonNode out = n.get("scrip");
        String t = out.isArray() ? out.get(0).asText() : out.asText();
        return new Done(
            new ExchangeAnswer(
                Long.parseUnsignedLong(n.get("customer_id").asText()),
                t,
                Base64Url.decode(n.get("sealed_customer_secret").asText())));
      } catch (RuntimeException e) {
        return new Unknown(
            "answered " + status + " without customer_id, scrip or sealed secret", null);
      }
    }
    String what = "answered " + status + " " + code;
    if (status / 100 != 4
        || status == 408
        || status == 409
        || status == 429
        || "spent".equals(code)
        || "in-progress".equals(code)) {
      return new Unknown(what, retryAfter(r));
    }
    String detail = n.hasNonNull("detail") ? n.get("detail").asText() : "";
    return new Refused(status, code, detail);
  }

  private static @Nullable Duration retryAfter(HttpResponse<?> r) {
    return r.headers()
        .firstValue("Retry-After")
        .map(
            v -> {
              try {
                return Duration.ofSeconds(Math.max(0, Long.parseLong(v.trim())));
              } catch (NumberFormatException e) {
                return null;
              }
            })
        .orElse(null);
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
      r = call(uri, token, b);
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

  /** Sends {@code b} to {@code uri} with the broker's bearer token, asking for JSON. */
  private HttpResponse<byte[]> call(URI uri, String token, HttpRequest.Builder b)
      throws IOException, InterruptedException {
    return http.send(
        b.uri(uri)
            .timeout(timeout)
            .header("Authorization", "Bearer " + (token == null ? "" : token))
            .header("Accept", "application/json")
            .build(),
        HttpResponse.BodyHandlers.ofByteArray());
  }

  private static BrokerException unavailable(
      URI base, String path, String what, @Nullable Throwable cause) {
    return new BrokerException(
        BrokerError.VENDOR_UNAVAILABLE, "vendor at " + base + " " + path + ": " + what, cause);
  }
}
