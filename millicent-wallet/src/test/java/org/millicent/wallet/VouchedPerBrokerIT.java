package org.millicent.wallet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.millicent.protocol.Variant;
import org.millicent.scrip.Scrip;
import org.millicent.storage.Database;
import org.millicent.storage.DatabaseConfig;
import org.millicent.testing.MutableClock;
import org.millicent.wallet.http.Request;
import org.millicent.wallet.testing.RealBroker;
import org.millicent.wallet.testing.RealVendor;
import org.millicent.wallet.testing.TestWallets;

/**
 * Vouching is per (broker, vendor) (docs/WALLET.md, "Vouched origins"): a second broker that lists
 * the first one's vendor name at an origin of its own gets none of the first one's scrip, neither
 * in payments nor in renewals, and no purchase from the first broker is made for it.
 */
class VouchedPerBrokerIT {
  private static final long PRICE = 100;

  @TempDir Path dir;
  private final MutableClock clock = new MutableClock(Instant.parse("2031-03-01T12:00:00Z"));

  /** The real venetia, sold by bob. */
  private RealVendor venetia;

  private RealBroker bob;

  /**
   * A vendor of eve's that she lists as "venetia" too; she licenses herself, and configures it to
   * name bob's URL as where her own scrip is sold, so its offers name bob as its broker.
   */
  private RealVendor evesVenetia;

  private RealBroker eve;
  private Wallet wallet;

  @BeforeEach
  void start() throws IOException {
    bob = new RealBroker("bob", dir.resolve("bob"), clock);
    venetia = RealVendor.start("venetia", PRICE, dir.resolve("venetia"), clock, bob);
    eve = new RealBroker("eve", dir.resolve("eve"), clock);
    evesVenetia =
        RealVendor.start(
            "venetia",
            PRICE,
            dir.resolve("eves-venetia"),
            clock,
            Set.of(Variant.SIGNED, Variant.PRIVATE),
            Map.of("eve", bob.url()));
    eve.sell(evesVenetia);
    // Each broker numbers its own pieces from 1 under the first licensed key id of a new vendor:
    // the wallet meets the same scrip IDs from both.
    wallet = TestWallets.open(dir, clock);
  }

  @AfterEach
  void stop() {
    wallet.close();
    evesVenetia.close();
    eve.close();
    venetia.close();
    bob.close();
  }

  private long customerAt(RealBroker b) {
    return wallet.brokers().stream()
        .filter(a -> a.url().equals(b.url()))
        .findFirst()
        .orElseThrow()
        .customerId();
  }

  private long held(RealBroker b) {
    return wallet.scrip().stream()
        .filter(s -> s.broker().equals(b.url().toString()))
        .mapToLong(HeldScrip::valueMillicents)
        .sum();
  }

  private int get(RealVendor v, String path) throws Exception {
    return wallet.httpClient().send(Request.get(v.url().resolve(path))).status();
  }

  @Test
  void aBrokerListingAnotherBrokersVendorNameAtItsOwnOrigin_getsNothingOfTheOthersScrip()
      throws Exception {
    wallet.register(bob.url(), "alice");
    wallet.register(eve.url(), "alice");
    long bought = wallet.options().buyAmountFor(PRICE);
    assertThat(get(venetia, "/pages/1")).isEqualTo(200);
    assertThat(held(bob)).isEqualTo(bought - PRICE);

    // eve's "venetia" names bob, whose scrip the wallet holds; only eve vouches for its origin.
    assertThat(get(evesVenetia, "/pages/2")).isEqualTo(200);

    assertThat(bob.charged(customerAt(bob))).isEqualTo(bought);
    assertThat(held(bob)).isEqualTo(bought - PRICE);
    assertThat(eve.charged(customerAt(eve))).isEqualTo(bought);
    assertThat(held(eve)).isEqualTo(bought - PRICE);
    assertThat(evesVenetia.sales()).isEqualTo(1);
    assertThat(venetia.sales()).isEqualTo(1);

    // The honest case still works: venetia is paid with bob's scrip, eve's stays.
    assertThat(get(venetia, "/pages/3")).isEqualTo(200);
    assertThat(get(evesVenetia, "/pages/4")).isEqualTo(200);

    assertThat(venetia.sales()).isEqualTo(2);
    assertThat(evesVenetia.sales()).isEqualTo(2);
    assertThat(held(bob)).isEqualTo(bought - 2 * PRICE);
    assertThat(held(eve)).isEqualTo(bought - 2 * PRICE);
    assertThat(bob.charged(customerAt(bob))).isEqualTo(bought);
    assertThat(eve.charged(customerAt(eve))).isEqualTo(bought);

    // Renewals go each to an origin its own broker vouches for: none is refused.
    RenewalReport renewal = wallet.renew(true);
    assertThat(renewal.problems()).isEmpty();
    assertThat(renewal.renewed()).hasSize(2);
    assertThat(held(bob)).isEqualTo(bought - 2 * PRICE);
    assertThat(held(eve)).isEqualTo(bought - 2 * PRICE);
  }

  @Test
  void vouchedOrigins_sayWhoseScripMayBePaidThere() throws Exception {
    wallet.register(bob.url(), "alice");
    wallet.register(eve.url(), "alice");
    wallet.vouch("venetia", URI.create("https://venetia.example"));
    wallet.vouch("venetia", URI.create("https://shop.example"), Optional.of(bob.url()));

    assertThat(wallet.vouchedOrigins())
        .filteredOn(o -> o.vendor().equals("venetia"))
        .extracting(VouchedOrigin::origin, VouchedOrigin::source, VouchedOrigin::broker)
        .containsExactlyInAnyOrder(
            tuple(Request.origin(venetia.url()), bob.url().toString(), Optional.of(bob.url() + "")),
            tuple(Request.origin(evesVenetia.url()), eve.url() + "", Optional.of(eve.url() + "")),
            tuple("https://venetia.example:443", "user", Optional.empty()),
            tuple("https://shop.example:443", "user", Optional.of(bob.url().toString())));
  }

  @Test
  void theUsersWordForOneBroker_letsOnlyThatBrokersScripPayThere() throws Exception {
    bob.setPublicUrls(URI.create("https://venetia.example"));
    wallet.register(bob.url(), "alice");
    wallet.register(eve.url(), "alice");
    long bought = wallet.options().buyAmountFor(PRICE);

    wallet.vouch("venetia", venetia.url(), Optional.of(bob.url()));

    assertThat(get(venetia, "/pages/1")).isEqualTo(200);
    assertThat(bob.charged(customerAt(bob))).isEqualTo(bought);
    assertThat(eve.charged(customerAt(eve))).isZero();
    assertThat(held(eve)).isZero();
  }

  @Test
  void theUsersWordForEveryBroker_letsAnyBrokersScripPayThere() throws Exception {
    wallet.register(bob.url(), "alice");
    long bought = wallet.options().buyAmountFor(PRICE);
    assertThat(get(venetia, "/pages/1")).isEqualTo(200);
    // Bob stops listing venetia where it is; the user vouches for it instead.
    bob.setPublicUrls(URI.create("https://venetia.example"));
    wallet.refreshVouchedOrigins();

    wallet.vouch("venetia", venetia.url());

    assertThat(get(venetia, "/pages/2")).isEqualTo(200);
    assertThat(bob.charged(customerAt(bob))).isEqualTo(bought);
    assertThat(held(bob)).isEqualTo(bought - 2 * PRICE);
  }

  @Test
  void aVersion2Wallet_keepsItsScripBrokersAndVouchedOrigins_afterMigrating() throws Exception {
    // A wallet that paid venetia once, with bob's scrip, and a user's word for another origin.
    wallet.register(bob.url(), "alice");
    long bought = wallet.options().buyAmountFor(PRICE);
    assertThat(get(venetia, "/pages/1")).isEqualTo(200);
    wallet.vouch("venetia", URI.create("https://venetia.example"));
    wallet.close();
    // The same wallet as version 2 of the schema left it.
    Path old = dir.resolve("old");
    Files.createDirectories(old);
    Flyway.configure(Database.class.getClassLoader())
        .dataSource("jdbc:sqlite:" + old.resolve(Wallet.FILE), null, null)
        .table("flyway_wallet")
        .locations("classpath:db-migrations/wallet/sqlite")
        .baselineOnMigrate(true)
        .baselineVersion("0")
        .target("2")
        .load()
        .migrate();
    try (Database db = Database.open(DatabaseConfig.sqliteIn(old, Wallet.FILE))) {
      String from = dir.resolve("wallet").resolve(Wallet.FILE).toString();
      db.withHandle(
          h -> {
            h.execute("ATTACH DATABASE ? AS v3", from);
            h.execute("INSERT INTO brokers SELECT * FROM v3.brokers");
            h.execute("INSERT INTO vendors SELECT * FROM v3.vendors");
            h.execute(
                "INSERT INTO secrets SELECT vendor, customer_id, secret, broker_url, obtained_at"
                    + " FROM v3.secrets");
            h.execute(
                "INSERT INTO scrip SELECT vendor, scrip_id, customer_id, value, expires_at, token,"
                    + " state, source, acquired_at, acquired_by, payment_id, closed_at"
                    + " FROM v3.scrip");
            h.execute(
                "INSERT INTO vendor_origins SELECT vendor, origin, source, added_at"
                    + " FROM v3.vendor_origins");
            h.execute("DETACH DATABASE v3");
            return null;
          });
    }
    wallet =
        Wallet.open(
            WalletOptions.defaults(old).withClock(clock).withTimeout(Duration.ofSeconds(10)));

    assertThat(wallet.scrip())
        .extracting(HeldScrip::broker)
        .containsOnly(bob.url().toString())
        .isNotEmpty();
    assertThat(wallet.vouchedOrigins())
        .filteredOn(o -> o.vendor().equals("venetia"))
        .extracting(VouchedOrigin::origin, VouchedOrigin::broker)
        .containsExactlyInAnyOrder(
            tuple(Request.origin(venetia.url()), Optional.of(bob.url().toString())),
            tuple("https://venetia.example:443", Optional.empty()));
    assertThat(get(venetia, "/pages/2")).isEqualTo(200);
    assertThat(bob.charged(customerAt(bob))).isEqualTo(bought);
    assertThat(held(bob)).isEqualTo(bought - 2 * PRICE);
    assertThat(wallet.renew(true).problems()).isEmpty();
  }

  @Test
  void twoBrokersSellingOneVendorName_withTheSameScripIds_bothPiecesAreKept_andPaidAtTheirOrigins()
      throws Exception {
    wallet.register(bob.url(), "alice");
    wallet.register(eve.url(), "alice");
    Scrip fromBob = wallet.buy("venetia", 1000, Optional.of(bob.url()));
    Scrip fromEve = wallet.buy("venetia", 1000, Optional.of(eve.url()));

    assertThat(fromEve.id()).isEqualTo(fromBob.id());
    assertThat(wallet.scrip())
        .extracting(HeldScrip::broker, HeldScrip::id, HeldScrip::valueMillicents)
        .containsExactlyInAnyOrder(
            tuple(bob.url().toString(), fromBob.id(), 1000L),
            tuple(eve.url().toString(), fromEve.id(), 1000L));

    // Each piece pays at the origin its broker vouches for, and its change (again the same IDs at
    // both) is kept too: nothing more is bought.
    assertThat(get(venetia, "/pages/1")).isEqualTo(200);
    assertThat(get(evesVenetia, "/pages/2")).isEqualTo(200);
    assertThat(get(venetia, "/pages/3")).isEqualTo(200);
    assertThat(get(evesVenetia, "/pages/4")).isEqualTo(200);

    assertThat(venetia.sales()).isEqualTo(2);
    assertThat(evesVenetia.sales()).isEqualTo(2);
    assertThat(held(bob)).isEqualTo(1000 - 2 * PRICE);
    assertThat(held(eve)).isEqualTo(1000 - 2 * PRICE);
    assertThat(bob.charged(customerAt(bob))).isEqualTo(1000);
    assertThat(eve.charged(customerAt(eve))).isEqualTo(1000);
    assertThat(wallet.totals().discrepancyMillicents()).isZero();
  }

  @Test
  void aPaymentInFlightToAnOriginItsBrokerDoesNotVouchFor_isNotReSent() throws Exception {
    wallet.register(bob.url(), "alice");
    wallet.register(eve.url(), "alice");
    assertThat(get(venetia, "/pages/1")).isEqualTo(200);
    HeldScrip piece = wallet.scrip().getFirst();
    wallet.close();
    // What a wallet before vouching per broker could leave: bob's piece on its way to eve's server.
    try (Database db = Database.open(DatabaseConfig.sqliteIn(dir.resolve("wallet"), Wallet.FILE))) {
      db.inTransaction(
          h -> {
            h.createUpdate(
                    "INSERT INTO payments (kind, vendor, scrip_id, customer_id, variant,"
                        + " offered_price, method, url, authorization, body, state, attempts,"
                        + " started_at) VALUES ('purchase', 'venetia', ?, ?, 'signed', ?, 'GET',"
                        + " ?, 'Millicent v=2', x'', 'in-flight', 1, ?)")
                .bind(0, piece.id().toLong())
                .bind(1, piece.customerId())
                .bind(2, PRICE)
                .bind(3, evesVenetia.url().resolve("/pages/2").toString())
                .bind(4, clock.millis())
                .execute();
            return h.execute(
                "UPDATE scrip SET state = 'in-flight', payment_id = last_insert_rowid()"
                    + " WHERE scrip_id = ?",
                piece.id().toLong());
          });
    }
    wallet = TestWallets.open(dir, clock);

    RecoveryReport r = wallet.recover();

    assertThat(r.lines()).singleElement().asString().contains("not re-sent");
    assertThat(wallet.scrip()).extracting(HeldScrip::state).containsExactly(ScripState.IN_FLIGHT);
    assertThat(wallet.inFlightCount()).isEqualTo(1);
    assertThat(evesVenetia.sales()).isZero();
  }
}
