package org.millicent.cli.demo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;
import org.millicent.broker.BrokerConfig;
import org.millicent.broker.BrokerServer;
import org.millicent.bytes.Base64Url;
import org.millicent.vendor.OwnCustomers;
import org.millicent.vendor.VendorServer;
import org.millicent.vendor.config.VendorConfig;
import org.millicent.vendor.config.VendorConfigBuilder;

/**
 * The demo's market on loopback, in this process, started through the servers' public Java APIs:
 * Venetia's shop (the sample catalogue; Bob mints her scrip under a licence), Venetia's annex (the
 * same catalogue; Bob buys its scrip in bulk, the warehouse model) and Bob the broker, each with
 * its own SQLite file in {@code dir}. Not thread-safe to start or close; the servers themselves
 * are.
 */
public final class DemoMarket implements AutoCloseable {
  /** Venetia's vendor id. */
  public static final String VENETIA = "venetia";

  /** The vendor id of Venetia's second shop, supplied by warehouse. */
  public static final String ANNEX = "venetia-annex";

  /** Bob's broker id. */
  public static final String BOB = "bob";

  /** Bob's discount at both shops, in basis points (5 %). */
  public static final int DISCOUNT_BPS = 500;

  /** Pieces in one warehouse lot. */
  public static final int LOT_PIECES = 20;

  /** The value of each warehouse piece. */
  public static final long PIECE_MILLICENTS = 1_000;

  /** Bob's own customer ID at each shop (selector byte 0, brokers' accounts). */
  static final long BOB_AT_VENDOR = 1;

  private final VendorServer venetia;
  private final VendorServer annex;
  private final BrokerServer bob;

  private DemoMarket(VendorServer venetia, VendorServer annex, BrokerServer bob) {
    this.venetia = venetia;
    this.annex = annex;
    this.bob = bob;
  }

  /**
   * Starts the three servers on free loopback ports, state in {@code dir}.
   *
   * @throws UncheckedIOException when no free port can be found
   * @throws RuntimeException what the servers throw when they cannot start
   */
  public static DemoMarket start(Path dir) {
    return start(dir, List.of());
  }

  /**
   * As {@link #start(Path)}, with Venetia's shop addressed by {@code venetiaPublicUrls} (its {@code
   * public_urls}: e.g. a reverse proxy in front of it) instead of loopback at its own port; empty:
   * loopback at its own port, as {@link #start(Path)}.
   *
   * @throws IllegalArgumentException (from the configuration) when a URL is not a valid origin
   * @throws UncheckedIOException when no free port can be found
   * @throws RuntimeException what the servers throw when they cannot start
   */
  public static DemoMarket start(Path dir, List<URI> venetiaPublicUrls) {
    List<URI> venetiaOrigins = List.copyOf(venetiaPublicUrls);
    SecureRandom random = new SecureRandom();
    String venetiaAdmin = token(random);
    String annexAdmin = token(random);
    String bobAtVenetia = token(random);
    String bobAtAnnex = token(random);
    // Each side names the other in its configuration: Bob's port is chosen first.
    URI bobUrl = URI.create("http://127.0.0.1:" + freePort());
    VendorServer venetia = null;
    VendorServer annex = null;
    try {
      venetia = startShop(VENETIA, venetiaAdmin, bobAtVenetia, bobUrl, venetiaOrigins, dir);
      annex = startShop(ANNEX, annexAdmin, bobAtAnnex, bobUrl, List.of(), dir);
      BrokerServer bob =
          BrokerServer.start(
              BrokerConfig.defaults()
                  .withBrokerId(BOB)
                  .withListen("127.0.0.1", bobUrl.getPort())
                  .withVendor(
                      org.millicent.broker.VendorConfig.licensed(
                          VENETIA, venetia.url(), bobAtVenetia, venetiaAdmin, DISCOUNT_BPS))
                  .withVendor(
                      org.millicent.broker.VendorConfig.warehouse(
                          ANNEX,
                          annex.url(),
                          bobAtAnnex,
                          OwnCustomers.of(annex).customerSecret(BOB_AT_VENDOR),
                          DISCOUNT_BPS,
                          LOT_PIECES,
                          PIECE_MILLICENTS)),
              dir.resolve(BOB));
      return new DemoMarket(venetia, annex, bob);
    } catch (RuntimeException e) {
      if (annex != null) {
        annex.close();
      }
      if (venetia != null) {
        venetia.close();
      }
      throw e;
    }
  }

  /**
   * A vendor serving the sample catalogue, with Bob as its broker, addressed by {@code publicUrls}
   * (none: loopback at its port).
   */
  private static VendorServer startShop(
      String vendor,
      String adminToken,
      String bobToken,
      URI bobUrl,
      List<URI> publicUrls,
      Path dir) {
    VendorConfigBuilder b =
        VendorConfig.sampleBuilder()
            .vendor(vendor)
            .host("127.0.0.1")
            .port(0)
            .adminToken(adminToken)
            .broker(
                new org.millicent.vendor.config.BrokerConfig(
                    BOB, bobUrl, bobToken, BOB_AT_VENDOR, DISCOUNT_BPS));
    for (URI u : publicUrls) {
      b.publicUrl(u.toString());
    }
    return VendorServer.start(b.build(), dir.resolve(vendor));
  }

  private static String token(SecureRandom random) {
    byte[] b = new byte[24];
    random.nextBytes(b);
    return Base64Url.encode(b);
  }

  private static int freePort() {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("no free loopback port for the broker", e);
    }
  }

  /** Venetia's shop. */
  public VendorServer venetia() {
    return venetia;
  }

  /** Venetia's annex. */
  public VendorServer annex() {
    return annex;
  }

  /** Bob. */
  public BrokerServer bob() {
    return bob;
  }

  /** Stops Bob, then both shops. */
  @Override
  public void close() {
    bob.close();
    annex.close();
    venetia.close();
  }
}
