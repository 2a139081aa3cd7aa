package org.millicent.broker;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.millicent.broker.books.BookTotals;
import org.millicent.protocol.AuthParams;
import org.millicent.protocol.Headers;
import org.millicent.scrip.Scrip;
import org.millicent.scrip.ScripCodec;
import org.millicent.vendor.VendorServer;

/**
 * A real broker and two real vendor gateways on port 0: venetia licenses the broker, walter sells
 * it lots for its warehouse. A customer registers at the broker, buys scrip of both, spends it at
 * the vendors, and the broker settles with venetia from venetia's received report.
 */
class BrokerVendorIT {
  private static final String BOB_AT_VENETIA = "bob-token-at-venetia-0123456789";
  private static final String VENETIA_ADMIN = "venetia-admin-token-0123456789";
  private static final String PAGE = "/pages/haiku.html";

  @TempDir Path dir;

  private VendorServer venetia;
  private VendorServer walter;
  private BrokerServer broker;
  private HttpClientSupport http;

  @BeforeEach
  void start() {
    URI brokerPlaceholder = URI.create("http://127.0.0.1:8081");
    venetia =
        VendorServer.start(
            org.millicent.vendor.config.VendorConfig.sampleBuilder()
                .vendor("venetia")
                .port(0)
                .adminToken(VENETIA_ADMIN)
                .broker(
                    new org.millicent.vendor.config.BrokerConfig(
                        "bob", brokerPlaceholder, BOB_AT_VENETIA, 5, 500))
                .build(),
            dir.resolve("venetia"));
    walter = Walter.start(dir.resolve("walter"));
    BrokerConfig config =
        BrokerConfig.defaults()
            .withBrokerId("bob")
            .withListen("127.0.0.1", 0)
            .withVendor(
                VendorConfig.licensed("venetia", venetia.url(), BOB_AT_VENETIA, VENETIA_ADMIN, 500))
            .withVendor(Walter.atBob(walter.url()));
    broker = BrokerServer.start(config, dir.resolve("bob"));
    http = new HttpClientSupport(broker.url());
  }

  @AfterEach
  void stop() {
    broker.close();
    walter.close();
    venetia.close();
  }

  /** Pays for the page at the vendor; returns the change. */
  private static Scrip spend(VendorServer vendor, HttpClientSupport.VendorScrip b) {
    HttpClientSupport.Reply r = HttpClientSupport.pay(vendor.url(), PAGE, b);
    assertThat(r.status()).isEqualTo(200);
    Map<String, String> receipt =
        AuthParams.parse(r.raw().headers().firstValue(Headers.RECEIPT).orElseThrow());
    return ScripCodec.fromToken(receipt.get("change"));
  }

  @Test
  void licensedScrip_isSpentAtTheVendorAndSettledOnce() {
    HttpClientSupport.Registered alice = http.register("alice");
    HttpClientSupport.VendorScrip b = http.buyVendorScrip(alice, "venetia", 1_000);
    assertThat(b.scrip().id().keyId()).isNotZero();
    Scrip change = spend(venetia, b);
    assertThat(change.valueMillicents()).isEqualTo(900);

    SettlementResult first = broker.settle("venetia");
    assertThat(first.accepted()).containsExactly(b.scrip().id().toLong());
    assertThat(first.paidMillicents()).isEqualTo(950);
    SettlementResult second = broker.settle("venetia");
    assertThat(second.accepted()).isEmpty();
    assertThat(second.paidMillicents()).isZero();

    BookTotals t = broker.broker().totals();
    assertThat(t.conserved()).isTrue();
    assertThat(t.moneyInMillicents()).isEqualTo(1_000);
    assertThat(t.redeemedMillicents()).isEqualTo(1_000);
    assertThat(broker.broker().vendorStatement("venetia", null).payableMillicents()).isEqualTo(950);
  }

  @Test
  void warehouseScrip_isExchangedIntoTheCustomersNameAndSpendable() {
    HttpClientSupport.Registered alice = http.register("alice");
    HttpClientSupport.VendorScrip b = http.buyVendorScrip(alice, "walter", 300);
    assertThat(b.scrip().valueMillicents()).isEqualTo(300);
    Scrip change = spend(walter, b);
    assertThat(change.valueMillicents()).isEqualTo(200);

    HttpClientSupport.VendorScrip again = http.buyVendorScrip(alice, "walter", 200);
    assertThat(again.scrip().customerId()).isEqualTo(b.scrip().customerId());
    BookTotals t = broker.broker().totals();
    assertThat(t.conserved()).isTrue();
    assertThat(t.moneyInMillicents()).isEqualTo(500);
    assertThat(t.redeemedMillicents()).isEqualTo(500);
    // One lot of 10 pieces of 100 was bought at 3 %: walter is owed 970.
    assertThat(broker.broker().vendorStatement("walter", null).payableMillicents()).isEqualTo(970);

    HttpClientSupport.Reply odd =
        http.account(
            "POST",
            "/broker/vendor-scrip",
            "{\"vendor\":\"walter\",\"amount_millicents\":150}",
            alice.id(),
            alice.secret());
    assertThat(odd.code()).isEqualTo("bad-amount");
  }
}
