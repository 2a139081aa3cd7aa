package org.millicent.wallet.testing;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.jspecify.annotations.Nullable;
import org.millicent.broker.BrokerConfig;
import org.millicent.broker.BrokerServer;
import org.millicent.broker.VendorConfig;

/**
 * The broker the wallet's tests buy from: the broker that ships ({@link BrokerServer}, its SQLite
 * books in a folder of the test's), on the test's clock, opening aggregating accounts and selling
 * the scrip of the {@link RealVendor}s it is licensed by ({@link #sell}), under the licence it
 * obtains from each vendor's admin endpoint as a licensed broker does. Customers reach it through a
 * {@link LossyLink}, whose origin is the broker's public URL (account requests are bound to it), so
 * a test can lose or hold its answers. A change of configuration ({@link #sell}, {@link
 * #setPublicUrls}) restarts it on the same books, as its operator would. Thread-safe.
 */
public final class RealBroker implements AutoCloseable {
  private final String id;
  private final Path dir;
  private final InstantSource clock;
  private final LossyLink link;
  private final List<RealVendor> vendors = new ArrayList<>();
  private List<URI> publicUrls = List.of();
  private @Nullable BrokerServer server;

  /**
   * Broker {@code id}, its books in {@code dir}, on {@code clock}: its URL ({@link #url}) is known
   * (vendors can name it) before it runs, which it does once it sells a vendor's scrip.
   */
  public RealBroker(String id, Path dir, InstantSource clock) throws IOException {
    this.id = id;
    this.dir = dir;
    this.clock = clock;
    this.link = new LossyLink();
  }

  /** The broker's id. */
  public String id() {
    return id;
  }

  /** Where customers reach the broker: its public URL, through the link. */
  public URI url() {
    return link.url();
  }

  /**
   * Sells {@code vendor}'s scrip from now on (with the vendors it sold before), licensed by it as
   * the broker named {@link #id} (one {@code vendor} is configured with): restarts the broker with
   * the vendor in its configuration, and it obtains the licence.
   */
  public synchronized void sell(RealVendor vendor) {
    vendors.add(vendor);
    restart();
  }

  /**
   * Publishes {@code urls} as every vendor's {@code public_urls} (none: the vendor's own public
   * URL), as an operator who changes them and restarts the broker does.
   */
  public synchronized void setPublicUrls(URI... urls) {
    publicUrls = List.of(urls);
    restart();
  }

  /** Loses the answers to the next {@code n} paid requests, after the broker has answered them. */
  public void loseNextAnswers(int n) {
    link.loseNextAnswers(n);
  }

  /**
   * Holds the first manifest request that comes after the next sale of vendor scrip (a wallet reads
   * the manifest again right after it has bought, once the piece is in the wallet) on the way to
   * the broker: counts {@code reached} down and passes it on only once {@code release} is.
   */
  public void holdManifestAfterNextSale(CountDownLatch reached, CountDownLatch release) {
    link.holdRequestAfter(
        "POST /broker/vendor-scrip ", "GET /.well-known/millicent ", reached, release);
  }

  /**
   * What the broker charged customer {@code customerId} in total: what the account owes in its
   * books (an aggregating account is never topped up in these tests).
   */
  public synchronized long charged(long customerId) {
    return -running().broker().account(customerId).balanceMillicents();
  }

  private BrokerServer running() {
    BrokerServer s = server;
    if (s == null) {
      throw new IllegalStateException("broker " + id + " sells no vendor's scrip yet");
    }
    return s;
  }

  private void restart() {
    BrokerServer old = server;
    server = null;
    if (old != null) {
      old.close();
    }
    BrokerConfig config =
        BrokerConfig.defaults()
            .withBrokerId(id)
            .withListen("127.0.0.1", 0)
            .withPublicUrl(link.url());
    for (RealVendor v : vendors) {
      config =
          config.withVendor(
              VendorConfig.licensed(v.vendor(), v.adminUrl(), v.brokerToken(id), v.adminToken(), 0)
                  .withPublicUrls(publicUrls.isEmpty() ? List.of(v.url()) : publicUrls));
    }
    BrokerServer started = BrokerServer.start(config, dir, clock);
    server = started;
    // Its url() is the public one, the link's: the link relays to where it listens.
    link.connect(URI.create("http://127.0.0.1:" + started.port()));
  }

  /** Stops the broker, then the link. */
  @Override
  public synchronized void close() {
    try {
      BrokerServer s = server;
      server = null;
      if (s != null) {
        s.close();
      }
    } finally {
      link.close();
    }
  }
}
