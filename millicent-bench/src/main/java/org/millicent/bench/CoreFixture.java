package org.millicent.bench;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.temporal.ChronoUnit;
import java.util.EnumSet;
import java.util.Map;
import org.millicent.keys.CustomerSecret;
import org.millicent.keys.CustomerSecrets;
import org.millicent.keys.MasterSecrets;
import org.millicent.protocol.Authority;
import org.millicent.protocol.Nonce;
import org.millicent.protocol.RequestDescriptor;
import org.millicent.protocol.Variant;
import org.millicent.purchase.InMemorySerialAllocator;
import org.millicent.purchase.InMemorySpendRecorder;
import org.millicent.purchase.Pricer;
import org.millicent.purchase.PurchaseService;
import org.millicent.scrip.Scrip;
import org.millicent.scrip.ScripProperties;
import org.millicent.scrip.SpendMode;

/**
 * One vendor and one of its customers, in memory: the setting of every core workload. The vendor
 * has a fresh master scrip secret and customer master secret, an {@link InMemorySpendRecorder}, and
 * accepts all three variants; the customer holds her derived customer secret. Scrip is worth 10
 * cents and a request costs 0.1 cent, so every purchase mints change. Not thread-safe for minting
 * inputs (one measuring thread owns a fixture).
 */
@SuppressForbidden // wiring: the fixture mints scrip valid from the real time
final class CoreFixture {
  static final String VENDOR = "venetia.example";

  /** Selector byte 1: the vendor's own customer-ID space in this fixture. */
  static final long CUSTOMER_ID = 0x0100_0000_0000_2a2aL;

  static final long SCRIP_VALUE_MILLICENTS = 10_000;
  static final long PRICE_MILLICENTS = 100;

  /** The digest a vendor MACs into a reply: of an empty response body. */
  static final byte[] EMPTY_BODY_DIGEST = RequestDescriptor.digest(new byte[0]);

  static final int STATUS_OK = 200;

  final SecureRandom random = new SecureRandom();
  final PurchaseService vendor;
  final Pricer pricer = Pricer.fixed(PRICE_MILLICENTS);
  final CustomerSecret customerSecret;
  final RequestDescriptor request =
      RequestDescriptor.of(
          Authority.of("https", "venetia.example", -1),
          "GET",
          "/articles/millicent-1995.html",
          new byte[0]);

  /** How the fixture's scrip may be spent: bearer for the clear variant, else bound. */
  private final SpendMode spend;

  CoreFixture() {
    this(SpendMode.BOUND);
  }

  CoreFixture(SpendMode spend) {
    this.spend = spend;
    MasterSecrets masters = MasterSecrets.generate(0, random);
    CustomerSecrets customers = CustomerSecrets.generate(1, random);
    vendor =
        new PurchaseService(
            VENDOR,
            masters,
            customers,
            new InMemorySpendRecorder(),
            new InMemorySerialAllocator(),
            InstantSource.system(),
            Duration.ofDays(30),
            EnumSet.allOf(Variant.class));
    // The broker hands the customer this secret at registration; she keeps it.
    customerSecret = customers.derive(VENDOR, CUSTOMER_ID);
  }

  /** Fresh, unspent scrip for the customer, as the vendor (or its broker) sold it. */
  Scrip freshScrip() {
    Instant expires = Instant.now().plus(Duration.ofDays(7)).truncatedTo(ChronoUnit.SECONDS);
    return vendor
        .minter()
        .mint(
            SCRIP_VALUE_MILLICENTS,
            CUSTOMER_ID,
            expires,
            ScripProperties.of(Map.of("country", "us")),
            spend);
  }

  Nonce freshNonce() {
    return Nonce.random(random);
  }
}
