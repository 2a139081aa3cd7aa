package org.millicent.wallet.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.net.URI;
import java.security.SecureRandom;
import java.time.InstantSource;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.millicent.failure.PaymentException;
import org.millicent.keys.CustomerSecret;
import org.millicent.keys.CustomerSecrets;
import org.millicent.protocol.AuthParams;
import org.millicent.protocol.Macs;
import org.millicent.protocol.Nonce;
import org.millicent.protocol.Payer;
import org.millicent.protocol.RequestDescriptor;
import org.millicent.scrip.Scrip;

/**
 * A broker for the wallet's tests: opens accounts and sells one vendor's scrip, minted under the
 * licence that vendor issued it ({@link #takeLicence}), as a licensed broker does, charged to the
 * account. Account requests are checked as docs/HTTP-API.md says (request MAC with an empty scrip
 * field) and are idempotent by (customer, nonce): a re-sent request gets the first answer and is
 * charged once. Thread-safe.
 */
public final class TestBroker extends TestServer {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final String broker;
  private final InstantSource clock;
  private final SecureRandom random = new SecureRandom();
  private final CustomerSecrets accounts;
  private final AtomicLong nextCustomer = new AtomicLong(1);
  private final Map<Long, AtomicLong> charges = new ConcurrentHashMap<>();
  private final Map<String, Answer> answered = new ConcurrentHashMap<>();
  private volatile java.util.List<URI> publicUrls = java.util.List.of();
  private volatile RealVendor.@Nullable Licence licence;
  private final java.util.concurrent.atomic.AtomicReference<Hold> hold =
      new java.util.concurrent.atomic.AtomicReference<>();

  /** A manifest request to hold: announced to {@code reached}, answered once {@code release}. */
  private record Hold(
      java.util.concurrent.CountDownLatch reached,
      java.util.concurrent.CountDownLatch release,
      java.util.concurrent.atomic.AtomicBoolean sold) {}

  /** A broker named {@code broker}, selling nothing until {@link #takeLicence}. */
  public TestBroker(String broker, InstantSource clock) throws IOException {
    this.broker = broker;
    this.clock = clock;
    this.accounts = CustomerSecrets.generate(1, random);
  }

  /** The broker's id. */
  public String id() {
    return broker;
  }

  /**
   * Sells the scrip of the vendor that issued {@code licence} from now on (instead of any other).
   */
  public void takeLicence(RealVendor.Licence licence) {
    this.licence = licence;
  }

  private RealVendor.Licence licence() {
    RealVendor.Licence l = licence;
    if (l == null) {
      throw new IllegalStateException("broker " + broker + " holds no licence");
    }
    return l;
  }

  /**
   * Publishes {@code urls} as the vendor's {@code public_urls} in the manifest (none: only {@code
   * url}, the vendor's own).
   */
  public void setPublicUrls(URI... urls) {
    publicUrls = java.util.List.of(urls);
  }

  /**
   * Holds the first manifest request that comes after the next sale (a wallet reads the manifest
   * again right after it has bought, once the piece is in the wallet): counts {@code reached} down
   * and answers only once {@code release} is.
   */
  public void holdManifestAfterNextSale(
      java.util.concurrent.CountDownLatch reached, java.util.concurrent.CountDownLatch release) {
    hold.set(new Hold(reached, release, new java.util.concurrent.atomic.AtomicBoolean()));
  }

  /** What the broker charged customer {@code id} in total. */
  public long charged(long customerId) {
    AtomicLong a = charges.get(customerId);
    return a == null ? 0 : a.get();
  }

  @Override
  Answer handle(HttpExchange ex, byte[] body) throws IOException {
    String path = ex.getRequestURI().getPath();
    String method = ex.getRequestMethod();
    if (path.equals("/.well-known/millicent")) {
      Hold h = hold.get();
      if (h != null && h.sold().get() && hold.compareAndSet(h, null)) {
        h.reached().countDown();
        try {
          h.release().await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("interrupted while holding a manifest request", e);
        }
      }
      RealVendor.Licence vendor = licence();
      return json(
          200,
          "{\"broker\":\""
              + broker
              + "\",\"vendors\":[{\"vendor\":\""
              + vendor.vendor()
              + "\",\"url\":\""
              + vendor.vendorUrl()
              + "\","
              + (publicUrls.isEmpty()
                  ? ""
                  : "\"public_urls\":["
                      + String.join(",", publicUrls.stream().map(u -> "\"" + u + "\"").toList())
                      + "],")
              + "\"supply\":\"licensed\"}]}");
    }
    if (path.equals("/broker/accounts") && method.equals("POST")) {
      long id = (1L << 56) | nextCustomer.getAndIncrement();
      CustomerSecret s = accounts.derive(broker, id);
      return json(
          201,
          "{\"customer_id\":\""
              + Long.toUnsignedString(id)
              + "\",\"customer_secret\":\""
              + b64(s.toByteArray())
              + "\",\"broker\":\""
              + broker
              + "\",\"credit_limit_millicents\":1000000}");
    }
    if (path.equals("/broker/vendor-scrip") && method.equals("POST")) {
      Map<String, String> p;
      long customer;
      Nonce nonce;
      try {
        p = AuthParams.parse(ex.getRequestHeaders().getFirst("Authorization"));
        customer = Long.parseUnsignedLong(AuthParams.require(p, "customer"));
        nonce = Nonce.parse(AuthParams.require(p, "nonce"));
        Macs.verify(
            accounts.derive(broker, customer),
            Macs.requestInput(
                new byte[0], nonce, RequestDescriptor.of(addressed(ex), method, path, body)),
            Base64.getUrlDecoder().decode(AuthParams.require(p, "mac")),
            "request");
      } catch (PaymentException | IllegalArgumentException | NullPointerException e) {
        return problem(401, "unauthorized", "account request does not verify: " + e.getMessage());
      }
      String key = customer + "/" + nonce;
      long c = customer;
      return answered.computeIfAbsent(key, k -> sell(c, body));
    }
    return problem(404, "not-found", "no endpoint " + method + " " + path);
  }

  private Answer sell(long customer, byte[] body) {
    try {
      RealVendor.Licence vendor = licence();
      JsonNode n = JSON.readTree(body);
      if (!n.path("vendor").asText().equals(vendor.vendor())) {
        return problem(404, "unknown-vendor", "this broker does not sell " + n.path("vendor"));
      }
      long amount = n.path("amount_millicents").asLong();
      // The customer's ID at the vendor: under the licence's selector, per broker customer.
      long atVendor = vendor.customerAtVendor(customer);
      Scrip s = vendor.mint(amount, atVendor, clock.instant());
      byte[] sealed =
          Payer.sealSecret(
              accounts.derive(broker, customer),
              vendor.vendor(),
              atVendor,
              vendor.customerSecret(atVendor),
              random);
      charges.computeIfAbsent(customer, k -> new AtomicLong()).addAndGet(amount);
      Hold h = hold.get();
      if (h != null) {
        h.sold().set(true);
      }
      return json(
          200,
          "{\"vendor\":\""
              + vendor.vendor()
              + "\",\"scrip\":\""
              + s.token()
              + "\",\"customer_id\":\""
              + Long.toUnsignedString(atVendor)
              + "\",\"sealed_customer_secret\":\""
              + b64(sealed)
              + "\",\"supply\":\"licensed\"}");
    } catch (IOException e) {
      return problem(400, "bad-request", e.getMessage());
    }
  }

  private static String b64(byte[] b) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }
}
