package org.millicent.wallet.proxy;

import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import org.millicent.broker.BrokerServer;
import org.millicent.broker.testing.BrokerLicence;
import org.millicent.testing.TestKeystores;
import org.millicent.vendor.VendorServer;
import org.millicent.vendor.config.TlsConfig;
import org.millicent.vendor.config.VendorConfig;
import org.millicent.vendor.config.VendorConfigBuilder;

/**
 * A market on loopback for the proxy's ITs: Venetia, a real vendor serving HTTPS from a self-signed
 * keystore ({@link TestKeystores}), in front of a plain origin this class runs ({@code /pages/*},
 * {@code /slow/*} held until {@link #releaseSlow}, {@code /private/*} marked {@code Cache-Control:
 * private, max-age=60}); Bob, a real broker licensed to mint her scrip. The JVM's default TLS
 * context trusts Venetia's certificate (so the wallet's client, the broker and the vendor reach
 * each other as they would with a public CA). Not thread-safe; one per test.
 */
final class TlsMarket implements AutoCloseable {
  static final long PRICE = 100;

  final Path dir;
  final Path vendorKeystore;
  final Path vendorPem;
  final VendorServer venetia;
  final BrokerServer bob;
  final HttpServer origin;
  final List<String> originRequests = new CopyOnWriteArrayList<>();
  final CountDownLatch slowArrived = new CountDownLatch(1);
  private final CountDownLatch slowRelease = new CountDownLatch(1);
  private final ExecutorService originThreads = Executors.newVirtualThreadPerTaskExecutor();

  TlsMarket(Path dir) throws Exception {
    this(dir, true);
  }

  /** {@code tls}: Venetia serves HTTPS; else plain HTTP. */
  TlsMarket(Path dir, boolean tls) throws Exception {
    this.dir = dir;
    vendorKeystore = TestKeystores.selfSigned(dir.resolve("venetia.p12"), "venetia");
    vendorPem = TestKeystores.exportPem(vendorKeystore, "venetia", dir.resolve("venetia.pem"));
    SSLContext.setDefault(TestKeystores.trusting(vendorKeystore));

    origin = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    origin.setExecutor(originThreads);
    origin.createContext(
        "/",
        ex -> {
          try (ex) {
            String path = ex.getRequestURI().getPath();
            originRequests.add(path);
            if (path.startsWith("/slow/")) {
              slowArrived.countDown();
              try {
                slowRelease.await(60, TimeUnit.SECONDS);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            }
            if (path.startsWith("/private/")) {
              ex.getResponseHeaders().add("Cache-Control", "private, max-age=60");
            }
            byte[] body = ("content of " + path).getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Content-Type", "text/plain");
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body);
          }
        });
    origin.start();

    BrokerLicence licence = BrokerLicence.of("bob", "venetia");
    VendorConfigBuilder config = VendorConfig.sampleBuilder();
    if (tls) {
      config.tls(new TlsConfig(vendorKeystore, TestKeystores.PASSWORD));
    }
    venetia =
        VendorServer.start(
            licence
                .vendor(config)
                .host("127.0.0.1")
                .port(0)
                .retryWait(Duration.ofMillis(200))
                .clearPrices()
                .price("GET", "/pages/*", PRICE)
                .price("GET", "/slow/*", PRICE)
                .price("GET", "/private/*", PRICE)
                .origin(URI.create("http://127.0.0.1:" + origin.getAddress().getPort()))
                .build(),
            dir.resolve("venetia"));
    bob = licence.startBroker(venetia.url(), dir.resolve("bob"));
  }

  URI page(String path) {
    return venetia.url().resolve(path);
  }

  void releaseSlow() {
    slowRelease.countDown();
  }

  @Override
  public void close() {
    slowRelease.countDown();
    bob.close();
    venetia.close();
    origin.stop(0);
    originThreads.close();
  }
}
