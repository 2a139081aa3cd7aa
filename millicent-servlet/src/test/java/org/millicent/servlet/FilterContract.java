package org.millicent.servlet;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.millicent.vendor.testing.OwnCustomer.funded;
import static org.millicent.vendor.testing.TestHttp.code;
import static org.millicent.vendor.testing.TestHttp.text;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.millicent.broker.BrokerServer;
import org.millicent.broker.testing.BrokerLicence;
import org.millicent.protocol.Headers;
import org.millicent.protocol.Payer;
import org.millicent.protocol.Payment;
import org.millicent.protocol.Receipt;
import org.millicent.servlet.testing.ShopScenarios;
import org.millicent.testing.DashboardTables;
import org.millicent.vendor.MillicentGateway;
import org.millicent.vendor.VendorServer;
import org.millicent.vendor.config.VendorConfig;
import org.millicent.vendor.testing.OwnCustomer.Funded;
import org.millicent.vendor.testing.TestHttp;

/**
 * The filter in a servlet container, set up by hand as docs/SERVLET.md shows ({@link ShopServlet}
 * behind it, priced by the configuration's path patterns): the {@link ShopScenarios}, and what only
 * a hand-made setup can stage (the database going away under a sale, unpriced paths). A subclass
 * starts the container.
 */
abstract class FilterContract extends ShopScenarios {

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

  /** The vendor's {@code max_answer_bytes}, small so that a test writes a little more. */
  static final int MAX_ANSWER_BYTES = 64 * 1024;

  @TempDir static Path dir;
  private MillicentGateway millicent;
  private Container container;
  private BrokerServer bob;
  private final ShopServlet app = new ShopServlet();
  private TestHttp http;

  @BeforeAll
  void startMarket() throws Exception {
    BrokerLicence licence = BrokerLicence.of("bob", "venetia");
    var builder = licence.vendor(VendorConfig.builder("venetia"));
    if (database() != null) {
      builder.database(database());
    }
    VendorConfig config =
        builder
            .price("GET", "/articles/*", 100)
            .price("GET", "/cheap", 50)
            .price("GET", "/fail", 100)
            .price("GET", "/boom", 100)
            .price("GET", "/dbdown", 100)
            .price("GET", "/large/**", 100)
            .maxAnswerBytes(MAX_ANSWER_BYTES)
            .price("POST", "/echo", 200)
            .free("/free")
            .build();
    millicent = MillicentGateway.open(config, dir.resolve("venetia"));
    container = start(new MillicentFilter(millicent), new MillicentEndpoints(millicent), app, dir);
    http = new TestHttp(URI.create("http://127.0.0.1:" + container.port()));
    bob = licence.startBroker(http.base(), dir.resolve("bob"));
  }

  @Override
  protected Shop shop() {
    return new Shop(http, millicent, bob, app::runs, dir.resolve("alice"));
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
  void freeAndUnpricedPaths_passToTheApp_untouched() {
    HttpResponse<byte[]> free = http.send("GET", "/free", new byte[0]);
    HttpResponse<byte[]> other = http.send("GET", "/about", new byte[0]);

    assertThat(free.statusCode()).isEqualTo(200);
    assertThat(text(free)).isEqualTo("free /free");
    assertThat(other.statusCode()).isEqualTo(200);
    assertThat(other.headers().firstValue(Headers.RECEIPT)).isEmpty();
  }

  @Test
  void aSpendTheDatabaseCannotRecord_isRefused503_withTheGatewaysProblem_notTheContainersPage()
      throws Exception {
    Funded alice = funded(millicent, 1_000);
    app.whileAnswering = () -> renameSpends("vendor_spends", "vendor_spends_away");

    HttpResponse<byte[]> refused;
    try {
      refused = http.pay(http.signed(alice, "GET", "/dbdown"));
    } finally {
      app.whileAnswering = () -> {};
      renameSpends("vendor_spends_away", "vendor_spends");
    }

    assertThat(refused.statusCode()).as(text(refused)).isEqualTo(503);
    assertThat(code(refused)).isEqualTo("storage-unavailable");
    assertThat(refused.headers().firstValue(Headers.RECEIPT)).isEmpty();
    assertThat(text(refused)).doesNotContain("vendor_spends").doesNotContain("Exception");
    // Not spent: nothing was written. Its release could not read the table either, so the embedded
    // spent list (SQLite) held the scrip in doubt, and decides it once the table can tell
    // (docs/STORAGE.md): it buys at once, not after a restart. In shared mode (PostgreSQL) the
    // claim row waits for the stale-claim sweep.
    if (database() == null) {
      HttpResponse<byte[]> again = http.pay(http.signed(alice, "GET", "/articles/afterDbdown"));
      assertThat(again.statusCode()).as("uncharged, so it buys: " + text(again)).isEqualTo(200);
    }
  }

  @Test
  void anAnswerOverMaxAnswerBytes_is502OriginTooLarge_andTheSameScripThenBuys() {
    Funded alice = funded(millicent, 1_000);
    for (String how : List.of("stream", "writer", "announced")) {
      String path = "/large/" + how + "/" + (MAX_ANSWER_BYTES + 1);

      HttpResponse<byte[]> r = http.pay(http.signed(alice, "GET", path));

      assertThat(r.statusCode()).as(how + ": " + text(r)).isEqualTo(502);
      assertThat(code(r)).isEqualTo("origin-too-large");
      assertThat(text(r))
          .contains("max_answer_bytes (" + MAX_ANSWER_BYTES + " bytes)", "nothing was charged")
          .doesNotContain("xxxx");
      assertThat(r.headers().firstValue(Headers.RECEIPT)).isEmpty();
    }
    HttpResponse<byte[]> again = http.pay(http.signed(alice, "GET", "/articles/afterLarge"));

    assertThat(again.statusCode()).as("uncharged, so it buys: " + text(again)).isEqualTo(200);
  }

  @Test
  void anAnswerOfExactlyMaxAnswerBytes_isSoldWhole_withAReceiptForTheBodyReceived() {
    for (String how : List.of("stream", "writer", "announced")) {
      Funded alice = funded(millicent, 1_000);
      Payment.Signed p = http.signed(alice, "GET", "/large/" + how + "/" + MAX_ANSWER_BYTES);

      HttpResponse<byte[]> r = http.pay(p);

      assertThat(r.statusCode()).as(how).isEqualTo(200);
      assertThat(r.body()).hasSize(MAX_ANSWER_BYTES);
      Receipt receipt = Receipt.parse(r.headers().firstValue(Headers.RECEIPT).orElseThrow());
      assertThat(
              Payer.verifySignedReceipt(alice.secret(), p.mac(), r.statusCode(), receipt, r.body()))
          .as(how)
          .isPresent();
    }
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
  void aSaleThroughTheFilter_countsForItsPath_inTheDashboardsTopResources() {
    String path = "/articles/dashboard-" + Long.toUnsignedString(TestHttp.RANDOM.nextLong());
    HttpResponse<byte[]> paid = http.pay(http.signed(funded(millicent, 1_000), "GET", path));
    assertThat(paid.statusCode()).as(text(paid)).isEqualTo(200);

    HttpResponse<byte[]> page =
        http.send(
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

    assertThat(http.send("GET", "/about", new byte[0]).statusCode()).isEqualTo(200);
    assertThat(http.send("GET", "/free", new byte[0]).statusCode()).isEqualTo(200);
    assertThat(http.send("GET", "/articles/timed", new byte[0]).statusCode()).isEqualTo(402);
    HttpResponse<byte[]> paid = http.pay(http.signed(funded(millicent, 1_000), "GET", "/fail"));
    assertThat(paid.statusCode()).isEqualTo(502);
    paid = http.pay(http.signed(funded(millicent, 1_000), "GET", "/articles/timed"));
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
