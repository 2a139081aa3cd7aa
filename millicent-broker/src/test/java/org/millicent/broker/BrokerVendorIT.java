package org.millicent.broker;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.millicent.broker.books.BookTotals;
import org.millicent.keys.CustomerSecret;
import org.millicent.protocol.AuthParams;
import org.millicent.protocol.Nonce;
import org.millicent.protocol.Payer;
import org.millicent.protocol.PaymentHeader;
import org.millicent.protocol.RequestDescriptor;
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
  private static final String BOB_AT_WALTER = "bob-token-at-walter-0123456789";
  private static final String VENETIA_ADMIN = "venetia-admin-token-0123456789";
  private static final String PAGE = "/pages/haiku.html";

  @TempDir Path dir;

  private final SecureRandom random = new SecureRandom();
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
    walter =
        VendorServer.start(
            org.millicent.vendor.config.VendorConfig.sampleBuilder()
                .vendor("walter")
                .port(0)
                .broker(
                    new org.millicent.vendor.config.BrokerConfig(
                        "bob", brokerPlaceholder, BOB_AT_WALTER, 7, 300))
                .build(),
            dir.resolve("walter"));
    BrokerConfig config =
        BrokerConfig.defaults()
            .withBrokerId("bob")
            .withListen("127.0.0.1", 0)
            .withVendor(
                VendorConfig.licensed("venetia", venetia.url(), BOB_AT_VENETIA, VENETIA_ADMIN, 500))
            .withVendor(
                VendorConfig.warehouse("walter", walter.url(), BOB_AT_WALTER, null, 300, 10, 100));
    broker = BrokerServer.start(config, dir.resolve("bob"));
    http = new HttpClientSupport(broker.url());
  }

  @AfterEach
  void stop() {
    broker.close();
    walter.close();
    venetia.close();
  }

  private record Customer(long id, CustomerSecret secret) {}

  private Customer register() {
    JsonNode r = http.send("POST", "/broker/accounts", "{\"name\":\"alice\"}", null).json();
    return new Customer(
        Long.parseUnsignedLong(r.get("customer_id").asText()),
        CustomerSecret.of(Base64.getUrlDecoder().decode(r.get("customer_secret").asText())));
  }

  private record Bought(Scrip scrip, CustomerSecret vendorSecret) {}

  private Bought buy(Customer c, String vendor, long amount) {
    HttpClientSupport.Reply r =
        http.account(
            "POST",
            "/broker/vendor-scrip",
            "{\"vendor\":\"" + vendor + "\",\"amount_millicents\":" + amount + "}",
            c.id(),
            c.secret());
    assertThat(r.status()).as("%s", r.json()).isEqualTo(200);
    long at = Long.parseUnsignedLong(r.json().get("customer_id").asText());
    CustomerSecret vendorSecret =
        Payer.openSecret(
            c.secret(),
            vendor,
            at,
            Base64.getUrlDecoder().decode(r.json().get("sealed_customer_secret").asText()));
    return new Bought(ScripCodec.fromToken(r.json().get("scrip").asText()), vendorSecret);
  }

  /** Pays for the page at the vendor; returns the change. */
  private Scrip spend(VendorServer vendor, Bought b) {
    HttpClientSupport vendorHttp = new HttpClientSupport(vendor.url());
    RequestDescriptor req = vendorHttp.descriptor("GET", PAGE, new byte[0]);
    var payment = Payer.signed(b.scrip(), b.vendorSecret(), Nonce.random(random), req);
    HttpClientSupport.Reply r = vendorHttp.send("GET", PAGE, null, PaymentHeader.format(payment));
    assertThat(r.status()).isEqualTo(200);
    Map<String, String> receipt =
        AuthParams.parse(r.raw().headers().firstValue("Millicent-Receipt").orElseThrow());
    return ScripCodec.fromToken(receipt.get("change"));
  }

  @Test
  void licensedScrip_isSpentAtTheVendorAndSettledOnce() {
    Customer alice = register();
    Bought b = buy(alice, "venetia", 1_000);
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
    Customer alice = register();
    Bought b = buy(alice, "walter", 300);
    assertThat(b.scrip().valueMillicents()).isEqualTo(300);
    Scrip change = spend(walter, b);
    assertThat(change.valueMillicents()).isEqualTo(200);

    Bought again = buy(alice, "walter", 200);
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
