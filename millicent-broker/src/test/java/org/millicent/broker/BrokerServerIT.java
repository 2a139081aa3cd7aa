package org.millicent.broker;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.millicent.keys.CustomerSecret;
import org.millicent.protocol.AuthParams;
import org.millicent.protocol.Authority;
import org.millicent.protocol.Nonce;
import org.millicent.protocol.Payer;
import org.millicent.protocol.Payment;
import org.millicent.protocol.PaymentHeader;
import org.millicent.protocol.RequestDescriptor;
import org.millicent.purchase.Pricer;
import org.millicent.scrip.Scrip;
import org.millicent.scrip.ScripCodec;
import org.millicent.scrip.ScripId;

/** The broker over real HTTP on port 0, alone (the vendor's side is played by the core). */
class BrokerServerIT {
  @TempDir Path dir;

  private final SecureRandom random = new SecureRandom();
  private BrokerServer server;
  private HttpClientSupport http;
  private LicensingVendor venetia;

  @BeforeEach
  void start() throws Exception {
    server = BrokerServer.start(BobSellsVenetia.config(), dir.resolve("new/data"));
    http = new HttpClientSupport(server.url());
    venetia = new LicensingVendor("venetia", "bob", 500, java.time.InstantSource.system());
    HttpClientSupport.Reply r =
        http.send(
            "POST",
            "/broker/admin/licences",
            HttpClientSupport.JSON.writeValueAsString(venetia.licence.toJson()),
            "Bearer " + server.adminToken());
    assertThat(r.status()).isEqualTo(200);
  }

  /** {@code /health} is not "up" once the store lost what the books need (issue 12, part 6). */
  @Test
  void health_isDown_whenTheStoreLosesItsTables() throws Exception {
    assertThat(http.send("GET", "/health", null, null).status()).isEqualTo(200);
    try (java.sql.Connection c =
            java.sql.DriverManager.getConnection(
                "jdbc:sqlite:" + dir.resolve("new/data").resolve(BrokerServer.DATABASE_FILE));
        java.sql.Statement s = c.createStatement()) {
      s.execute("DROP TABLE broker_meta");
    }
    HttpClientSupport.Reply health = http.send("GET", "/health", null, null);
    assertThat(health.status()).isEqualTo(503);
    assertThat(health.json().get("database").asText()).isEqualTo("down");
  }

  /**
   * A database failure answers 503 with the storage code only: the driver's text, the SQL and the
   * file's path stay in the log (issue 14).
   */
  @Test
  void databaseFailure_answers503_withoutPathSqlOrDriverText() throws Exception {
    Path file = dir.resolve("new/data").resolve(BrokerServer.DATABASE_FILE);
    try (java.sql.Connection c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + file);
        java.sql.Statement s = c.createStatement()) {
      s.execute("DROP TABLE customers");
    }
    HttpClientSupport.Reply r = http.send("POST", "/broker/accounts", "{\"name\":\"alice\"}", null);
    assertThat(r.status()).isEqualTo(503);
    assertThat(r.json().get("code").asText()).isEqualTo("storage-unavailable");
    HttpClientSupport.Reply health = http.send("GET", "/health", null, null);
    assertThat(health.status()).isEqualTo(503);
    for (String text :
        List.of(r.json().get("detail").asText(), health.json().get("books").asText())) {
      assertThat(text)
          .contains("storage failed")
          .doesNotContain(dir.toString())
          .doesNotContain(BrokerServer.DATABASE_FILE)
          .doesNotContainIgnoringCase("customers")
          .doesNotContainIgnoringCase("insert")
          .doesNotContainIgnoringCase("select")
          .doesNotContainIgnoringCase("sqlite")
          .doesNotContainIgnoringCase("statement");
    }
  }

  @Test
  void dataFolder_andItsMissingParents_areCreatedReadableByTheOwnerOnly() throws Exception {
    for (Path p : List.of(dir.resolve("new/data"), dir.resolve("new"))) {
      assertThat(
              java.nio.file.attribute.PosixFilePermissions.toString(
                  java.nio.file.Files.getPosixFilePermissions(p)))
          .as(p.toString())
          .isEqualTo("rwx------");
    }
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void wellKnownHealthAndMetrics_describeTheBroker() {
    JsonNode wk = http.send("GET", "/.well-known/millicent", null, null).json();
    assertThat(wk.get("broker").asText()).isEqualTo("bob");
    assertThat(wk.get("vendors").get(0).get("supply").asText()).isEqualTo("licensed");
    assertThat(wk.get("vendors").get(0).get("discount_bps").asInt()).isEqualTo(500);
    assertThat(wk.get("vendors").get(0).get("public_urls"))
        .extracting(JsonNode::asText)
        .containsExactly("http://127.0.0.1:9");
    assertThat(http.send("GET", "/health", null, null).status()).isEqualTo(200);
    HttpClientSupport.Reply m = http.send("GET", "/metrics", null, null);
    assertThat(m.status()).isEqualTo(200);
    assertThat(new String(m.raw().body(), StandardCharsets.UTF_8))
        .contains("millicent_broker_accounts");
  }

  @Test
  void accountRequests_buyBrokerAndVendorScrip_andRetriesAreChargedOnce() {
    HttpClientSupport.Registered a = http.register("alice");
    String target = "/broker/accounts/" + Long.toUnsignedString(a.id());
    JsonNode view = http.account("GET", target, null, a.id(), a.secret()).json();
    assertThat(view.get("available_millicents").asLong()).isEqualTo(1_000_000);

    Nonce n = Nonce.random(random);
    String body = "{\"amount_millicents\":5000}";
    HttpClientSupport.Reply bought =
        http.account("POST", "/broker/scrip", body, a.id(), a.secret(), n);
    assertThat(bought.status()).isEqualTo(200);
    Scrip bs = ScripCodec.fromToken(bought.json().get("scrip").asText());
    assertThat(bs.vendor()).isEqualTo("bob");
    HttpClientSupport.Reply retry =
        http.account("POST", "/broker/scrip", body, a.id(), a.secret(), n);
    assertThat(retry.json().get("scrip").asText()).isEqualTo(bs.token());

    HttpClientSupport.VendorScrip vs = http.buyVendorScrip(a, "venetia", 2_000);
    venetia.purchases.pay(
        Payer.signed(
            vs.scrip(),
            vs.vendorSecret(),
            Nonce.random(random),
            RequestDescriptor.of(Authority.of("https", "venetia.example", -1), "GET", "/x", null)),
        Pricer.fixed(2_000));

    view = http.account("GET", target, null, a.id(), a.secret()).json();
    assertThat(view.get("balance_millicents").asLong()).isEqualTo(-7_000);
    JsonNode st = http.account("GET", target + "/statement", null, a.id(), a.secret()).json();
    assertThat(st.get("total_charged_millicents").asLong()).isEqualTo(7_000);
  }

  @Test
  void requestsMacdForAnotherOrigin_areRefusedAtTheBroker_andChargeNothing() {
    // Issue 12 part 3: headers a server that only claims to be the broker captured and relayed.
    HttpClientSupport.Registered a = http.register("alice");
    String target = "/broker/accounts/" + Long.toUnsignedString(a.id());
    HttpClientSupport impostor = new HttpClientSupport(URI.create("http://127.0.0.1:1"));
    String body = "{\"amount_millicents\":5000}";
    String relayed =
        impostor.accountHeader(
            a.id(),
            a.secret(),
            "POST",
            "/broker/scrip",
            body.getBytes(StandardCharsets.UTF_8),
            Nonce.random(random));
    HttpClientSupport.Reply r = http.send("POST", "/broker/scrip", body, relayed);
    assertThat(r.status()).isEqualTo(401);
    assertThat(r.code()).isEqualTo("unauthorized");
    assertThat(
            http.account("GET", target, null, a.id(), a.secret())
                .json()
                .get("balance_millicents")
                .asLong())
        .as("nothing was charged")
        .isZero();

    Scrip bs =
        ScripCodec.fromToken(
            http.account("POST", "/broker/scrip", body, a.id(), a.secret())
                .json()
                .get("scrip")
                .asText());
    String buy = "{\"vendor\":\"venetia\",\"amount_millicents\":1500}";
    byte[] buyBytes = buy.getBytes(StandardCharsets.UTF_8);
    Payment.Signed elsewhere =
        Payer.signed(
            bs,
            a.secret(),
            Nonce.random(random),
            impostor.descriptor("POST", "/broker/vendor-scrip", buyBytes));
    HttpClientSupport.Reply refused =
        http.send("POST", "/broker/vendor-scrip", buy, PaymentHeader.format(elsewhere));
    assertThat(refused.status()).isEqualTo(402);
    assertThat(refused.code()).isEqualTo("wrong-customer");
    Payment.Signed here =
        Payer.signed(
            bs,
            a.secret(),
            Nonce.random(random),
            http.descriptor("POST", "/broker/vendor-scrip", buyBytes));
    assertThat(http.send("POST", "/broker/vendor-scrip", buy, PaymentHeader.format(here)).status())
        .as("the broker scrip was not consumed")
        .isEqualTo(200);
  }

  @Test
  void vendorScrip_paidWithBrokerScrip_carriesChangeAndAReplyMac() throws Exception {
    HttpClientSupport.Registered a = http.register("alice");
    Scrip bs =
        ScripCodec.fromToken(
            http.account(
                    "POST", "/broker/scrip", "{\"amount_millicents\":5000}", a.id(), a.secret())
                .json()
                .get("scrip")
                .asText());
    String body = "{\"vendor\":\"venetia\",\"amount_millicents\":1500}";
    RequestDescriptor req =
        http.descriptor("POST", "/broker/vendor-scrip", body.getBytes(StandardCharsets.UTF_8));
    Payment.Signed p = Payer.signed(bs, a.secret(), Nonce.random(random), req);
    HttpClientSupport.Reply r =
        http.send("POST", "/broker/vendor-scrip", body, PaymentHeader.format(p));
    assertThat(r.status()).isEqualTo(200);
    Map<String, String> receipt =
        AuthParams.parse(r.raw().headers().firstValue("Millicent-Receipt").orElseThrow());
    byte[] change = Base64.getUrlDecoder().decode(receipt.get("change"));
    var verified =
        Payer.verifySignedReply(
            a.secret(),
            p.mac(),
            200,
            change,
            RequestDescriptor.digest(r.raw().body()),
            Base64.getUrlDecoder().decode(receipt.get("mac")));
    assertThat(verified.orElseThrow().valueMillicents()).isEqualTo(3_500);

    // The same scrip in another request is refused as spent, with the offer repeated.
    Payment.Signed again = Payer.signed(bs, a.secret(), Nonce.random(random), req);
    HttpClientSupport.Reply spent =
        http.send("POST", "/broker/vendor-scrip", body, PaymentHeader.format(again));
    assertThat(spent.status()).isEqualTo(402);
    assertThat(spent.code()).isEqualTo("spent");
    assertThat(spent.raw().headers().firstValue("WWW-Authenticate"))
        .get()
        .asString()
        .contains("price=1500");
  }

  @Test
  void badInput_getsClearCodes() {
    HttpClientSupport.Registered a = http.register("alice");
    assertThat(
            http.account(
                    "POST",
                    "/broker/vendor-scrip",
                    "{\"vendor\":\"nobody\",\"amount_millicents\":10}",
                    a.id(),
                    a.secret())
                .code())
        .isEqualTo("unknown-vendor");
    assertThat(
            http.account("POST", "/broker/scrip", "{\"amount_millicents\":-5}", a.id(), a.secret())
                .code())
        .isEqualTo("bad-amount");
    assertThat(
            http.account(
                    "POST",
                    "/broker/scrip",
                    "{\"amount_millicents\":99999999999999999999999}",
                    a.id(),
                    a.secret())
                .code())
        .isEqualTo("bad-amount");
    assertThat(
            http.account(
                    "POST", "/broker/scrip", "{\"amount_millicents\":2000000}", a.id(), a.secret())
                .code())
        .isEqualTo("credit-limit");
    CustomerSecret wrong = CustomerSecret.of(new byte[32]);
    HttpClientSupport.Reply forged =
        http.account("POST", "/broker/scrip", "{\"amount_millicents\":5}", a.id(), wrong);
    assertThat(forged.status()).isEqualTo(401);
    assertThat(forged.code()).isEqualTo("unauthorized");
    HttpClientSupport.Reply unpaid =
        http.send(
            "POST",
            "/broker/vendor-scrip",
            "{\"vendor\":\"venetia\",\"amount_millicents\":5}",
            null);
    assertThat(unpaid.status()).isEqualTo(402);
    assertThat(unpaid.code()).isEqualTo("payment-required");
    assertThat(
            http.send(
                    "POST", "/broker/accounts/1/topup", "{\"amount_millicents\":5}", "Bearer nope")
                .code())
        .isEqualTo("unauthorized");
    JsonNode books =
        http.send("GET", "/broker/admin/books", null, "Bearer " + server.adminToken()).json();
    assertThat(books.get("money_in_millicents").asLong()).isZero();
    assertThat(books.get("conserved").asBoolean()).isTrue();
  }

  @Test
  void settlements_payOncePerIdAndRejectScripNeverIssued() {
    HttpClientSupport.Registered a = http.register("alice");
    Scrip v =
        ScripCodec.fromToken(
            http.account(
                    "POST",
                    "/broker/vendor-scrip",
                    "{\"vendor\":\"venetia\",\"amount_millicents\":2000}",
                    a.id(),
                    a.secret())
                .json()
                .get("scrip")
                .asText());
    String id = Long.toUnsignedString(v.id().toLong());
    String never = Long.toUnsignedString(new ScripId(200, 999_999).toLong());
    String body = "{\"vendor\":\"venetia\",\"scrip_ids\":[\"" + id + "\",\"" + never + "\"]}";
    assertThat(http.send("POST", "/broker/settlements", body, "Bearer wrong").status())
        .isEqualTo(401);
    HttpClientSupport.Reply r =
        http.send("POST", "/broker/settlements", body, BobSellsVenetia.SETTLES);
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.json().get("paid_millicents").asLong()).isEqualTo(1_900);
    assertThat(r.json().get("accepted").get(0).asText()).isEqualTo(id);
    assertThat(r.json().get("rejected").get(0).get("code").asText()).isEqualTo("not-issued");
    HttpClientSupport.Reply again =
        http.send("POST", "/broker/settlements", body, BobSellsVenetia.SETTLES);
    assertThat(again.json().get("paid_millicents").asLong()).isZero();
    assertThat(again.json().get("rejected").get(0).get("code").asText())
        .isEqualTo("already-settled");
    JsonNode vendors =
        http.send("GET", "/broker/admin/vendors", null, "Bearer " + server.adminToken()).json();
    assertThat(vendors.get("vendors").get(0).get("statement").get("payable_millicents").asLong())
        .isEqualTo(1_900);
    assertThat(Instant.now()).isNotNull();
  }

  @Test
  void settlements_theLargestAllowedClaimFitsTheBodyLimit_oneMoreIdIsBadRequest() {
    // The longest IDs (20 digits) make the largest body: the cap must fit under the server's
    // 1 000 000-byte body limit, or a full claim would be refused as content-too-large.
    String longest = Long.toUnsignedString(-1L);
    StringBuilder ids = new StringBuilder();
    for (int i = 0; i < Broker.MAX_SETTLEMENT_IDS; i++) {
      ids.append(i == 0 ? "" : ",").append('"').append(longest).append('"');
    }
    String full = "{\"vendor\":\"venetia\",\"scrip_ids\":[" + ids + "]}";
    HttpClientSupport.Reply r =
        http.send("POST", "/broker/settlements", full, BobSellsVenetia.SETTLES);
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.json().get("paid_millicents").asLong()).isZero();
    String oneMore = "{\"vendor\":\"venetia\",\"scrip_ids\":[" + ids + ",\"" + longest + "\"]}";
    HttpClientSupport.Reply over =
        http.send("POST", "/broker/settlements", oneMore, BobSellsVenetia.SETTLES);
    assertThat(over.status()).isEqualTo(400);
    assertThat(over.code()).isEqualTo("bad-request");
  }
}
