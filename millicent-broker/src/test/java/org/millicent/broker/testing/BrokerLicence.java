package org.millicent.broker.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.function.UnaryOperator;
import org.millicent.broker.BrokerConfig;
import org.millicent.broker.BrokerServer;
import org.millicent.broker.VendorConfig;
import org.millicent.bytes.Base64Url;
import org.millicent.vendor.config.VendorConfigBuilder;

/**
 * A broker licensed to mint one vendor's scrip, as the market tests set it up on loopback: the
 * broker's URL (a port free now, so that the vendor names the broker before it starts), the token
 * the broker presents at the vendor and the vendor's admin token it obtains its licence with (both
 * random), and a {@value #DISCOUNT_BPS} bps discount. It writes both sides' entries — the vendor's
 * for the broker, the broker's for the vendor — and starts the broker, which licenses itself
 * through the vendor's endpoints. The one such set-up of the servlet filter's, the starter's, the
 * wallet proxy's and the CLI's market tests; shipped in millicent-broker's test-jar. Immutable; the
 * tokens are never printed.
 */
public final class BrokerLicence {
  /** The broker's discount at the vendor, in basis points. */
  public static final int DISCOUNT_BPS = 500;

  /** The broker's customer ID at the vendor. */
  private static final long BROKER_CUSTOMER_ID = 1;

  private static final SecureRandom RANDOM = new SecureRandom();

  private final String broker;
  private final String vendor;
  private final URI brokerUrl;
  private final String brokerToken = token();
  private final String adminToken = token();

  private BrokerLicence(String broker, String vendor, URI brokerUrl) {
    this.broker = broker;
    this.vendor = vendor;
    this.brokerUrl = brokerUrl;
  }

  /** Broker {@code broker}, to listen on a loopback port free now, licensed by {@code vendor}. */
  public static BrokerLicence of(String broker, String vendor) {
    return new BrokerLicence(broker, vendor, URI.create("http://127.0.0.1:" + freePort()));
  }

  /** The broker's base URL, before it is started. */
  public URI brokerUrl() {
    return brokerUrl;
  }

  /** The bearer token the broker presents at the vendor; never log it. */
  public String brokerToken() {
    return brokerToken;
  }

  /** The vendor's admin token, with which the broker obtains its licence; never log it. */
  public String adminToken() {
    return adminToken;
  }

  /** The vendor's entry for the broker. */
  public org.millicent.vendor.config.BrokerConfig vendorSide() {
    return new org.millicent.vendor.config.BrokerConfig(
        broker, brokerUrl, brokerToken, BROKER_CUSTOMER_ID, DISCOUNT_BPS);
  }

  /** {@code config} as the vendor of this licence: its name, admin token and broker entry. */
  public VendorConfigBuilder vendor(VendorConfigBuilder config) {
    return config.vendor(vendor).adminToken(adminToken).broker(vendorSide());
  }

  /** The broker's entry for the vendor serving at {@code vendorUrl}. */
  public VendorConfig brokerSide(URI vendorUrl) {
    return VendorConfig.licensed(vendor, vendorUrl, brokerToken, adminToken, DISCOUNT_BPS);
  }

  /** Starts the broker, keeping its data in {@code dir}, licensed by the vendor at {@code url}. */
  public BrokerServer startBroker(URI url, Path dir) {
    return startBroker(url, UnaryOperator.identity(), dir);
  }

  /** As {@link #startBroker(URI, Path)}, with the broker's entry for the vendor {@code changed}. */
  public BrokerServer startBroker(URI url, UnaryOperator<VendorConfig> changed, Path dir) {
    return BrokerServer.start(
        BrokerConfig.defaults()
            .withBrokerId(broker)
            .withListen("127.0.0.1", brokerUrl.getPort())
            .withVendor(changed.apply(brokerSide(url))),
        dir);
  }

  private static int freePort() {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String token() {
    byte[] b = new byte[24];
    RANDOM.nextBytes(b);
    return Base64Url.encode(b);
  }
}
