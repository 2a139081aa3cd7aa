package org.millicent.spring.shop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.millicent.servlet.testing.TestMarket.code;
import static org.millicent.servlet.testing.TestMarket.freePort;
import static org.millicent.servlet.testing.TestMarket.own;
import static org.millicent.servlet.testing.TestMarket.receipt;
import static org.millicent.servlet.testing.TestMarket.text;
import static org.millicent.servlet.testing.TestMarket.token;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.millicent.broker.BrokerServer;
import org.millicent.keys.CustomerSecret;
import org.millicent.protocol.AuthParams;
import org.millicent.protocol.Headers;
import org.millicent.protocol.Payment;
import org.millicent.scrip.Scrip;
import org.millicent.scrip.ScripBody;
import org.millicent.servlet.testing.TestMarket;
import org.millicent.servlet.testing.TestMarket.Own;
import org.millicent.vendor.MillicentGateway;
import org.millicent.wallet.Wallet;
import org.millicent.wallet.WalletOptions;
import org.millicent.wallet.http.Request;
import org.millicent.wallet.http.Response;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A Spring Boot application (embedded Tomcat on a real port) with the starter and {@link
 * ShopApplication}'s {@code @Priced} handlers: the Java wallet buys through a real broker that
 * licensed the vendor through the starter's endpoints; the rejection, failure and replay cases of
 * the gateway's ITs; the controller's {@code VerifiedPayment}; Actuator health and metrics.
 */
@SpringBootTest(classes = ShopApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StarterIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Path DIR = tempDir();
  private static final String ADMIN = token();
  private static final String BOB_TOKEN = token();
  private static final URI BOB_URL = URI.create("http://127.0.0.1:" + freePort());

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry p) {
    p.add("server.address", () -> "127.0.0.1");
    p.add("server.max-http-request-header-size", () -> "32KB");
    p.add("millicent.vendor.name", () -> "venetia");
    p.add("millicent.vendor.data-dir", () -> DIR.resolve("venetia").toString());
    p.add("millicent.vendor.admin-token", () -> ADMIN);
    p.add("millicent.vendor.prices[0].path", () -> "/pattern/**");
    p.add("millicent.vendor.prices[0].price", () -> "70");
    p.add("millicent.vendor.brokers[0].id", () -> "bob");
    p.add("millicent.vendor.brokers[0].url", BOB_URL::toString);
    p.add("millicent.vendor.brokers[0].token", () -> BOB_TOKEN);
    p.add("millicent.vendor.brokers[0].customer-id", () -> "1");
    p.add("millicent.vendor.brokers[0].discount-bps", () -> "500");
    p.add("management.endpoints.web.exposure.include", () -> "health,metrics");
    p.add("management.endpoint.health.show-details", () -> "always");
  }

  @LocalServerPort int port;
  @Autowired MillicentGateway millicent;
  @Autowired MeterRegistry meters;

  private BrokerServer bob;
  private TestMarket market;

  @BeforeAll
  void startBroker() {
    market = new TestMarket(URI.create("http://127.0.0.1:" + port));
    bob = market.startBroker("bob", BOB_URL, "venetia", BOB_TOKEN, ADMIN, DIR.resolve("bob"));
  }

  @AfterAll
  void stopBroker() {
    if (bob != null) {
      bob.close();
    }
  }

  @Test
  void theJavaWallet_buysAPricedHandler_throughARealBroker() throws Exception {
    try (Wallet w = Wallet.open(WalletOptions.defaults(DIR.resolve("alice")))) {
      w.register(bob.url(), "alice");

      Response r = w.httpClient().send(Request.get(market.base().resolve("/articles/wallet")));

      assertThat(r.status()).as(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo(200);
      assertThat(new String(r.body(), StandardCharsets.UTF_8))
          .startsWith("article wallet paid 100 by ");
      assertThat(r.header(Headers.RECEIPT)).isPresent();
      assertThat(w.brokerAccount(bob.url()).path("charges_this_period_millicents").asLong())
          .isPositive();
    }
  }

  @Test
  void unpaid_isOffered_andTheHandlerDoesNotRun() {
    HttpResponse<byte[]> r = market.send("GET", "/articles/unpaid", new byte[0]);
    HttpResponse<byte[]> page =
        market.send("GET", "/articles/unpaid", new byte[0], "Accept", "text/html");

    assertThat(r.statusCode()).isEqualTo(402);
    assertThat(r.headers().firstValue("WWW-Authenticate").orElseThrow())
        .startsWith("Millicent v=2, vendor=venetia, price=100");
    assertThat(code(r)).isEqualTo("payment-required");
    assertThat(page.statusCode()).isEqualTo(402);
    assertThat(text(page)).contains("Payment required", BOB_URL.toString());
    assertThat(ShopApplication.runs("/articles/unpaid")).isZero();
  }

  @Test
  void prices_comeFromTheMethod_theClass_orThePathPatterns_andTheRestIsFree() {
    assertThat(offer(market.send("GET", "/cheap", new byte[0]))).isEqualTo("50");
    assertThat(offer(market.send("GET", "/premium/report", new byte[0]))).isEqualTo("200");
    assertThat(offer(market.send("GET", "/pattern/x", new byte[0]))).isEqualTo("70");
    HttpResponse<byte[]> teaser = market.send("GET", "/premium/teaser", new byte[0]);
    HttpResponse<byte[]> free = market.send("GET", "/free", new byte[0]);
    HttpResponse<byte[]> missing = market.send("GET", "/nothing-here", new byte[0]);

    assertThat(teaser.statusCode()).isEqualTo(200);
    assertThat(free.statusCode()).isEqualTo(200);
    assertThat(text(free)).isEqualTo("free, paid nothing");
    assertThat(free.headers().firstValue(Headers.RECEIPT)).isEmpty();
    assertThat(missing.statusCode()).isEqualTo(404);
  }

  @Test
  void theController_seesTheVerifiedPayment_andThePaidBody() throws Exception {
    Own alice = own(millicent, 1_000);
    Own carol = own(millicent, 1_000);
    byte[] body = "a body the payment covers".getBytes(StandardCharsets.UTF_8);

    HttpResponse<byte[]> article = market.pay(market.signed(alice, "GET", "/articles/me"));
    HttpResponse<byte[]> report = market.pay(market.signed(carol, "GET", "/premium/report"));
    Own dave = own(millicent, 1_000);
    HttpResponse<byte[]> echoed = market.pay(market.signed(dave, "POST", "/echo", body), body);

    assertThat(text(article))
        .isEqualTo("article me paid 100 by " + Long.toUnsignedString(alice.id()) + " replay=false");
    assertThat(receipt(article)).containsEntry("price", "100");
    assertThat(text(report)).startsWith("report paid 200 by ");
    assertThat(echoed.statusCode()).as(text(echoed)).isEqualTo(200);
    assertThat(echoed.body()).isEqualTo(body);
  }

  @Test
  void forgedScrip_isRefused_notConsumed_andThenBuys() {
    Own alice = own(millicent, 1_000);
    ScripBody b = alice.scrip().body();
    Scrip forged =
        new Scrip(
            new ScripBody(
                b.vendor(), 100_000, b.id(), b.customerId(), b.expiresAt(), b.properties()),
            alice.scrip().certificate());
    CustomerSecret mallory = alice.customers().customerSecret(alice.customers().newCustomerId());

    HttpResponse<byte[]> altered =
        market.pay(market.signed(forged, alice.secret(), "GET", "/articles/forged"));
    HttpResponse<byte[]> stolen =
        market.pay(market.signed(alice.scrip(), mallory, "GET", "/articles/forged"));
    HttpResponse<byte[]> paid = market.pay(market.signed(alice, "GET", "/articles/forged"));

    assertThat(code(altered)).isEqualTo("forged");
    assertThat(code(stolen)).isEqualTo("wrong-customer");
    assertThat(paid.statusCode()).as(text(paid)).isEqualTo(200);
    assertThat(ShopApplication.runs("/articles/forged")).isEqualTo(1);
  }

  @Test
  void insufficientScrip_isRefused_notConsumed_andThenBuysACheaperHandler() {
    Own alice = own(millicent, 60);

    HttpResponse<byte[]> refused = market.pay(market.signed(alice, "GET", "/articles/x"));
    HttpResponse<byte[]> cheap = market.pay(market.signed(alice, "GET", "/cheap"));

    assertThat(refused.statusCode()).isEqualTo(402);
    assertThat(code(refused)).isEqualTo("insufficient");
    assertThat(ShopApplication.runs("/articles/x")).isZero();
    assertThat(cheap.statusCode()).as(text(cheap)).isEqualTo(200);
    assertThat(receipt(cheap)).containsEntry("price", "50");
  }

  @Test
  void aReplay_isChargedOnce() {
    Own alice = own(millicent, 1_000);
    Payment payment = market.signed(alice, "GET", "/articles/replayed");

    HttpResponse<byte[]> first = market.pay(payment);
    HttpResponse<byte[]> again = market.pay(payment);
    HttpResponse<byte[]> other = market.pay(market.signed(alice, "GET", "/articles/other"));

    assertThat(text(first)).endsWith("replay=false");
    assertThat(text(again)).endsWith("replay=true");
    assertThat(receipt(again).get("change")).isNotNull().isEqualTo(receipt(first).get("change"));
    assertThat(code(other)).isEqualTo("spent");
  }

  @Test
  void aHandlerThatAnswers500_orThrows_releasesThePayment() {
    Own alice = own(millicent, 1_000);

    HttpResponse<byte[]> failed = market.pay(market.signed(alice, "GET", "/fail"));
    HttpResponse<byte[]> threw = market.pay(market.signed(alice, "GET", "/boom"));
    HttpResponse<byte[]> paid = market.pay(market.signed(alice, "GET", "/articles/afterFailures"));

    assertThat(failed.statusCode()).isEqualTo(502);
    assertThat(code(failed)).isEqualTo("origin-failed");
    assertThat(text(failed)).contains("nothing was charged").doesNotContain("broke");
    assertThat(threw.statusCode()).isEqualTo(502);
    assertThat(code(threw)).isEqualTo("origin-failed");
    assertThat(text(threw)).doesNotContain("IllegalStateException");
    assertThat(ShopApplication.runs("/fail")).isEqualTo(1);
    assertThat(ShopApplication.runs("/boom")).isEqualTo(1);
    assertThat(paid.statusCode()).as(text(paid)).isEqualTo(200);
    assertThat(receipt(paid)).containsEntry("price", "100");
  }

  @Test
  void actuatorHealth_showsTheMillicentComponent() throws Exception {
    HttpResponse<byte[]> r = market.send("GET", "/actuator/health", new byte[0]);

    JsonNode millicentHealth = JSON.readTree(r.body()).path("components").path("millicent");
    assertThat(r.statusCode()).as(text(r)).isEqualTo(200);
    assertThat(millicentHealth.path("status").asText()).isEqualTo("UP");
    assertThat(millicentHealth.path("details").path("vendor").asText()).isEqualTo("venetia");
    assertThat(millicentHealth.path("details").path("database").asText()).isEqualTo("up");
    assertThat(millicentHealth.path("details").path("keys").asInt()).isPositive();
    assertThat(millicentHealth.path("details").path("brokers").path("bob").asText())
        .isEqualTo("licensed");
  }

  @Test
  void aPurchase_countsInTheApplicationsMeterRegistry() {
    double payments = count("millicent.vendor.payments");
    double revenue = count("millicent.vendor.revenue.millicents");

    HttpResponse<byte[]> paid =
        market.pay(market.signed(own(millicent, 1_000), "GET", "/articles/counted"));

    assertThat(paid.statusCode()).isEqualTo(200);
    assertThat(count("millicent.vendor.payments")).isEqualTo(payments + 1);
    assertThat(count("millicent.vendor.revenue.millicents")).isEqualTo(revenue + 100);
  }

  @Test
  void theProtocolEndpoints_answerInTheApplication() throws Exception {
    HttpResponse<byte[]> manifest = market.send("GET", "/.well-known/millicent", new byte[0]);
    HttpResponse<byte[]> noToken = market.send("GET", "/millicent/admin/keys", new byte[0]);

    assertThat(manifest.statusCode()).isEqualTo(200);
    assertThat(JSON.readTree(manifest.body()).path("vendor").asText()).isEqualTo("venetia");
    assertThat(noToken.statusCode()).isEqualTo(401);
  }

  // --- helpers ---

  private double count(String name) {
    return meters.find(name).counters().stream().mapToDouble(c -> c.count()).sum();
  }

  private static String offer(HttpResponse<byte[]> r) {
    assertThat(r.statusCode()).isEqualTo(402);
    return AuthParams.parse(r.headers().firstValue("WWW-Authenticate").orElseThrow()).get("price");
  }

  private static Path tempDir() {
    try {
      return Files.createTempDirectory("millicent-starter-it");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
