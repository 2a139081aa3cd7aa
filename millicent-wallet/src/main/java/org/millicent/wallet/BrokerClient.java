package org.millicent.wallet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.security.SecureRandom;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.millicent.bytes.Base64Url;
import org.millicent.failure.Causes;
import org.millicent.keys.CustomerSecret;
import org.millicent.protocol.AccountRequest;
import org.millicent.protocol.Nonce;
import org.millicent.wallet.http.Request;
import org.millicent.wallet.http.Response;
import org.millicent.wallet.http.Transport;

/**
 * The wallet's side of the broker endpoints (docs/HTTP-API.md, "Broker"): opening an account,
 * reading the broker's manifest and account, and drafting purchases of vendor scrip as account
 * requests. Thread-safe.
 */
final class BrokerClient {
  private static final String JSON = "application/json";

  private final Transport net;
  private final ObjectMapper json;
  private final SecureRandom random;

  BrokerClient(Transport net, ObjectMapper json, SecureRandom random) {
    this.net = net;
    this.json = json;
    this.random = random;
  }

  /**
   * What a broker answered to {@code POST /broker/accounts}.
   *
   * @param broker the broker's id
   * @param customerId the new customer ID
   * @param secret the customer's broker secret
   * @param creditLimitMillicents the credit limit, or -1 when not told
   */
  record Registration(
      String broker, long customerId, CustomerSecret secret, long creditLimitMillicents) {}

  /**
   * Opens an account named {@code name} at {@code broker}.
   *
   * @throws WalletException {@code broker-refused}, {@code unreachable} or {@code bad-response}
   */
  Registration register(URI broker, String name) throws InterruptedException {
    ObjectNode body = json.createObjectNode().put("name", name);
    Response r =
        send(Request.post(broker.resolve(path(broker, "/broker/accounts")), JSON, bytes(body)));
    JsonNode n = okJson(r);
    try {
      return new Registration(
          n.path("broker").asText(),
          Long.parseUnsignedLong(n.path("customer_id").asText()),
          CustomerSecret.of(Base64Url.decode(n.path("customer_secret").asText())),
          n.has("credit_limit_millicents") ? n.get("credit_limit_millicents").asLong() : -1);
    } catch (IllegalArgumentException e) {
      throw bad(
          r, "the new account lacks a customer ID, secret or broker id: " + e.getMessage(), e);
    }
  }

  /**
   * The broker's manifest, {@code GET /.well-known/millicent}.
   *
   * @throws WalletException {@code broker-refused}, {@code unreachable} or {@code bad-response}
   */
  JsonNode manifest(URI broker) throws InterruptedException {
    return okJson(send(Request.get(broker.resolve(path(broker, "/.well-known/millicent")))));
  }

  /**
   * The account's state, {@code GET /broker/accounts/{id}} as an account request.
   *
   * @throws WalletException {@code broker-refused}, {@code unreachable} or {@code bad-response}
   */
  JsonNode account(BrokerAccount a, CustomerSecret secret) throws InterruptedException {
    URI url = a.url().resolve(path(a.url(), "/broker/accounts/" + a.customerIdText()));
    String auth =
        PaidRequests.accountAuthorization(
            a.customerId(), secret, Nonce.random(random), "GET", url, new byte[0]);
    return okJson(
        send(Request.of("GET", url, Map.of("Authorization", List.of(auth)), new byte[0])));
  }

  /**
   * The draft of {@code POST /broker/vendor-scrip} for {@code amount} of {@code vendor}'s scrip.
   */
  PaymentDraft buyDraft(BrokerAccount a, CustomerSecret secret, String vendor, long amount) {
    URI url = a.url().resolve(path(a.url(), "/broker/vendor-scrip"));
    byte[] body =
        bytes(json.createObjectNode().put("vendor", vendor).put("amount_millicents", amount));
    String auth =
        PaidRequests.accountAuthorization(
            a.customerId(), secret, Nonce.random(random), "POST", url, body);
    return new PaymentDraft(
        PaymentRecord.BUY,
        vendor,
        a.customerId(),
        AccountRequest.VARIANT,
        amount,
        "POST",
        url.toString(),
        auth,
        JSON,
        null,
        body);
  }

  /** {@code suffix} under the base URL's path (a broker may live below a path prefix). */
  static String path(URI base, String suffix) {
    String p = base.getRawPath() == null ? "" : base.getRawPath();
    while (p.endsWith("/")) {
      p = p.substring(0, p.length() - 1);
    }
    return p + suffix;
  }

  private Response send(Request r) throws InterruptedException {
    try {
      return net.send(r);
    } catch (IOException e) {
      throw new WalletException(
          WalletException.Code.UNREACHABLE,
          "could not reach the broker at " + Request.origin(r.uri()) + ": " + why(e),
          e);
    }
  }

  /** What went wrong, and what to do, in words ({@code ConnectException} has no message). */
  static String why(IOException e) {
    if (e instanceof java.net.ConnectException) {
      return "nothing answers there (connection refused). Is the broker running? Start one with"
          + " `millicent broker serve`, or check the URL";
    }
    if (e instanceof java.net.http.HttpTimeoutException) {
      return "it did not answer in time; try again, or check that the URL is a broker's";
    }
    if (e instanceof java.net.UnknownHostException
        || e.getCause() instanceof java.nio.channels.UnresolvedAddressException) {
      return "the host name does not resolve; check the URL";
    }
    return Causes.describe(e);
  }

  private JsonNode okJson(Response r) {
    if (r.status() / 100 != 2) {
      Problem p = Problem.of(r);
      throw new WalletException(
          WalletException.Code.BROKER_REFUSED,
          p.code(),
          "the broker at "
              + Request.origin(r.request().uri())
              + " refused "
              + r.request()
              + ": "
              + p.code()
              + ": "
              + p.detail(),
          null);
    }
    try {
      JsonNode n = json.readTree(r.body());
      if (n == null || !n.isObject()) {
        throw bad(r, "expected a JSON object", null);
      }
      return n;
    } catch (IOException e) {
      throw bad(r, "expected JSON: " + e.getMessage(), e);
    }
  }

  private byte[] bytes(JsonNode n) {
    try {
      return json.writeValueAsBytes(n);
    } catch (IOException e) {
      throw new IllegalStateException("JSON of a tree cannot fail", e);
    }
  }

  private static WalletException bad(Response r, String what, @Nullable Throwable cause) {
    return new WalletException(
        WalletException.Code.BAD_RESPONSE,
        "the answer to " + r.request() + " is not as docs/HTTP-API.md says: " + what,
        cause);
  }
}
