package org.millicent.wallet.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import java.time.Instant;
import java.time.InstantSource;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.millicent.bytes.Base64Url;
import org.millicent.keys.CustomerSecret;
import org.millicent.keys.CustomerSecrets;
import org.millicent.keys.KeyState;
import org.millicent.keys.MasterSecrets;
import org.millicent.keys.SecretBytes;
import org.millicent.protocol.Variant;
import org.millicent.purchase.InMemorySerialAllocator;
import org.millicent.purchase.ScripMinter;
import org.millicent.scrip.Scrip;
import org.millicent.scrip.ScripProperties;
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
 * broker sells its scrip under a licence issued by its admin endpoint, as a real licensed broker
 * does. Thread-safe.
 */
public final class RealVendor implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final SecureRandom RANDOM = new SecureRandom();

  private final PageOrigin origin;
  private final LossyLink link;
  private final VendorServer server;
  private final HttpClient http = HttpClient.newHttpClient();
  private final AtomicBoolean originStopped = new AtomicBoolean();

  private RealVendor(PageOrigin origin, LossyLink link, VendorServer server) {
    this.origin = origin;
    this.link = link;
    this.server = server;
  }

  /**
   * Starts vendor {@code vendor} selling every page at {@code price} in both variants, naming
   * {@code seller} in its offers, and licenses {@code seller} to sell its scrip.
   */
  public static RealVendor start(
      String vendor, long price, Path dir, InstantSource clock, TestBroker seller)
      throws IOException {
    return start(vendor, price, dir, clock, Set.of(Variant.SIGNED, Variant.PRIVATE), seller);
  }

  /**
   * As {@link #start(String, long, Path, InstantSource, TestBroker)}, taking only {@code variants}.
   */
  public static RealVendor start(
      String vendor,
      long price,
      Path dir,
      InstantSource clock,
      Set<Variant> variants,
      TestBroker seller)
      throws IOException {
    RealVendor v = start(vendor, price, dir, clock, variants, Map.of(seller.id(), seller.url()));
    try {
      seller.takeLicence(v.licence(seller.id()));
    } catch (IOException | RuntimeException e) {
      v.close();
      throw e;
    }
    return v;
  }

  /**
   * Starts vendor {@code vendor} selling every page at {@code price}, taking {@code variants}, with
   * its data in {@code dir}, on {@code clock}, configured with the brokers of {@code brokers} (id
   * to the URL its offers name for that broker: the broker's own, or another one, as the operator
   * wrote it); none is licensed yet ({@link #licence}).
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
      for (Map.Entry<String, URI> b : brokers.entrySet()) {
        config.broker(new BrokerConfig(b.getKey(), b.getValue(), token(), customerId++, 0));
      }
      VendorServer server = VendorServer.start(config.build(), dir, clock);
      link.connect(server.url());
      return new RealVendor(origin, link, server);
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

  /**
   * Issues broker {@code brokerId} (one the vendor is configured with) a licence of one key id,
   * through the vendor's admin endpoint, as the broker's operator would.
   */
  public Licence licence(String brokerId) throws IOException {
    HttpResponse<String> r =
        send(
            HttpRequest.newBuilder(server.url().resolve("/millicent/admin/licences"))
                .header("Authorization", "Bearer " + server.adminToken())
                .header("Content-Type", "application/json")
                .POST(
                    HttpRequest.BodyPublishers.ofByteArray(
                        JSON.writeValueAsBytes(Map.of("broker", brokerId, "key_ids", 1))))
                .build());
    if (r.statusCode() != 200) {
      throw new AssertionError("licensing " + brokerId + " answered " + r.statusCode() + r.body());
    }
    JsonNode lic = JSON.readTree(r.body());
    JsonNode key = lic.get("key_ids").get(0);
    MasterSecrets keys = new MasterSecrets();
    keys.put(
        key.get("key_id").asInt(),
        SecretBytes.copyOf(Base64Url.decode(key.get("master_secret").asText())),
        KeyState.PRIMARY);
    int selector = lic.get("customer_selector").asInt();
    CustomerSecrets customers = new CustomerSecrets();
    customers.put(
        selector, SecretBytes.copyOf(Base64Url.decode(lic.get("customer_master_secret").asText())));
    return new Licence(
        vendor(),
        url(),
        new ScripMinter(vendor(), keys, new InMemorySerialAllocator()),
        customers,
        selector,
        Duration.ofSeconds(lic.get("scrip_lifetime_seconds").asLong()));
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

  /**
   * A broker's side of a licence: mints the vendor's scrip under the licensed key, for customer IDs
   * under the licensed selector, and derives their customer secrets. Not a record: it holds
   * secrets, which it never prints. Thread-safe.
   */
  public static final class Licence {
    private final String vendor;
    private final URI vendorUrl;
    private final ScripMinter minter;
    private final CustomerSecrets customers;
    private final int selector;
    private final Duration scripLifetime;

    Licence(
        String vendor,
        URI vendorUrl,
        ScripMinter minter,
        CustomerSecrets customers,
        int selector,
        Duration scripLifetime) {
      this.vendor = vendor;
      this.vendorUrl = vendorUrl;
      this.minter = minter;
      this.customers = customers;
      this.selector = selector;
      this.scripLifetime = scripLifetime;
    }

    /** The vendor id. */
    public String vendor() {
      return vendor;
    }

    /** The vendor's public URL. */
    public URI vendorUrl() {
      return vendorUrl;
    }

    /** The customer ID at the vendor of the broker's customer {@code brokerCustomer}. */
    public long customerAtVendor(long brokerCustomer) {
      return ((long) selector << 56) | (brokerCustomer & 0xffffffffL);
    }

    /**
     * The customer secret of {@code customerId} (one of {@link #customerAtVendor}) at the vendor.
     */
    public CustomerSecret customerSecret(long customerId) {
      return customers.derive(vendor, customerId);
    }

    /**
     * Scrip worth {@code valueMillicents} for {@code customerId}, valid a scrip lifetime from
     * {@code now}.
     */
    public Scrip mint(long valueMillicents, long customerId, Instant now) {
      return minter.mint(
          valueMillicents,
          customerId,
          now.plus(scripLifetime).truncatedTo(ChronoUnit.SECONDS),
          ScripProperties.NONE);
    }

    @Override
    public String toString() {
      return "Licence[" + vendor + " selector " + selector + "]";
    }
  }
}
