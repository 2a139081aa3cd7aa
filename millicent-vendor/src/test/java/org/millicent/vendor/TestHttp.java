package org.millicent.vendor;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import org.millicent.keys.CustomerSecret;
import org.millicent.protocol.AuthParams;
import org.millicent.protocol.Authority;
import org.millicent.protocol.Headers;
import org.millicent.protocol.Nonce;
import org.millicent.protocol.Payer;
import org.millicent.protocol.Payment;
import org.millicent.protocol.PaymentHeader;
import org.millicent.protocol.RequestDescriptor;
import org.millicent.scrip.Scrip;

/** A plain HTTP client for the vendor ITs, and helpers to pay as a customer would. */
final class TestHttp {
  static final SecureRandom RANDOM = new SecureRandom();

  private final HttpClient http = HttpClient.newHttpClient();
  private final URI base;

  TestHttp(URI base) {
    this.base = base;
  }

  HttpResponse<byte[]> get(String target, String... headers) {
    return send("GET", target, new byte[0], headers);
  }

  HttpResponse<byte[]> send(String method, String target, byte[] body, String... headers) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(base + target))
            .method(
                method,
                body.length == 0
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofByteArray(body));
    if (headers.length > 0) {
      b.headers(headers);
    }
    try {
      return http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Sends a request paid with {@code payment} (built for exactly this method, target, body). */
  HttpResponse<byte[]> pay(Payment payment, byte[] body) {
    RequestDescriptor r = payment.request();
    return send(r.method(), r.target(), body, "Authorization", PaymentHeader.format(payment));
  }

  /** The origin this client addresses, as a payment must be bound to it. */
  Authority authority() {
    return Authority.of(base);
  }

  /** What a payment for this request to this client's vendor is bound to. */
  RequestDescriptor descriptor(String method, String target, byte[] body) {
    return RequestDescriptor.of(authority(), method, target, body);
  }

  /** A signed payment for a request to this client's vendor. */
  Payment.Signed signed(
      Scrip scrip, CustomerSecret secret, String method, String target, byte[] body) {
    return Payer.signed(scrip, secret, Nonce.random(RANDOM), descriptor(method, target, body));
  }

  static Map<String, String> receipt(HttpResponse<?> r) {
    return AuthParams.parse(r.headers().firstValue(Headers.RECEIPT).orElseThrow());
  }

  static byte[] b64(String s) {
    return Base64.getUrlDecoder().decode(s);
  }

  static String text(HttpResponse<byte[]> r) {
    return new String(r.body(), StandardCharsets.UTF_8);
  }
}
