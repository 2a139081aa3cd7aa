package org.millicent.cli;

import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.UnaryOperator;
import org.millicent.broker.BrokerConfig;
import org.millicent.broker.BrokerServer;
import org.millicent.vendor.VendorServer;
import org.millicent.vendor.config.Content;
import org.millicent.vendor.config.VendorConfig;
import org.millicent.vendor.config.VendorConfigBuilder;

/**
 * Vendor venetia, a reverse proxy in front of a loopback origin, and broker bob, licensed to sell
 * venetia's scrip and settling with {@link #SETTLEMENT_TOKEN}, started on loopback for a test in
 * that order: {@link #origin}, {@link #venetia}, then {@link #broker}. Bob's port is chosen first,
 * so that venetia's configuration names it. {@link #close} stops what was started, and what was
 * handed to {@link #closing}, last first. Not thread-safe.
 */
final class LicensedMarket implements AutoCloseable {
  /** What bob presents at venetia. */
  static final String BROKER_TOKEN = "bob-token-at-venetia-0123456789";

  /** What venetia presents at bob to settle. */
  static final String SETTLEMENT_TOKEN = "venetia-settles-with-bob-0123456789";

  private final Path dir;
  private final URI brokerUrl;
  private final Deque<AutoCloseable> started = new ArrayDeque<>();
  private HttpServer origin;
  private VendorServer venetia;

  /** A market whose servers keep their data under {@code dir}; nothing is started yet. */
  LicensedMarket(Path dir) throws IOException {
    this.dir = dir;
    this.brokerUrl = URI.create("http://127.0.0.1:" + Loopback.freePort());
  }

  /** Where bob will listen. */
  URI brokerUrl() {
    return brokerUrl;
  }

  /** Stops {@code server} when the market closes (before what was started earlier). */
  <T extends AutoCloseable> T closing(T server) {
    started.push(server);
    return server;
  }

  /** Starts the origin behind venetia, answering every request with {@code handler}. */
  HttpServer origin(HttpHandler handler) throws IOException {
    HttpServer o = Loopback.serve(handler);
    closing(() -> o.stop(0));
    origin = o;
    return o;
  }

  /**
   * Starts venetia in front of the origin (5 s origin timeout), selling through bob; {@code
   * pricing} adds what it sells and for how much.
   */
  VendorServer venetia(UnaryOperator<VendorConfigBuilder> pricing) {
    VendorConfigBuilder b =
        VendorConfig.builder("venetia")
            .port(0)
            .content(
                new Content.Origin(
                    URI.create("http://127.0.0.1:" + origin.getAddress().getPort()),
                    Duration.ofSeconds(5)))
            .broker(
                new org.millicent.vendor.config.BrokerConfig(
                    "bob", brokerUrl, BROKER_TOKEN, 5, 500));
    venetia = closing(VendorServer.start(pricing.apply(b).build(), dir.resolve("venetia")));
    return venetia;
  }

  /**
   * Starts bob at {@link #brokerUrl}, licensed by venetia at a 5 % discount, without background
   * settlement; {@code more} adds to its configuration.
   */
  BrokerServer broker(UnaryOperator<BrokerConfig> more) {
    BrokerConfig c =
        BrokerConfig.defaults()
            .withBrokerId("bob")
            .withListen("127.0.0.1", brokerUrl.getPort())
            .withSettlementInterval(Duration.ZERO)
            .withVendor(
                org.millicent.broker.VendorConfig.licensed(
                        "venetia", venetia.url(), BROKER_TOKEN, venetia.adminToken(), 500)
                    .withSettlementToken(SETTLEMENT_TOKEN));
    return closing(BrokerServer.start(more.apply(c), dir.resolve("broker")));
  }

  @Override
  public void close() {
    RuntimeException first = null;
    while (!started.isEmpty()) {
      try {
        started.pop().close();
      } catch (Exception e) {
        RuntimeException r =
            e instanceof RuntimeException re ? re : new IllegalStateException("close failed", e);
        if (first == null) {
          first = r;
        } else {
          first.addSuppressed(r);
        }
      }
    }
    if (first != null) {
      throw first;
    }
  }
}
