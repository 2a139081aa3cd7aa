package org.millicent.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.millicent.broker.accounts.AccountView;
import org.millicent.broker.accounts.Registration;
import org.millicent.broker.accounts.Statement;
import org.millicent.broker.books.BookTotals;
import org.millicent.failure.InsufficientValueException;
import org.millicent.failure.SpentException;
import org.millicent.keys.CustomerSecret;
import org.millicent.protocol.Authority;
import org.millicent.protocol.Nonce;
import org.millicent.protocol.Payer;
import org.millicent.protocol.Payment;
import org.millicent.protocol.RequestDescriptor;
import org.millicent.purchase.Pricer;
import org.millicent.purchase.Purchase;
import org.millicent.scrip.Scrip;
import org.millicent.scrip.ScripId;

class BrokerTest extends BrokerOnDatabase {
  private static final Authority ORIGIN = Authority.of("https", "bob.example", -1);

  private LicensingVendor venetia;

  BrokerTest() {
    super(Instant.parse("2026-03-10T12:00:00Z"));
  }

  @Override
  BrokerConfig config() {
    return sellingVenetia();
  }

  @BeforeEach
  void licenceVenetia() {
    venetia = new LicensingVendor("venetia", "bob", 500, clock);
    broker.installLicence(venetia.licence);
  }

  private void assertConserved() {
    BookTotals t = broker.totals();
    assertThat(t.conserved()).as("%s", t).isTrue();
    assertThat(broker.books().auditProblems()).isZero();
  }

  @Test
  void register_returnsCustomerIdUnderTheBrokerSelectorAndASecret() {
    Registration r = broker.register("alice");
    assertThat(r.customer().id() >>> 56).isEqualTo(1);
    assertThat(r.secret().toByteArray()).hasSize(32);
    Registration r2 = broker.register("bob");
    assertThat(r2.customer().id()).isNotEqualTo(r.customer().id());
    assertThat(broker.account(r.customer().id()).availableMillicents()).isEqualTo(100_000);
  }

  @Test
  void sellBrokerScrip_chargesTheAccountAndKeepsTheBooksConserved() {
    long alice = broker.register("alice").customer().id();
    Scrip s = broker.sellBrokerScrip(alice, 5_000, null);
    assertThat(s.vendor()).isEqualTo("bob");
    assertThat(s.customerId()).isEqualTo(alice);
    assertThat(s.valueMillicents()).isEqualTo(5_000);
    AccountView v = broker.account(alice);
    assertThat(v.balanceMillicents()).isEqualTo(-5_000);
    assertThat(v.chargesThisPeriodMillicents()).isEqualTo(5_000);
    BookTotals t = broker.totals();
    assertThat(t.moneyInMillicents()).isEqualTo(5_000);
    assertThat(t.outstandingMillicents()).isEqualTo(5_000);
    assertConserved();
  }

  @Test
  void sellBrokerScrip_pastTheCreditLimit_isRefusedAndTheBooksAreUnchanged() {
    long alice = broker.register("alice").customer().id();
    broker.sellBrokerScrip(alice, 90_000, null);
    BookTotals before = broker.totals();
    assertThatThrownBy(() -> broker.sellBrokerScrip(alice, 10_001, null))
        .isInstanceOfSatisfying(
            BrokerException.class, e -> assertThat(e.code()).isEqualTo(BrokerError.CREDIT_LIMIT));
    assertThat(broker.totals()).isEqualTo(before);
    broker.sellBrokerScrip(alice, 10_000, null);
    assertConserved();
  }

  @Test
  void sellBrokerScrip_badAmounts_areRefusedWithBadAmount() {
    long alice = broker.register("alice").customer().id();
    for (long bad : new long[] {0, -1, Long.MIN_VALUE, 1_000_000_000_001L, Long.MAX_VALUE}) {
      assertThatThrownBy(() -> broker.sellBrokerScrip(alice, bad, null))
          .isInstanceOfSatisfying(
              BrokerException.class, e -> assertThat(e.code()).isEqualTo(BrokerError.BAD_AMOUNT));
    }
    assertThat(broker.totals().moneyInMillicents()).isZero();
  }

  @Test
  void topUp_overflowingTheBalance_isRefusedAndTheBooksAreUnchanged() {
    long alice = broker.register("alice").customer().id();
    assertThatThrownBy(() -> broker.topUp(alice, -5))
        .isInstanceOfSatisfying(
            BrokerException.class, e -> assertThat(e.code()).isEqualTo(BrokerError.BAD_AMOUNT));
    broker.topUp(alice, 1_000_000_000_000L);
    assertThat(broker.account(alice).balanceMillicents()).isEqualTo(1_000_000_000_000L);
    assertConserved();
  }

  @Test
  void sellBrokerScrip_retriedWithTheSameRequestKey_returnsTheSameScripAndChargesOnce() {
    long alice = broker.register("alice").customer().id();
    byte[] key = new byte[16];
    random.nextBytes(key);
    Scrip first = broker.sellBrokerScrip(alice, 5_000, key);
    Scrip again = broker.sellBrokerScrip(alice, 5_000, key);
    assertThat(again).isEqualTo(first);
    assertThat(broker.account(alice).balanceMillicents()).isEqualTo(-5_000);
  }

  @Test
  void sellVendorScrip_licensed_isScripTheVendorAcceptsFromTheCustomer() {
    Registration alice = broker.register("alice");
    VendorScripSale sale = broker.sellVendorScrip(alice.customer().id(), "venetia", 3_000, null);
    assertThat(sale.supply()).isEqualTo(Supply.LICENSED);
    assertThat(sale.scrip().id().keyId()).isEqualTo(LicensingVendor.LICENSED_KEY);
    assertThat(sale.customerIdAtVendor() >>> 56).isEqualTo(LicensingVendor.LICENSED_SELECTOR);
    CustomerSecret vendorSecret =
        Payer.openSecret(
            alice.secret(), "venetia", sale.customerIdAtVendor(), sale.sealedCustomerSecret());
    RequestDescriptor req = RequestDescriptor.of(ORIGIN, "GET", "/pages/1", new byte[0]);
    Purchase p =
        venetia.purchases.pay(
            Payer.signed(sale.scrip(), vendorSecret, Nonce.random(random), req),
            Pricer.fixed(1_000));
    assertThat(p.change().orElseThrow().valueMillicents()).isEqualTo(2_000);
    // The same customer gets the same ID at the vendor again.
    VendorScripSale second = broker.sellVendorScrip(alice.customer().id(), "venetia", 1_000, null);
    assertThat(second.customerIdAtVendor()).isEqualTo(sale.customerIdAtVendor());
    assertConserved();
  }

  @Test
  void sellVendorScrip_unknownVendor_isRefusedWithUnknownVendor() {
    long alice = broker.register("alice").customer().id();
    assertThatThrownBy(() -> broker.sellVendorScrip(alice, "nobody", 1_000, null))
        .isInstanceOfSatisfying(
            BrokerException.class, e -> assertThat(e.code()).isEqualTo(BrokerError.UNKNOWN_VENDOR));
    assertThat(broker.totals().moneyInMillicents()).isZero();
  }

  private Payment pay(Scrip brokerScrip, CustomerSecret secret, Nonce nonce, String body) {
    return Payer.signed(
        brokerScrip,
        secret,
        nonce,
        RequestDescriptor.of(
            ORIGIN, "POST", "/broker/vendor-scrip", body.getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void buyVendorScrip_withBrokerScrip_givesVendorScripAndChangeInBrokerScrip() {
    Registration alice = broker.register("alice");
    Scrip bs = broker.sellBrokerScrip(alice.customer().id(), 5_000, null);
    Nonce nonce = Nonce.random(random);
    ScripPurchase bought =
        broker.buyVendorScrip(pay(bs, alice.secret(), nonce, "a"), "venetia", 2_000);
    assertThat(bought.sale().scrip().valueMillicents()).isEqualTo(2_000);
    Scrip change = bought.purchase().change().orElseThrow();
    assertThat(change.vendor()).isEqualTo("bob");
    assertThat(change.valueMillicents()).isEqualTo(3_000);
    BookTotals t = broker.totals();
    assertThat(t.moneyInMillicents()).isEqualTo(5_000);
    assertThat(t.outstandingMillicents()).isEqualTo(5_000);
    assertConserved();

    // An identical retry returns the same scrip and change.
    ScripPurchase retry =
        broker.buyVendorScrip(pay(bs, alice.secret(), nonce, "a"), "venetia", 2_000);
    assertThat(retry.sale().scrip()).isEqualTo(bought.sale().scrip());
    assertThat(retry.purchase().change()).contains(change);

    // Another request with the same broker scrip is a replay of spent scrip.
    assertThatThrownBy(
            () ->
                broker.buyVendorScrip(
                    pay(bs, alice.secret(), Nonce.random(random), "a"), "venetia", 2_000))
        .isInstanceOf(SpentException.class);
    assertThat(broker.totals()).isEqualTo(t);

    // The change pays in turn.
    ScripPurchase withChange =
        broker.buyVendorScrip(
            pay(change, alice.secret(), Nonce.random(random), "b"), "venetia", 3_000);
    assertThat(withChange.purchase().change()).isEmpty();
    assertConserved();
  }

  @Test
  void buyVendorScrip_insufficientOrUnknownVendor_consumesNothing() {
    Registration alice = broker.register("alice");
    Scrip bs = broker.sellBrokerScrip(alice.customer().id(), 1_000, null);
    assertThatThrownBy(
            () ->
                broker.buyVendorScrip(
                    pay(bs, alice.secret(), Nonce.random(random), "a"), "venetia", 1_001))
        .isInstanceOf(InsufficientValueException.class);
    assertThatThrownBy(
            () ->
                broker.buyVendorScrip(
                    pay(bs, alice.secret(), Nonce.random(random), "a"), "nobody", 500))
        .isInstanceOfSatisfying(
            BrokerException.class, e -> assertThat(e.code()).isEqualTo(BrokerError.UNKNOWN_VENDOR));
    ScripPurchase ok =
        broker.buyVendorScrip(pay(bs, alice.secret(), Nonce.random(random), "a"), "venetia", 1_000);
    assertThat(ok.sale().scrip().valueMillicents()).isEqualTo(1_000);
    assertConserved();
  }

  @Test
  void settle_paysEachIssuedIdOnceAtTheDiscount_andRejectsTheRest() {
    long alice = broker.register("alice").customer().id();
    Scrip a = broker.sellVendorScrip(alice, "venetia", 10_000, null).scrip();
    Scrip b = broker.sellVendorScrip(alice, "venetia", 999, null).scrip();
    long neverIssued = new ScripId(LicensingVendor.LICENSED_KEY, 123_456).toLong();

    SettlementResult r =
        broker.settle("venetia", List.of(a.id().toLong(), a.id().toLong(), neverIssued));
    assertThat(r.accepted()).containsExactly(a.id().toLong());
    assertThat(r.paidMillicents()).isEqualTo(9_500);
    assertThat(r.rejected())
        .containsExactly(
            new SettlementResult.Rejection(a.id().toLong(), BrokerError.ALREADY_SETTLED),
            new SettlementResult.Rejection(neverIssued, BrokerError.NOT_ISSUED));
    BookTotals t = broker.totals();
    assertThat(t.outstandingMillicents()).isEqualTo(999);
    assertThat(t.redeemedMillicents()).isEqualTo(10_000);
    assertConserved();

    SettlementResult again = broker.settle("venetia", List.of(a.id().toLong()));
    assertThat(again.paidMillicents()).isZero();
    assertThat(broker.totals()).isEqualTo(t);

    SettlementResult second = broker.settle("venetia", List.of(b.id().toLong()));
    assertThat(second.paidMillicents()).isEqualTo(949); // 999 x 0.95 = 949.05, rounded down
    VendorStatement vs = broker.vendorStatement("venetia", null);
    assertThat(vs.payableMillicents()).isEqualTo(9_500 + 949);
    assertThat(vs.settledPieces()).isEqualTo(2);
    assertThat(vs.soldMillicents()).isEqualTo(10_999);
    assertConserved();
  }

  @Test
  void settle_onlyNeverIssuedScrip_isRejectedAndTheBooksAreUnchanged() {
    long alice = broker.register("alice").customer().id();
    broker.sellVendorScrip(alice, "venetia", 1_000, null);
    BookTotals before = broker.totals();
    SettlementResult r =
        broker.settle("venetia", List.of(new ScripId(LicensingVendor.LICENSED_KEY, 77).toLong()));
    assertThat(r.accepted()).isEmpty();
    assertThat(r.rejected())
        .extracting(SettlementResult.Rejection::reason)
        .containsExactly(BrokerError.NOT_ISSUED);
    assertThat(broker.totals()).isEqualTo(before);
  }

  @Test
  void closeStatements_collectsWhatTheLastPeriodCharged() {
    long alice = broker.register("alice").customer().id();
    broker.sellBrokerScrip(alice, 4_000, null);
    broker.sellVendorScrip(alice, "venetia", 1_000, null);
    Statement march = broker.statement(alice, "2026-03");
    assertThat(march.totalChargedMillicents()).isEqualTo(5_000);
    assertThat(march.charges())
        .containsExactly(
            new Statement.VendorCharges("bob", 1, 4_000),
            new Statement.VendorCharges("venetia", 1, 1_000));
    assertThat(broker.closeStatements(clock.instant())).isEmpty();

    clock.set(Instant.parse("2026-04-02T00:00:00Z"));
    var closed = broker.closeStatements(clock.instant());
    assertThat(closed).hasSize(1);
    assertThat(closed.getFirst().collectedMillicents()).isEqualTo(5_000);
    assertThat(broker.account(alice).balanceMillicents()).isZero();
    assertThat(broker.statement(alice, "2026-03").closed()).isTrue();
    assertThat(broker.closeStatements(clock.instant())).isEmpty();
    assertConserved();
  }

  @Test
  void join_sellsTheVendorsScripAtOnce_keepsItAcrossAReopen_andNeverReplacesIt() {
    LicensingVendor walter = new LicensingVendor("walter", "bob", 0, clock);
    VendorJoin join =
        new VendorJoin(
            "walter",
            URI.create("http://127.0.0.1:8082"),
            List.of(),
            "bob-token-at-walter-0123456789",
            0,
            walter.licence);
    assertThat(broker.join(join)).isTrue();
    long alice = broker.register("alice").customer().id();
    Scrip first = broker.sellVendorScrip(alice, "walter", 100, null).scrip();
    assertThat(first.vendor()).isEqualTo("walter");
    assertThat(first.id().keyId()).isEqualTo(LicensingVendor.LICENSED_KEY);
    reopen();

    assertThat(broker.vendors()).extracting(VendorConfig::vendor).contains("venetia", "walter");
    assertThat(broker.sellVendorScrip(alice, "walter", 100, null).scrip().id().serial())
        .isGreaterThan(first.id().serial());
    assertThat(broker.join(join.withUrl(URI.create("http://127.0.0.1:8083")))).isFalse();
    assertThat(broker.vendor("walter").orElseThrow().url())
        .isEqualTo(URI.create("http://127.0.0.1:8083"));

    // The impostor's licence has walter's licence id with other keys: a licence never changes in
    // place. A configured vendor's name is never taken.
    LicensingVendor impostor = new LicensingVendor("walter", "bob", 0, clock);
    assertThatThrownBy(() -> broker.join(join.withLicence(impostor.licence)))
        .isInstanceOfSatisfying(
            BrokerException.class,
            e -> assertThat(e.code()).isEqualTo(BrokerError.LICENCE_CONFLICT));
    assertThatThrownBy(
            () ->
                broker.join(
                    new VendorJoin(
                        "venetia",
                        join.url(),
                        List.of(),
                        join.token(),
                        venetia.licence.discountBps(),
                        venetia.licence)))
        .isInstanceOfSatisfying(
            BrokerException.class, e -> assertThat(e.code()).isEqualTo(BrokerError.VENDOR_EXISTS));
    assertThat(
            broker
                .licences()
                .get("walter")
                .orElseThrow()
                .keys()
                .get(LicensingVendor.LICENSED_KEY)
                .sameAs(walter.licence.keys().get(LicensingVendor.LICENSED_KEY)))
        .isTrue();
    assertConserved();
  }

  @Test
  void reopen_keepsBalancesSpentScripAndSerials() {
    Registration alice = broker.register("alice");
    Scrip bs = broker.sellBrokerScrip(alice.customer().id(), 5_000, null);
    Payment p = pay(bs, alice.secret(), Nonce.random(random), "x");
    broker.buyVendorScrip(p, "venetia", 5_000);
    Scrip v1 = broker.sellVendorScrip(alice.customer().id(), "venetia", 100, null).scrip();
    BookTotals before = broker.totals();
    reopen();

    assertThat(broker.totals()).isEqualTo(before);
    assertThatThrownBy(
            () ->
                broker.buyVendorScrip(
                    pay(bs, alice.secret(), Nonce.random(random), "y"), "venetia", 10))
        .isInstanceOf(SpentException.class);
    Scrip v2 = broker.sellVendorScrip(alice.customer().id(), "venetia", 100, null).scrip();
    assertThat(v2.id().serial()).isGreaterThan(v1.id().serial());
    assertThat(broker.account(alice.customer().id()).balanceMillicents()).isEqualTo(-5_200);
    assertConserved();
  }

  @Test
  void licenceFile_isReadAtOpenAndKeptInTheBooks() throws Exception {
    Path file = dir.resolve("walter.licence");
    LicensingVendor walter = new LicensingVendor("walter", "bob", 250, clock);
    java.nio.file.Files.write(
        file,
        new com.fasterxml.jackson.databind.ObjectMapper()
            .writeValueAsBytes(walter.licence.toJson()));
    BrokerConfig withFile =
        config()
            .withVendor(
                VendorConfig.licensed("walter", URI.create("http://127.0.0.1:2"), "t", null, 250)
                    .withLicenceFile(file));
    reopen(withFile);
    assertThat(broker.licences().get("walter")).isPresent();
    long alice = broker.register("alice").customer().id();
    VendorScripSale sale = broker.sellVendorScrip(alice, "walter", 500, null);
    assertThat(sale.scrip().id().keyId()).isEqualTo(LicensingVendor.LICENSED_KEY);
    assertThat(broker.settle("walter", List.of(sale.scrip().id().toLong())).paidMillicents())
        .isEqualTo(487); // 500 x 0.975 = 487.5, rounded down
    assertConserved();
  }

  @Test
  void settle_sameIdsFromManyThreadsAtOnce_paysEachOnce() throws Exception {
    long alice = broker.register("alice").customer().id();
    List<Long> ids = new java.util.ArrayList<>();
    for (int i = 0; i < 20; i++) {
      ids.add(broker.sellVendorScrip(alice, "venetia", 1_000, null).scrip().id().toLong());
    }
    List<java.util.concurrent.Future<SettlementResult>> results = new java.util.ArrayList<>();
    try (var pool = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
      for (int t = 0; t < 8; t++) {
        results.add(pool.submit(() -> broker.settle("venetia", ids)));
      }
    }
    long paid = 0;
    long accepted = 0;
    for (var f : results) {
      paid += f.get().paidMillicents();
      accepted += f.get().accepted().size();
    }
    assertThat(accepted).isEqualTo(20);
    assertThat(paid).isEqualTo(20 * 950);
    assertThat(broker.vendorStatement("venetia", null).payableMillicents()).isEqualTo(20 * 950);
    assertConserved();
  }

  @Test
  void sellBrokerScrip_sameRequestFromManyThreadsAtOnce_isChargedOnce() throws Exception {
    long alice = broker.register("alice").customer().id();
    byte[] key = new byte[16];
    random.nextBytes(key);
    List<java.util.concurrent.Future<Scrip>> results = new java.util.ArrayList<>();
    try (var pool = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
      for (int t = 0; t < 8; t++) {
        results.add(pool.submit(() -> broker.sellBrokerScrip(alice, 5_000, key)));
      }
    }
    Scrip first = results.getFirst().get();
    for (var f : results) {
      assertThat(f.get()).isEqualTo(first);
    }
    assertThat(broker.account(alice).balanceMillicents()).isEqualTo(-5_000);
    assertConserved();
  }

  @Test
  void statement_badPeriod_isBadRequest() {
    long alice = broker.register("alice").customer().id();
    assertThatThrownBy(() -> broker.statement(alice, "March"))
        .isInstanceOfSatisfying(
            BrokerException.class, e -> assertThat(e.code()).isEqualTo(BrokerError.BAD_REQUEST));
    clock.advance(Duration.ZERO);
  }
}
