package org.millicent.vendor.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
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

/**
 * A plain HTTP client for one vendor under test — a {@code VendorServer}, or an application that
 * sells through the vendor's servlet filter — and what a customer does there: signs payments bound
 * to the vendor's origin, sends them, and reads the answers (receipt, problem code, text). The one
 * such client of the vendor's, the servlet filter's and the starter's tests; shipped in
 * millicent-vendor's test-jar. Thread-safe (the JDK's {@link HttpClient} is).
 */
public final class TestHttp {
  /** The random source the tests' nonces and sealed bodies use. */
  public static final SecureRandom RANDOM = new SecureRandom();

  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpClient http = HttpClient.newHttpClient();
  private final URI base;

  /** A client of the vendor whose origin is {@code base} (no path). */
  public TestHttp(URI base) {
    this.base = base;
  }

  /** The vendor's origin. */
  public URI base() {
    return base;
  }

  /** {@code GET target} with {@code headers} (name, value, ...). */
  public HttpResponse<byte[]> get(String target, String... headers) {
    return send("GET", target, new byte[0], headers);
  }

  /** Sends {@code method target} with {@code body} and {@code headers} (name, value, ...). */
  public HttpResponse<byte[]> send(String method, String target, byte[] body, String... headers) {
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
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Sends the request {@code payment} covers, without a body, with it. */
  public HttpResponse<byte[]> pay(Payment payment) {
    return pay(payment, new byte[0]);
  }

  /** Sends a request paid with {@code payment} (built for exactly this method, target, body). */
  public HttpResponse<byte[]> pay(Payment payment, byte[] body) {
    RequestDescriptor r = payment.request();
    return send(r.method(), r.target(), body, "Authorization", PaymentHeader.format(payment));
  }

  /** The origin this client addresses, as a payment must be bound to it. */
  public Authority authority() {
    return Authority.of(base);
  }

  /** What a payment for this request to this client's vendor is bound to. */
  public RequestDescriptor descriptor(String method, String target, byte[] body) {
    return RequestDescriptor.of(authority(), method, target, body);
  }

  /** A signed payment with {@code scrip} for {@code method target} without a body. */
  public Payment.Signed signed(Scrip scrip, CustomerSecret secret, String method, String target) {
    return signed(scrip, secret, method, target, new byte[0]);
  }

  /** A signed payment for a request to this client's vendor. */
  public Payment.Signed signed(
      Scrip scrip, CustomerSecret secret, String method, String target, byte[] body) {
    return Payer.signed(scrip, secret, Nonce.random(RANDOM), descriptor(method, target, body));
  }

  /** A signed payment with {@code o}'s scrip for {@code method target} without a body. */
  public Payment.Signed signed(OwnCustomer.Funded o, String method, String target) {
    return signed(o.scrip(), o.secret(), method, target);
  }

  /** A signed payment with {@code o}'s scrip for {@code method target} with {@code body}. */
  public Payment.Signed signed(OwnCustomer.Funded o, String method, String target, byte[] body) {
    return signed(o.scrip(), o.secret(), method, target, body);
  }

  /** The answer's receipt, parsed (fails if there is none). */
  public static Map<String, String> receipt(HttpResponse<?> r) {
    return AuthParams.parse(r.headers().firstValue(Headers.RECEIPT).orElseThrow());
  }

  /** The problem document's {@code code} (empty if the body has none). */
  public static String code(HttpResponse<byte[]> r) {
    try {
      return JSON.readTree(r.body()).path("code").asText();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Base64url without padding, decoded. */
  public static byte[] b64(String s) {
    return Base64.getUrlDecoder().decode(s);
  }

  /** The body as UTF-8 text. */
  public static String text(HttpResponse<byte[]> r) {
    return new String(r.body(), StandardCharsets.UTF_8);
  }
}
