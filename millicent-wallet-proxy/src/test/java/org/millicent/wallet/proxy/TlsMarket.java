package org.millicent.wallet.proxy;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import org.millicent.broker.BrokerServer;
import org.millicent.broker.testing.BrokerLicence;
import org.millicent.testing.ContentOrigin;
import org.millicent.testing.TestKeystores;
import org.millicent.vendor.VendorServer;
import org.millicent.vendor.config.TlsConfig;
import org.millicent.vendor.config.VendorConfig;
import org.millicent.vendor.config.VendorConfigBuilder;

/**
 * A market on loopback for the proxy's ITs: Venetia, a real vendor serving HTTPS from a self-signed
 * keystore ({@link TestKeystores}), in front of a plain {@link ContentOrigin} (selling {@code
 * /pages/*}, {@code /slow/*} and {@code /private/*}); Bob, a real broker licensed to mint her
 * scrip. The JVM's default TLS context trusts Venetia's certificate (so the wallet's client, the
 * broker and the vendor reach each other as they would with a public CA). Not thread-safe; one per
 * test.
 */
final class TlsMarket implements AutoCloseable {
  static final long PRICE = 100;

  final Path dir;
  final Path vendorKeystore;
  final Path vendorPem;
  final VendorServer venetia;
  final BrokerServer bob;
  final ContentOrigin origin;

  TlsMarket(Path dir) throws Exception {
    this(dir, true);
  }

  /** {@code tls}: Venetia serves HTTPS; else plain HTTP. */
  TlsMarket(Path dir, boolean tls) throws Exception {
    this.dir = dir;
    vendorKeystore = TestKeystores.selfSigned(dir.resolve("venetia.p12"), "venetia");
    vendorPem = TestKeystores.exportPem(vendorKeystore, "venetia", dir.resolve("venetia.pem"));
    SSLContext.setDefault(TestKeystores.trusting(vendorKeystore));

    origin = ContentOrigin.start();
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
                .origin(origin.url())
                .build(),
            dir.resolve("venetia"));
    bob = licence.startBroker(venetia.url(), dir.resolve("bob"));
  }

  URI page(String path) {
    return venetia.url().resolve(path);
  }

  void releaseSlow() {
    origin.releaseSlow();
  }

  @Override
  public void close() {
    bob.close();
    venetia.close();
    origin.close();
  }
}
