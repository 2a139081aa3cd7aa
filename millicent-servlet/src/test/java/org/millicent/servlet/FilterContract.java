package org.millicent.servlet;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.millicent.servlet.testing.TestMarket.code;
import static org.millicent.servlet.testing.TestMarket.freePort;
import static org.millicent.servlet.testing.TestMarket.nonce;
import static org.millicent.servlet.testing.TestMarket.own;
import static org.millicent.servlet.testing.TestMarket.random;
import static org.millicent.servlet.testing.TestMarket.receipt;
import static org.millicent.servlet.testing.TestMarket.text;
import static org.millicent.servlet.testing.TestMarket.token;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.millicent.broker.BrokerServer;
import org.millicent.keys.CustomerSecret;
import org.millicent.protocol.AuthParams;
import org.millicent.protocol.Headers;
import org.millicent.protocol.Payer;
import org.millicent.protocol.Payment;
import org.millicent.protocol.PaymentHeader;
import org.millicent.scrip.Scrip;
import org.millicent.scrip.ScripBody;
import org.millicent.servlet.testing.TestMarket;
import org.millicent.servlet.testing.TestMarket.Own;
import org.millicent.testing.DashboardTables;
import org.millicent.vendor.MillicentGateway;
import org.millicent.vendor.VendorServer;
import org.millicent.vendor.config.VendorConfig;
import org.millicent.wallet.Wallet;
import org.millicent.wallet.WalletOptions;
import org.millicent.wallet.http.Request;
import org.millicent.wallet.http.Response;

/**
 * The filter in a servlet container, with a real broker licensed by the vendor through {@link
 * MillicentEndpoints} and the Java wallet buying through it; the rejection, failure, replay and
 * double-spend cases of the gateway's ITs. A subclass starts the container.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class FilterContract {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** A started container. */
  interface Container {
    int port();

    void stop() throws Exception;
  }

  /**
   * Starts a container on loopback (any port) with {@code filter} on {@code /*}, {@code endpoints}
   * at {@code /millicent/*} and {@code /.well-known/millicent}, and {@code app} at {@code /}.
   */
  abstract Container start(
      MillicentFilter filter, MillicentEndpoints endpoints, ShopServlet app, Path dir)
      throws Exception;

  /**
   * The vendor's database URL ({@code database} in CONFIG.md), or null for SQLite in its folder.
   */
  String database() {
    return null;
  }

  @TempDir static Path dir;
  private MillicentGateway millicent;
  private Container container;
  private BrokerServer bob;
  private final ShopServlet app = new ShopServlet();
  private TestMarket market;

  @BeforeAll
  void startMarket() throws Exception {
    String admin = token();
    String bobToken = token();
    URI bobUrl = URI.create("http://127.0.0.1:" + freePort());
    var builder = VendorConfig.builder("venetia");
    if (database() != null) {
      builder.database(database());
    }
    VendorConfig config =
        builder
            .adminToken(admin)
            .price("GET", "/articles/*", 100)
            .price("GET", "/cheap", 50)
            .price("GET", "/fail", 100)
            .price("GET", "/boom", 100)
            .price("GET", "/dbdown", 100)
            .price("POST", "/echo", 200)
            .free("/free")
            .broker(new org.millicent.vendor.config.BrokerConfig("bob", bobUrl, bobToken, 1, 500))
            .build();
    millicent = MillicentGateway.open(config, dir.resolve("venetia"));
    container = start(new MillicentFilter(millicent), new MillicentEndpoints(millicent), app, dir);
    market = new TestMarket(URI.create("http://127.0.0.1:" + container.port()));
    bob = market.startBroker("bob", bobUrl, "venetia", bobToken, admin, dir.resolve("bob"));
  }

  @AfterAll
  void stopMarket() throws Exception {
    if (bob != null) {
      bob.close();
    }
    if (container != null) {
      container.stop();
    }
    if (millicent != null) {
      millicent.close();
    }
  }

  @Test
  void theJavaWallet_buysAPricedPage_throughARealBroker() throws Exception {
    try (Wallet w = Wallet.open(WalletOptions.defaults(dir.resolve("alice")))) {
      w.register(bob.url(), "alice");

      Response r = w.httpClient().send(Request.get(market.base().resolve("/articles/wallet")));

      assertThat(r.status()).as(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo(200);
      assertThat(new String(r.body(), StandardCharsets.UTF_8))
          .startsWith("/articles/wallet paid 100 by ");
      assertThat(r.header(Headers.RECEIPT)).isPresent();
      assertThat(r.header("X-App")).contains("shop");
      assertThat(w.history(10)).extracting(e -> e.kind()).contains("buy", "purchase");
      assertThat(w.brokerAccount(bob.url()).path("charges_this_period_millicents").asLong())
          .isPositive();
    }
  }

  @Test
  void unpaid_isOffered_withAProblemDocument_orThePaywallPage_andTheAppDoesNotRun()
      throws Exception {
    HttpResponse<byte[]> r = market.send("GET", "/articles/unpaid", new byte[0]);
    HttpResponse<byte[]> page =
        market.send("GET", "/articles/unpaid", new byte[0], "Accept", "text/html");

    assertThat(r.statusCode()).isEqualTo(402);
    assertThat(r.headers().firstValue("WWW-Authenticate").orElseThrow())
        .startsWith("Millicent v=2, vendor=venetia, price=100");
    assertThat(code(r)).isEqualTo("payment-required");
    assertThat(page.statusCode()).isEqualTo(402);
    assertThat(page.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/html");
    assertThat(text(page)).contains("Payment required", bob.url().toString());
    assertThat(app.runs("/articles/unpaid")).isZero();
  }

  @Test
  void freeAndUnpricedPaths_passToTheApp_untouched() {
    HttpResponse<byte[]> free = market.send("GET", "/free", new byte[0]);
    HttpResponse<byte[]> other = market.send("GET", "/about", new byte[0]);

    assertThat(free.statusCode()).isEqualTo(200);
    assertThat(text(free)).isEqualTo("free /free");
    assertThat(other.statusCode()).isEqualTo(200);
    assertThat(other.headers().firstValue(Headers.RECEIPT)).isEmpty();
  }

  @Test
  void theProtocolEndpoints_answerInTheContainer() throws Exception {
    HttpResponse<byte[]> manifest = market.send("GET", "/.well-known/millicent", new byte[0]);
    HttpResponse<byte[]> unpaid =
        market.send("POST", "/millicent/exchange", "{}".getBytes(StandardCharsets.UTF_8));
    HttpResponse<byte[]> noToken = market.send("GET", "/millicent/admin/keys", new byte[0]);

    assertThat(manifest.statusCode()).isEqualTo(200);
    assertThat(JSON.readTree(manifest.body()).path("vendor").asText()).isEqualTo("venetia");
    assertThat(unpaid.statusCode()).isEqualTo(402);
    assertThat(noToken.statusCode()).isEqualTo(401);
  }

  @Test
  void forgedScrip_isRefused_notConsumed_andThenBuys() throws Exception {
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

    assertThat(altered.statusCode()).isEqualTo(402);
    assertThat(code(altered)).isEqualTo("forged");
    assertThat(stolen.statusCode()).isEqualTo(402);
    assertThat(code(stolen)).isEqualTo("wrong-customer");
    assertThat(paid.statusCode()).as(text(paid)).isEqualTo(200);
    assertThat(app.runs("/articles/forged")).isEqualTo(1);
  }

  @Test
  void insufficientScrip_isRefused_notConsumed_andThenBuysACheaperPage() throws Exception {
    Own alice = own(millicent, 60);

    HttpResponse<byte[]> refused = market.pay(market.signed(alice, "GET", "/articles/x"));
    HttpResponse<byte[]> cheap = market.pay(market.signed(alice, "GET", "/cheap"));

    assertThat(refused.statusCode()).isEqualTo(402);
    assertThat(code(refused)).isEqualTo("insufficient");
    assertThat(app.runs("/articles/x")).isZero();
    assertThat(cheap.statusCode()).as(text(cheap)).isEqualTo(200);
    assertThat(receipt(cheap)).containsEntry("price", "50");
  }

  @Test
  void aReplay_getsTheSameChange_andIsChargedOnce() throws Exception {
    Own alice = own(millicent, 1_000);
    Payment payment = market.signed(alice, "GET", "/articles/replayed");

    HttpResponse<byte[]> first = market.pay(payment);
    HttpResponse<byte[]> again = market.pay(payment);

    assertThat(first.statusCode()).isEqualTo(200);
    assertThat(again.statusCode()).isEqualTo(200);
    assertThat(text(first)).endsWith("replay=false");
    assertThat(text(again)).endsWith("replay=true");
    assertThat(receipt(again).get("change")).isNotNull().isEqualTo(receipt(first).get("change"));
    // Charged once: the scrip is spent by the first sending; another request with it is refused.
    HttpResponse<byte[]> other = market.pay(market.signed(alice, "GET", "/articles/other"));
    assertThat(code(other)).isEqualTo("spent");
  }

  @Test
  void anApplication500_releasesThePayment_andTheScripThenBuys() throws Exception {
    Own alice = own(millicent, 1_000);

    HttpResponse<byte[]> failed = market.pay(market.signed(alice, "GET", "/fail"));
    HttpResponse<byte[]> paid = market.pay(market.signed(alice, "GET", "/articles/after500"));

    assertThat(failed.statusCode()).isEqualTo(502);
    assertThat(code(failed)).isEqualTo("origin-failed");
    assertThat(text(failed)).contains("nothing was charged").doesNotContain("broke");
    assertThat(failed.headers().firstValue(Headers.RECEIPT)).isEmpty();
    assertThat(paid.statusCode()).as(text(paid)).isEqualTo(200);
    assertThat(receipt(paid)).containsEntry("price", "100");
  }

  @Test
  void aSpendTheDatabaseCannotRecord_isRefused503_withTheGatewaysProblem_notTheContainersPage()
      throws Exception {
    Own alice = own(millicent, 1_000);
    app.whileAnswering = () -> renameSpends("vendor_spends", "vendor_spends_away");

    HttpResponse<byte[]> refused;
    try {
      refused = market.pay(market.signed(alice, "GET", "/dbdown"));
    } finally {
      app.whileAnswering = () -> {};
      renameSpends("vendor_spends_away", "vendor_spends");
    }

    assertThat(refused.statusCode()).as(text(refused)).isEqualTo(503);
    assertThat(code(refused)).isEqualTo("storage-unavailable");
    assertThat(refused.headers().firstValue(Headers.RECEIPT)).isEmpty();
    assertThat(text(refused)).doesNotContain("vendor_spends").doesNotContain("Exception");
    // Not spent: nothing was written. The scrip stays refused until the vendor's next start (which
    // rebuilds the spent list from disk), because its release could not read the table either and
    // so cannot tell whether the spend was committed (EmbeddedSpendRecorder.releaseInMemory); in
    // shared mode the claim row waits for the stale-claim sweep.
  }

  /** Renames the vendor's spent list behind its back, as a database failure would hide it. */
  private void renameSpends(String from, String to) {
    String url =
        database() != null
            ? database()
            : "jdbc:sqlite:" + dir.resolve("venetia").resolve(VendorServer.DATABASE_FILE);
    try (java.sql.Connection c = java.sql.DriverManager.getConnection(url);
        java.sql.Statement st = c.createStatement()) {
      st.execute("ALTER TABLE " + from + " RENAME TO " + to);
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void anApplicationException_releasesThePayment_andTheScripThenBuys() throws Exception {
    Own alice = own(millicent, 1_000);

    HttpResponse<byte[]> failed = market.pay(market.signed(alice, "GET", "/boom"));
    HttpResponse<byte[]> paid = market.pay(market.signed(alice, "GET", "/articles/afterBoom"));

    assertThat(failed.statusCode()).isEqualTo(502);
    assertThat(code(failed)).isEqualTo("origin-failed");
    assertThat(text(failed)).doesNotContain("IllegalStateException");
    assertThat(paid.statusCode()).as(text(paid)).isEqualTo(200);
  }

  @Test
  void theApplication_seesTheVerifiedPayment_andThePaidBody() throws Exception {
    Own alice = own(millicent, 1_000);
    byte[] body = "a body the payment covers".getBytes(StandardCharsets.UTF_8);

    Own carol = own(millicent, 1_000);

    HttpResponse<byte[]> article = market.pay(market.signed(alice, "GET", "/articles/me"));
    HttpResponse<byte[]> echoed = market.pay(market.signed(carol, "POST", "/echo", body), body);

    assertThat(text(article))
        .isEqualTo(
            "/articles/me paid 100 by " + Long.toUnsignedString(alice.id()) + " replay=false");
    assertThat(echoed.statusCode()).as(text(echoed)).isEqualTo(200);
    assertThat(echoed.body()).isEqualTo(body);
    assertThat(receipt(echoed)).containsEntry("price", "200");
  }

  @Test
  void aPrivatePayment_opensTheRequestBodyForTheApp_andSealsItsAnswer() throws Exception {
    Own alice = own(millicent, 1_000);
    byte[] body = "a secret question".getBytes(StandardCharsets.UTF_8);
    byte[] sealedBody =
        Payer.sealRequestBody(alice.secret(), "venetia", alice.id(), body, random());
    Payment.Private p =
        Payer.sealed(
            alice.scrip(),
            alice.secret(),
            nonce(),
            market.at("POST", "/echo", sealedBody),
            random());

    HttpResponse<byte[]> r = market.pay(p, sealedBody);

    assertThat(r.statusCode()).as(text(r)).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type")).hasValue(Headers.SEALED_MEDIA_TYPE);
    assertThat(r.headers().firstValue(Headers.SEALED_CONTENT_TYPE))
        .hasValue("application/octet-stream");
    assertThat(Payer.openResponse(alice.secret(), p, 200, r.body())).isEqualTo(body);
    assertThat(receipt(r)).containsEntry("variant", "private").containsEntry("price", "200");
  }

  @Test
  void aReplayedPost_isNotRunAgain_andGets409ReplayedWithTheFirstReceipt() throws Exception {
    Own alice = own(millicent, 1_000);
    byte[] body = "do it once".getBytes(StandardCharsets.UTF_8);
    Payment payment = market.signed(alice, "POST", "/echo", body);
    int before = app.runs("/echo");

    HttpResponse<byte[]> first = market.pay(payment, body);
    HttpResponse<byte[]> again = market.pay(payment, body);

    assertThat(first.statusCode()).isEqualTo(200);
    assertThat(again.statusCode()).isEqualTo(409);
    assertThat(code(again)).isEqualTo("replayed");
    assertThat(receipt(again).get("change")).isEqualTo(receipt(first).get("change"));
    assertThat(app.runs("/echo") - before).isEqualTo(1);
  }

  @Test
  void hostileRequests_onPricedPaths_areRefusedWithProblemDocuments_andConsumeNothing()
      throws Exception {
    Own alice = own(millicent, 1_000);
    String header = PaymentHeader.format(market.signed(alice, "GET", "/articles/h"));

    HttpResponse<byte[]> twice =
        market.send(
            "GET", "/articles/h", new byte[0], "Authorization", header, "Authorization", header);
    HttpResponse<byte[]> parameter =
        market.send("GET", "/articles/h;jsessionid=1", new byte[0], "Authorization", header);
    HttpResponse<byte[]> overlong =
        market.send(
            "GET",
            "/articles/h",
            new byte[0],
            "Authorization",
            "Millicent v=2, pad=" + "a".repeat(AuthParams.MAX_LENGTH));
    HttpResponse<byte[]> paid =
        market.send("GET", "/articles/h", new byte[0], "Authorization", header);

    assertThat(twice.statusCode()).isEqualTo(400);
    assertThat(code(twice)).isEqualTo("bad-request");
    assertThat(parameter.statusCode()).isEqualTo(400);
    assertThat(code(parameter)).isEqualTo("bad-path");
    assertThat(overlong.statusCode()).isEqualTo(400);
    assertThat(code(overlong)).isEqualTo("malformed");
    assertThat(paid.statusCode()).as(text(paid)).isEqualTo(200);
    assertThat(app.runs("/articles/h")).isEqualTo(1);
  }

  @Test
  void aConcurrentDoubleSpend_isChargedExactlyOnce() throws Exception {
    Own alice = own(millicent, 1_000);
    int n = 8;
    List<Payment> payments = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      payments.add(market.signed(alice, "GET", "/articles/race" + i));
    }
    List<HttpResponse<byte[]>> answers = new ArrayList<>();
    try (ExecutorService pool = Executors.newFixedThreadPool(n)) {
      List<Future<HttpResponse<byte[]>>> futures = new ArrayList<>();
      for (Payment p : payments) {
        futures.add(pool.submit((Callable<HttpResponse<byte[]>>) () -> market.pay(p)));
      }
      for (Future<HttpResponse<byte[]>> f : futures) {
        answers.add(f.get());
      }
    }

    assertThat(answers).filteredOn(r -> r.statusCode() == 200).hasSize(1);
    assertThat(answers)
        .filteredOn(r -> r.statusCode() != 200)
        .allSatisfy(r -> assertThat(code(r)).isIn("spent", "in-progress"));
    int ran = 0;
    for (int i = 0; i < n; i++) {
      ran += app.runs("/articles/race" + i);
    }
    assertThat(ran).isEqualTo(1);
  }

  @Test
  void aSaleThroughTheFilter_countsForItsPath_inTheDashboardsTopResources() {
    String path = "/articles/dashboard-" + token();
    HttpResponse<byte[]> paid = market.pay(market.signed(own(millicent, 1_000), "GET", path));
    assertThat(paid.statusCode()).as(text(paid)).isEqualTo(200);

    HttpResponse<byte[]> page =
        market.send(
            "GET",
            "/millicent/admin/dashboard",
            new byte[0],
            "Authorization",
            "Bearer " + millicent.adminToken());

    assertThat(page.statusCode()).as(text(page)).isEqualTo(200);
    for (String table : List.of("top-resources-today", "top-resources")) {
      assertThat(DashboardTables.cell(text(page), table, path, 1)).as(table).isEqualTo(1);
      assertThat(DashboardTables.cell(text(page), table, path, 2)).as(table).isEqualTo(100);
    }
  }

  @Test
  void requestsThroughTheFilter_areTimedInTheVendorsRequestMeter_byKind() throws Exception {
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    millicent.bindMetrics(meters);

    assertThat(market.send("GET", "/about", new byte[0]).statusCode()).isEqualTo(200);
    assertThat(market.send("GET", "/free", new byte[0]).statusCode()).isEqualTo(200);
    assertThat(market.send("GET", "/articles/timed", new byte[0]).statusCode()).isEqualTo(402);
    HttpResponse<byte[]> paid = market.pay(market.signed(own(millicent, 1_000), "GET", "/fail"));
    assertThat(paid.statusCode()).isEqualTo(502);
    paid = market.pay(market.signed(own(millicent, 1_000), "GET", "/articles/timed"));
    assertThat(paid.statusCode()).as(text(paid)).isEqualTo(200);

    // The filter times a request once its answer is written, so the client may see it first.
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (requests(meters, "paid") < 1 || requests(meters, "rejected") < 2) {
      assertThat(System.nanoTime()).as("requests timed in time").isLessThan(deadline);
      Thread.sleep(10);
    }
    assertThat(requests(meters, "paid")).isEqualTo(1);
    assertThat(requests(meters, "rejected")).as("the offer and the failed sale").isEqualTo(2);
    assertThat(requests(meters, "free"))
        .as("/free only: /about is the application's, not the vendor's")
        .isEqualTo(1);
    assertThat(
            meters.get("millicent.vendor.requests").tag("kind", "paid").timer().totalTime(SECONDS))
        .isPositive();
  }

  /** How many requests of {@code kind} the vendor's request meter counted in {@code meters}. */
  private static long requests(SimpleMeterRegistry meters, String kind) {
    return meters
        .get("millicent.vendor.requests")
        .tag("kind", kind)
        .tag("vendor", "venetia")
        .timer()
        .count();
  }
}
