package org.millicent.wallet.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.millicent.bytes.Base64Url;
import org.millicent.protocol.Variant;
import org.millicent.vendor.VendorServer;
import org.millicent.vendor.config.BrokerConfig;
import org.millicent.vendor.config.VendorConfig;
import org.millicent.vendor.config.VendorConfigBuilder;

/**
 * The vendor the wallet's tests buy from: the vendor gateway that ships ({@link VendorServer}, its
 * SQLite database in a folder of the test's), on the test's clock, reverse-proxying a {@link
 * PageOrigin} and selling every path at one price but {@code /free/**}, which is free. Customers
 * reach it through a {@link LossyLink}, whose origin is the vendor's public URL (payments are bound
 * to it), so a test can lose its answers. What it sold is read from its own {@code /metrics}; a
 * {@link RealBroker} sells its scrip under a licence it obtains from the vendor's admin endpoint.
 * Thread-safe.
 */
public final class RealVendor implements AutoCloseable {
  private static final SecureRandom RANDOM = new SecureRandom();

  private final PageOrigin origin;
  private final LossyLink link;
  private final VendorServer server;
  private final HttpClient http = HttpClient.newHttpClient();
  private final AtomicBoolean originStopped = new AtomicBoolean();

  private final Map<String, String> brokerTokens;

  private RealVendor(
      PageOrigin origin, LossyLink link, VendorServer server, Map<String, String> brokerTokens) {
    this.origin = origin;
    this.link = link;
    this.server = server;
    this.brokerTokens = Map.copyOf(brokerTokens);
  }

  /**
   * Starts vendor {@code vendor} selling every page at {@code price} in both variants, naming
   * {@code seller} in its offers, and licenses {@code seller} to sell its scrip.
   */
  public static RealVendor start(
      String vendor, long price, Path dir, InstantSource clock, RealBroker seller)
      throws IOException {
    return start(vendor, price, dir, clock, Set.of(Variant.SIGNED, Variant.PRIVATE), seller);
  }

  /**
   * As {@link #start(String, long, Path, InstantSource, RealBroker)}, taking only {@code variants}.
   */
  public static RealVendor start(
      String vendor,
      long price,
      Path dir,
      InstantSource clock,
      Set<Variant> variants,
      RealBroker seller)
      throws IOException {
    RealVendor v = start(vendor, price, dir, clock, variants, Map.of(seller.id(), seller.url()));
    try {
      seller.sell(v);
    } catch (RuntimeException e) {
      v.close();
      throw e;
    }
    return v;
  }

  /**
   * Starts vendor {@code vendor} selling every page at {@code price}, taking {@code variants}, with
   * its data in {@code dir}, on {@code clock}, configured with the brokers of {@code brokers} (id
   * to the URL its offers name for that broker: the broker's own, or another one, as the operator
   * wrote it); none is licensed yet (a {@link RealBroker} obtains its licence when it {@linkplain
   * RealBroker#sell sells} the vendor's scrip).
   */
  public static RealVendor start(
      String vendor,
      long price,
      Path dir,
      InstantSource clock,
      Set<Variant> variants,
      Map<String, URI> brokers)
      throws IOException {
    PageOrigin origin = new PageOrigin();
    LossyLink link;
    try {
      link = new LossyLink();
    } catch (IOException e) {
      origin.close();
      throw e;
    }
    try {
      VendorConfigBuilder config =
          VendorConfig.builder(vendor)
              .host("127.0.0.1")
              .port(0)
              .publicUrl(link.url().toString())
              .adminToken(token())
              .scripLifetime(Duration.ofDays(1))
              .variants(variants)
              .free("/free/**")
              .price("*", "/**", price)
              .origin(origin.url());
      long customerId = 1;
      Map<String, String> tokens = new java.util.HashMap<>();
      for (Map.Entry<String, URI> b : brokers.entrySet()) {
        String t = token();
        tokens.put(b.getKey(), t);
        config.broker(new BrokerConfig(b.getKey(), b.getValue(), t, customerId++, 0));
      }
      VendorServer server = VendorServer.start(config.build(), dir, clock);
      link.connect(server.url());
      return new RealVendor(origin, link, server, tokens);
    } catch (RuntimeException e) {
      link.close();
      origin.close();
      throw e;
    }
  }

  /** The vendor id. */
  public String vendor() {
    return server.vendor();
  }

  /** Where customers reach the vendor: its public URL, through the link. */
  public URI url() {
    return link.url();
  }

  /** Loses the answers to the next {@code n} paid requests, after the vendor has answered them. */
  public void loseNextAnswers(int n) {
    link.loseNextAnswers(n);
  }

  /** Stops the origin: the vendor can no longer reach it. Idempotent. */
  public void stopOrigin() {
    if (originStopped.compareAndSet(false, true)) {
      origin.close();
    }
  }

  /** How many requests reached the origin. */
  public int originRequests() {
    return origin.requestCount();
  }

  /** The prices charged so far, as the vendor's metrics count them (retries answered again not). */
  public long revenue() {
    return metric("millicent_vendor_revenue_millicents_total");
  }

  /** The payments accepted so far, as the vendor's metrics count them. */
  public long sales() {
    return metric("millicent_vendor_payments_total");
  }

  /** The sum of every series of the counter {@code name} on the vendor's {@code /metrics}. */
  private long metric(String name) {
    HttpResponse<String> r =
        send(HttpRequest.newBuilder(server.url().resolve("/metrics")).GET().build());
    if (r.statusCode() != 200) {
      throw new AssertionError("GET /metrics answered " + r.statusCode() + ": " + r.body());
    }
    double sum = 0;
    boolean found = false;
    for (String line : r.body().lines().toList()) {
      if (line.startsWith(name + "{") || line.startsWith(name + " ")) {
        sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
        found = true;
      }
    }
    if (!found || sum != Math.rint(sum)) {
      throw new AssertionError("no whole count " + name + " in the vendor's metrics: " + r.body());
    }
    return (long) sum;
  }

  /** Where the vendor itself listens, for its operator and licensed brokers: its admin URL. */
  public URI adminUrl() {
    return server.url();
  }

  /** The vendor's admin token, with which a licensed broker obtains its licence. */
  public String adminToken() {
    return server.adminToken();
  }

  /** The token the vendor is configured with for broker {@code brokerId}. */
  public String brokerToken(String brokerId) {
    String t = brokerTokens.get(brokerId);
    if (t == null) {
      throw new IllegalArgumentException("vendor " + vendor() + " knows no broker " + brokerId);
    }
    return t;
  }

  private HttpResponse<String> send(HttpRequest request) {
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while asking the vendor", e);
    }
  }

  /** Stops the vendor, then the link and the origin. */
  @Override
  public void close() {
    try {
      server.close();
    } finally {
      http.close();
      link.close();
      stopOrigin();
    }
  }

  private static String token() {
    byte[] b = new byte[24];
    RANDOM.nextBytes(b);
    return Base64Url.encode(b);
  }
}
