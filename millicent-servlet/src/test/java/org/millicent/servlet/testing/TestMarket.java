package org.millicent.servlet.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import org.millicent.broker.BrokerConfig;
import org.millicent.broker.BrokerServer;
import org.millicent.broker.VendorConfig;
import org.millicent.bytes.Base64Url;
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
import org.millicent.vendor.MillicentGateway;
import org.millicent.vendor.OwnCustomers;
import org.millicent.vendor.VerifiedPayment;

/**
 * The market the servlet filter's ITs and the Spring Boot starter's IT sell in: a broker that
 * licenses the vendor through its endpoints, scrip of the vendor's own customers, payments signed
 * for the vendor at {@link #base()} and sent over HTTP, and what the answers say (problem code,
 * text, receipt). Shipped in millicent-servlet's test-jar.
 */
public final class TestMarket {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final SecureRandom RANDOM = new SecureRandom();

  private final URI base;
  private final HttpClient http = HttpClient.newHttpClient();

  /** Pays and sends to the vendor at {@code base}. */
  public TestMarket(URI base) {
    this.base = base;
  }

  /** The vendor's origin. */
  public URI base() {
    return base;
  }

  /**
   * Starts broker {@code brokerId} on loopback at {@code brokerUrl}'s port, licensing vendor {@code
   * vendor} at {@link #base()} with {@code token} (the vendor's configured broker token) through
   * the vendor's admin token {@code admin}, at a 500 bps discount.
   */
  public BrokerServer startBroker(
      String brokerId, URI brokerUrl, String vendor, String token, String admin, Path dir) {
    return BrokerServer.start(
        BrokerConfig.defaults()
            .withBrokerId(brokerId)
            .withListen("127.0.0.1", brokerUrl.getPort())
            .withVendor(VendorConfig.licensed(vendor, base, token, admin, 500)),
        dir);
  }

  /** A customer of the vendor's own, with scrip of some value. */
  public record Own(OwnCustomers customers, long id, CustomerSecret secret, Scrip scrip) {}

  /** A new own customer of {@code vendor} with scrip of {@code value}, valid for an hour. */
  public static Own own(MillicentGateway vendor, long value) {
    OwnCustomers own = OwnCustomers.of(vendor);
    long id = own.newCustomerId();
    Scrip scrip =
        own.mint(
            value, id, Instant.now().plus(Duration.ofHours(1)).truncatedTo(ChronoUnit.SECONDS));
    return new Own(own, id, own.customerSecret(id), scrip);
  }

  /** {@code method target} (no body) at the vendor. */
  public RequestDescriptor at(String method, String target) {
    return at(method, target, new byte[0]);
  }

  /** {@code method target} with {@code body} at the vendor. */
  public RequestDescriptor at(String method, String target, byte[] body) {
    return RequestDescriptor.of(Authority.of(base), method, target, body);
  }

  /** A payment with {@code o}'s scrip for {@code method target} without a body. */
  public Payment signed(Own o, String method, String target) {
    return signed(o.scrip(), o.secret(), method, target, new byte[0]);
  }

  /** A payment with {@code o}'s scrip for {@code method target} with {@code body}. */
  public Payment signed(Own o, String method, String target, byte[] body) {
    return signed(o.scrip(), o.secret(), method, target, body);
  }

  /** A payment with {@code scrip}, signed with {@code secret}, for {@code method target}. */
  public Payment signed(Scrip scrip, CustomerSecret secret, String method, String target) {
    return signed(scrip, secret, method, target, new byte[0]);
  }

  /** A payment with {@code scrip}, signed with {@code secret}, for a request with {@code body}. */
  public Payment signed(
      Scrip scrip, CustomerSecret secret, String method, String target, byte[] body) {
    return Payer.signed(scrip, secret, nonce(), at(method, target, body));
  }

  /** A fresh random nonce. */
  public static Nonce nonce() {
    return Nonce.random(RANDOM);
  }

  /** The random source the payments use (for sealed payments). */
  public static SecureRandom random() {
    return RANDOM;
  }

  /** Sends the request {@code payment} covers, without a body, with it. */
  public HttpResponse<byte[]> pay(Payment payment) {
    return pay(payment, new byte[0]);
  }

  /** Sends the request {@code payment} covers, with {@code body}, with it. */
  public HttpResponse<byte[]> pay(Payment payment, byte[] body) {
    RequestDescriptor r = payment.request();
    return send(r.method(), r.target(), body, "Authorization", PaymentHeader.format(payment));
  }

  /** Sends {@code method target} with {@code body} and {@code headers} (name, value, ...). */
  public HttpResponse<byte[]> send(String method, String target, byte[] body, String... headers) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(base.resolve(target))
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

  /** The body as UTF-8 text. */
  public static String text(HttpResponse<byte[]> r) {
    return new String(r.body(), StandardCharsets.UTF_8);
  }

  /**
   * What the test shop answers for {@code what} bought with {@code paid}: "{@code what} paid
   * <i>price</i> by <i>customer</i> replay=<i>replay</i>" (the ITs read it back).
   */
  public static String paidText(String what, VerifiedPayment paid) {
    return what
        + " paid "
        + paid.priceMillicents()
        + " by "
        + Long.toUnsignedString(paid.customerId())
        + " replay="
        + paid.replay();
  }

  /** A loopback port free now. */
  public static int freePort() {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A random 24-byte token, base64url. */
  public static String token() {
    byte[] b = new byte[24];
    RANDOM.nextBytes(b);
    return Base64Url.encode(b);
  }
}
