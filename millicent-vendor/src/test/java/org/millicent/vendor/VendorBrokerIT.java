package org.millicent.vendor;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.millicent.keys.CustomerSecret;
import org.millicent.keys.CustomerSecrets;
import org.millicent.keys.KeyState;
import org.millicent.keys.MasterSecrets;
import org.millicent.keys.SecretBytes;
import org.millicent.protocol.Payer;
import org.millicent.purchase.InMemorySerialAllocator;
import org.millicent.purchase.ScripMinter;
import org.millicent.scrip.Scrip;
import org.millicent.scrip.ScripCodec;
import org.millicent.scrip.ScripProperties;
import org.millicent.vendor.config.BrokerConfig;
import org.millicent.vendor.config.VendorConfig;
import org.millicent.vendor.testing.OwnCustomer;
import org.millicent.vendor.testing.TestHttp;

/** The broker-facing and admin endpoints: warehouse, exchange, licences and the received report. */
class VendorBrokerIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String BOB_TOKEN = "bob-token-0123456789abcdef";
  private static final String CAROL_TOKEN = "carol-token-0123456789abcdef";
  private static final String ADMIN = "admin-token-0123456789abcdef";
  private static final long BOB_AT_VENDOR = 5;

  @TempDir static Path dir;
  static VendorServer vendor;
  static TestHttp http;

  @BeforeAll
  static void start() {
    vendor =
        VendorServer.start(
            VendorConfig.sampleBuilder()
                .port(0)
                .adminToken(ADMIN)
                .broker(
                    new BrokerConfig(
                        "bob", URI.create("http://127.0.0.1:8081"), BOB_TOKEN, BOB_AT_VENDOR, 500))
                .broker(
                    new BrokerConfig(
                        "carol", URI.create("http://127.0.0.1:8082"), CAROL_TOKEN, 6, 0))
                .build(),
            dir);
    http = new TestHttp(vendor.url());
  }

  @AfterAll
  static void stop() {
    vendor.close();
  }

  private static JsonNode post(String path, String token, Object body) throws Exception {
    HttpResponse<byte[]> r =
        http.send("POST", path, JSON.writeValueAsBytes(body), "Authorization", "Bearer " + token);
    assertThat(r.statusCode()).as(TestHttp.text(r)).isEqualTo(200);
    return JSON.readTree(r.body());
  }

  private static JsonNode get(String path, String token) throws Exception {
    HttpResponse<byte[]> r = http.get(path, "Authorization", "Bearer " + token);
    assertThat(r.statusCode()).as(TestHttp.text(r)).isEqualTo(200);
    return JSON.readTree(r.body());
  }

  private static List<Scrip> scrip(JsonNode tokens) {
    List<Scrip> out = new ArrayList<>();
    tokens.forEach(t -> out.add(ScripCodec.fromToken(t.asText())));
    return out;
  }

  private static byte[] b64(JsonNode n) {
    return TestHttp.b64(n.asText());
  }

  @Test
  void account_givesTheBrokersCustomerIdAndSecret() throws Exception {
    JsonNode a = get("/millicent/broker/account", BOB_TOKEN);
    assertThat(a.get("broker").asText()).isEqualTo("bob");
    assertThat(a.get("customer_id").asText()).isEqualTo("5");
    assertThat(CustomerSecret.of(b64(a.get("customer_secret"))))
        .isEqualTo(OwnCustomers.of(vendor).customerSecret(BOB_AT_VENDOR));
  }

  @Test
  void warehouse_sellsALotBoundToTheBrokerAtItsDiscount() throws Exception {
    JsonNode lot =
        post(
            "/millicent/broker/warehouse", BOB_TOKEN, Map.of("count", 3, "value_millicents", 1000));
    assertThat(lot.get("amount_due_millicents").asLong()).isEqualTo(2_850);
    assertThat(scrip(lot.get("scrip")))
        .hasSize(3)
        .allSatisfy(
            s -> {
              assertThat(s.valueMillicents()).isEqualTo(1_000);
              assertThat(s.customerId()).isEqualTo(BOB_AT_VENDOR);
            });
  }

  @Test
  void exchange_turnsBrokerScripIntoACustomersWithHerSealedSecret() throws Exception {
    List<Scrip> lot =
        scrip(
            post(
                    "/millicent/broker/warehouse",
                    BOB_TOKEN,
                    Map.of("count", 2, "value_millicents", 1000))
                .get("scrip"));
    Map<String, Object> request =
        Map.of("scrip", lot.stream().map(Scrip::token).toList(), "customer_ref", "alice@bob");
    JsonNode x = post("/millicent/broker/exchange", BOB_TOKEN, request);
    long alice = Long.parseUnsignedLong(x.get("customer_id").asText());
    assertThat(alice >>> 56).isEqualTo(VendorConfig.OWN_CUSTOMER_SELECTOR);
    Scrip hers = scrip(x.get("scrip")).getFirst();
    assertThat(hers.valueMillicents()).isEqualTo(2_000);
    assertThat(hers.customerId()).isEqualTo(alice);
    CustomerSecret secret =
        Payer.openSecret(
            OwnCustomers.of(vendor).customerSecret(BOB_AT_VENDOR),
            "venetia",
            alice,
            b64(x.get("sealed_customer_secret")));
    assertThat(secret).isEqualTo(OwnCustomers.of(vendor).customerSecret(alice));
    // She can spend it.
    assertThat(
            http.pay(
                    http.signed(hers, secret, "GET", "/pages/haiku.html", new byte[0]), new byte[0])
                .statusCode())
        .isEqualTo(200);
    // A retry of the same exchange returns the same scrip; the same ref keeps its customer ID.
    JsonNode again = post("/millicent/broker/exchange", BOB_TOKEN, request);
    assertThat(again.get("scrip")).isEqualTo(x.get("scrip"));
    List<Scrip> more =
        scrip(
            post(
                    "/millicent/broker/warehouse",
                    BOB_TOKEN,
                    Map.of("count", 1, "value_millicents", 500))
                .get("scrip"));
    JsonNode second =
        post(
            "/millicent/broker/exchange",
            BOB_TOKEN,
            Map.of("scrip", List.of(more.getFirst().token()), "customer_ref", "alice@bob"));
    assertThat(second.get("customer_id").asText()).isEqualTo(x.get("customer_id").asText());
  }

  @Test
  void exchange_ofScripNotBoundToTheBroker_isWrongCustomer() throws Exception {
    Scrip hers = OwnCustomer.of(vendor).scrip(1_000);
    HttpResponse<byte[]> r =
        http.send(
            "POST",
            "/millicent/broker/exchange",
            JSON.writeValueAsBytes(Map.of("scrip", List.of(hers.token()), "customer_ref", "x")),
            "Authorization",
            "Bearer " + BOB_TOKEN);
    assertThat(r.statusCode()).isEqualTo(402);
    assertThat(JSON.readTree(r.body()).get("code").asText()).isEqualTo("wrong-customer");
  }

  @Test
  void licence_mintedScripIsAcceptedReportedSettledAndRefusedAfterRevocation() throws Exception {
    JsonNode lic =
        post(
            "/millicent/admin/licences",
            ADMIN,
            Map.of("broker", "bob", "key_ids", 2, "discount_bps", 300));
    assertThat(lic.get("vendor").asText()).isEqualTo("venetia");
    assertThat(lic.get("discount_bps").asInt()).isEqualTo(300);
    JsonNode key = lic.get("key_ids").get(0);
    int keyId = key.get("key_id").asInt();
    int selector = lic.get("customer_selector").asInt();
    assertThat(keyId).isGreaterThanOrEqualTo(128);
    assertThat(selector).isGreaterThanOrEqualTo(128);

    // The broker mints under its key id, for a customer in its selector's space.
    MasterSecrets brokerKeys = new MasterSecrets();
    brokerKeys.put(keyId, SecretBytes.copyOf(b64(key.get("master_secret"))), KeyState.PRIMARY);
    ScripMinter minter = new ScripMinter("venetia", brokerKeys, new InMemorySerialAllocator());
    CustomerSecrets brokerCustomers = new CustomerSecrets();
    brokerCustomers.put(selector, SecretBytes.copyOf(b64(lic.get("customer_master_secret"))));
    long dave = ((long) selector << 56) | 77;
    CustomerSecret daveSecret = brokerCustomers.derive("venetia", dave);
    assertThat(daveSecret).isEqualTo(OwnCustomers.of(vendor).customerSecret(dave));
    Instant exp = Instant.now().plus(Duration.ofHours(1)).truncatedTo(ChronoUnit.SECONDS);
    Scrip licensed = minter.mint(700, dave, exp, ScripProperties.NONE);
    assertThat(
            http.pay(
                    http.signed(licensed, daveSecret, "GET", "/pages/weather.html", new byte[0]),
                    new byte[0])
                .statusCode())
        .isEqualTo(200);

    JsonNode report = get("/millicent/broker/received", BOB_TOKEN);
    assertThat(report.get("broker").asText()).isEqualTo("bob");
    assertThat(report.get("ids").findValuesAsText("scrip_id"))
        .contains(Long.toUnsignedString(licensed.id().toLong()));
    assertThat(get("/millicent/broker/received", CAROL_TOKEN).get("ids")).isEmpty();

    // A mark beyond what any report showed would hide later records from the bill: refused.
    HttpResponse<byte[]> beyond =
        http.send(
            "POST",
            "/millicent/broker/received/settled",
            JSON.writeValueAsBytes(Map.of("upto", report.get("upto").asLong() + 1_000)),
            "Authorization",
            "Bearer " + BOB_TOKEN);
    assertThat(beyond.statusCode()).as(TestHttp.text(beyond)).isEqualTo(400);
    assertThat(JSON.readTree(beyond.body()).get("code").asText()).isEqualTo("bad-request");
    assertThat(get("/millicent/broker/received", BOB_TOKEN).get("ids").findValuesAsText("scrip_id"))
        .contains(Long.toUnsignedString(licensed.id().toLong()));

    post(
        "/millicent/broker/received/settled",
        BOB_TOKEN,
        Map.of("upto", report.get("upto").asLong()));
    assertThat(get("/millicent/broker/received", BOB_TOKEN).get("ids")).isEmpty();

    HttpResponse<byte[]> revoked =
        http.send(
            "DELETE",
            "/millicent/admin/licences/" + lic.get("licence_id").asText(),
            new byte[0],
            "Authorization",
            "Bearer " + ADMIN);
    assertThat(revoked.statusCode()).isEqualTo(200);
    Scrip after = minter.mint(700, dave, exp, ScripProperties.NONE);
    HttpResponse<byte[]> refused =
        http.pay(
            http.signed(after, daveSecret, "GET", "/pages/weather.html", new byte[0]), new byte[0]);
    assertThat(refused.statusCode()).isEqualTo(402);
    assertThat(JSON.readTree(refused.body()).get("code").asText()).isEqualTo("unknown-key");
  }

  @Test
  void licences_getDisjointKeyIdsAndSelectors() throws Exception {
    JsonNode a = post("/millicent/admin/licences", ADMIN, Map.of("broker", "bob", "key_ids", 3));
    JsonNode b = post("/millicent/admin/licences", ADMIN, Map.of("broker", "carol", "key_ids", 3));
    List<String> ka = a.get("key_ids").findValuesAsText("key_id");
    List<String> kb = b.get("key_ids").findValuesAsText("key_id");
    assertThat(ka).doesNotContainAnyElementsOf(kb);
    assertThat(a.get("customer_selector").asInt()).isNotEqualTo(b.get("customer_selector").asInt());
    assertThat(a.get("discount_bps").asInt()).isEqualTo(500); // bob's configured discount
  }

  @Test
  void admin_withABrokerToken_isUnauthorized() throws Exception {
    HttpResponse<byte[]> r =
        http.send(
            "POST",
            "/millicent/admin/licences",
            "{\"broker\":\"bob\"}".getBytes(StandardCharsets.UTF_8),
            "Authorization",
            "Bearer " + BOB_TOKEN);
    assertThat(r.statusCode()).isEqualTo(401);
    assertThat(JSON.readTree(r.body()).get("code").asText()).isEqualTo("unauthorized");
  }

  @Test
  void licence_forAnUnknownBroker_isNotFound() throws Exception {
    HttpResponse<byte[]> r =
        http.send(
            "POST",
            "/millicent/admin/licences",
            "{\"broker\":\"mallory\"}".getBytes(StandardCharsets.UTF_8),
            "Authorization",
            "Bearer " + ADMIN);
    assertThat(r.statusCode()).isEqualTo(404);
  }

  @Test
  void offer_namesTheConfiguredBrokers() {
    assertThat(http.get("/pages/haiku.html").headers().firstValue("WWW-Authenticate").orElseThrow())
        .contains("brokers=\"http://127.0.0.1:8081 http://127.0.0.1:8082\"");
  }
}
