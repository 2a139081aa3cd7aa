package org.millicent.broker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import org.millicent.keys.CustomerSecret;
import org.millicent.protocol.AccountRequest;
import org.millicent.protocol.Authority;
import org.millicent.protocol.Nonce;
import org.millicent.protocol.Payer;
import org.millicent.protocol.PaymentHeader;
import org.millicent.protocol.RequestDescriptor;
import org.millicent.scrip.Scrip;
import org.millicent.scrip.ScripCodec;

/**
 * A small HTTP client for broker tests: JSON requests, account requests, bearer tokens, and the
 * customer's steps every test repeats (register, buy broker or vendor scrip, pay with it).
 */
final class HttpClientSupport {
  static final ObjectMapper JSON = new ObjectMapper();
  private static final SecureRandom RANDOM = new SecureRandom();

  private final HttpClient http = HttpClient.newHttpClient();
  private final URI base;

  HttpClientSupport(URI base) {
    this.base = base;
  }

  record Reply(int status, JsonNode json, HttpResponse<byte[]> raw) {
    String code() {
      return json != null && json.has("code") ? json.get("code").asText() : null;
    }
  }

  /** The account request header for (method, target, body), signed as the wallet signs it. */
  String accountHeader(
      long customerId, CustomerSecret secret, String method, String target, byte[] body, Nonce n) {
    return AccountRequest.sign(customerId, secret, n, descriptor(method, target, body));
  }

  /** What a payment for this request to this client's server is bound to. */
  RequestDescriptor descriptor(String method, String target, byte[] body) {
    return RequestDescriptor.of(Authority.of(base), method, target, body);
  }

  Reply send(String method, String target, String body, String authorization) {
    byte[] b = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
    HttpRequest.Builder r =
        HttpRequest.newBuilder(base.resolve(target))
            .method(
                method,
                b.length == 0
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofByteArray(b));
    if (b.length > 0) {
      r.header("Content-Type", "application/json");
    }
    if (authorization != null) {
      r.header("Authorization", authorization);
    }
    try {
      HttpResponse<byte[]> resp = http.send(r.build(), HttpResponse.BodyHandlers.ofByteArray());
      JsonNode json = null;
      String ct = resp.headers().firstValue("Content-Type").orElse("");
      if (ct.contains("json") && resp.body().length > 0) {
        json = JSON.readTree(resp.body());
      }
      return new Reply(resp.statusCode(), json, resp);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** A registered account: its customer ID and broker secret. */
  record Registered(long id, CustomerSecret secret) {}

  /** Registers an account named {@code name} (from loopback, so the channel check passes). */
  Registered register(String name) {
    Reply r = send("POST", "/broker/accounts", "{\"name\":\"" + name + "\"}", null);
    if (r.status() != 200) {
      throw new IllegalStateException("registration failed: " + r.status() + " " + r.json());
    }
    return new Registered(
        Long.parseUnsignedLong(r.json().get("customer_id").asText()),
        CustomerSecret.of(Base64.getUrlDecoder().decode(r.json().get("customer_secret").asText())));
  }

  /** Vendor scrip sold to a customer and her secret at that vendor, opened from the sealed one. */
  record VendorScrip(Scrip scrip, CustomerSecret vendorSecret) {}

  /** Buys {@code amount} of {@code vendor}'s scrip on account; fails unless the broker sells it. */
  VendorScrip buyVendorScrip(Registered buyer, String vendor, long amount) {
    Reply r =
        account(
            "POST",
            "/broker/vendor-scrip",
            "{\"vendor\":\"" + vendor + "\",\"amount_millicents\":" + amount + "}",
            buyer.id(),
            buyer.secret());
    if (r.status() != 200) {
      throw new IllegalStateException("purchase failed: " + r.status() + " " + r.json());
    }
    return opened(buyer.secret(), vendor, r);
  }

  /** The scrip of a sale of {@code vendor}'s scrip, its sealed secret opened with the buyer's. */
  static VendorScrip opened(CustomerSecret buyer, String vendor, Reply sale) {
    Scrip s = ScripCodec.fromToken(sale.json().get("scrip").asText());
    return new VendorScrip(
        s,
        Payer.openSecret(
            buyer,
            vendor,
            s.customerId(),
            Base64.getUrlDecoder().decode(sale.json().get("sealed_customer_secret").asText())));
  }

  /** {@code GET target} at a vendor, paid with the scrip in the signed variant. */
  static Reply pay(URI vendor, String target, VendorScrip with) {
    HttpClientSupport v = new HttpClientSupport(vendor);
    return v.send(
        "GET", target, null, v.payment(with.scrip(), with.vendorSecret(), "GET", target, null));
  }

  /** Buys {@code amount} of this broker's own scrip on account; fails unless it is sold. */
  Scrip buyBrokerScrip(Registered buyer, long amount) {
    Reply r =
        account(
            "POST",
            "/broker/scrip",
            "{\"amount_millicents\":" + amount + "}",
            buyer.id(),
            buyer.secret());
    if (r.status() != 200) {
      throw new IllegalStateException("purchase failed: " + r.status() + " " + r.json());
    }
    return ScripCodec.fromToken(r.json().get("scrip").asText());
  }

  /**
   * The {@code Authorization} value paying for {@code method target} with {@code body} at this
   * client's server with {@code scrip} in the signed variant, under a fresh nonce.
   */
  String payment(Scrip scrip, CustomerSecret secret, String method, String target, String body) {
    byte[] b = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
    return PaymentHeader.format(
        Payer.signed(scrip, secret, Nonce.random(RANDOM), descriptor(method, target, b)));
  }

  Reply account(String method, String target, String body, long customer, CustomerSecret secret) {
    return account(method, target, body, customer, secret, Nonce.random(RANDOM));
  }

  Reply account(
      String method, String target, String body, long customer, CustomerSecret secret, Nonce n) {
    byte[] b = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
    return send(method, target, body, accountHeader(customer, secret, method, target, b, n));
  }
}
