package org.millicent.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.millicent.testing.DashboardTables.cell;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.millicent.http.DashboardAssets;
import org.millicent.testing.DashboardTables;
import org.millicent.testing.MutableClock;

/**
 * {@code GET /broker/admin/dashboard} over real HTTP on port 0 (docs/BROKER.md, "Dashboard"): the
 * admin token, the page's policy, its assets, and figures that match the admin endpoints after a
 * scripted day of sales under a clock the test moves, and again after a restart.
 */
class BrokerDashboardIT {
  private static final Instant START = Instant.parse("2026-11-10T00:10:00Z");

  @TempDir Path dir;

  private final MutableClock clock = new MutableClock(START);
  private BrokerServer server;
  private HttpClientSupport http;
  private LicensingVendor venetia;

  @BeforeEach
  void start() throws Exception {
    venetia = new LicensingVendor("venetia", "bob", 500, clock);
    server = BrokerServer.start(BobSellsVenetia.config(), dir.resolve("data"), clock);
    server.broker().installLicence(venetia.licence);
    http = new HttpClientSupport(server.url());
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void withoutTheAdminToken_isUnauthorized() {
    HttpClientSupport.Reply none = http.send("GET", "/broker/admin/dashboard", null, null);
    assertThat(none.status()).isEqualTo(401);
    assertThat(none.code()).isEqualTo("unauthorized");
    HttpClientSupport.Reply wrong =
        http.send("GET", "/broker/admin/dashboard", null, "Bearer not-the-token");
    assertThat(wrong.status()).isEqualTo(401);
  }

  @Test
  void page_isHtmlUnderAPolicyOfSelfOnly_andItsAssetsAreServedFromTheJar() {
    HttpClientSupport.Reply r = dashboard();
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.raw().headers().firstValue("Content-Type")).hasValue("text/html;charset=utf-8");
    assertThat(r.raw().headers().firstValue("Content-Security-Policy"))
        .hasValue(DashboardAssets.CONTENT_SECURITY_POLICY);
    assertThat(r.raw().headers().firstValue("Cache-Control")).hasValue("no-store");
    String html = body(r);
    assertThat(html).doesNotContain("<script>").doesNotContain("style=").doesNotContain("http://");
    for (String name : DashboardAssets.names()) {
      HttpClientSupport.Reply a = http.send("GET", "/broker/dashboard-assets/" + name, null, null);
      assertThat(a.status()).as(name).isEqualTo(200);
      assertThat(a.raw().body().length).as(name).isGreaterThan(100);
      assertThat(html).contains("/broker/dashboard-assets/" + name);
    }
    HttpClientSupport.Reply missing =
        http.send("GET", "/broker/dashboard-assets/secrets.txt", null, null);
    assertThat(missing.status()).isEqualTo(404);
  }

  @Test
  void aScriptedDay_showsChargesPerHourAndTheBooksAsTheAdminEndpointsDo_alsoAfterARestart() {
    Broker broker = server.broker();
    long alice = broker.register("alice").customer().id();
    long carol = broker.register("carol").customer().id();
    // 00:10 two sales, 03:10 one, 05:10 one vendor sale then settled.
    broker.sellBrokerScrip(alice, 1_000, null);
    broker.sellBrokerScrip(carol, 2_500, null);
    clock.advance(Duration.ofHours(3));
    broker.sellBrokerScrip(alice, 700, null);
    clock.advance(Duration.ofHours(2));
    VendorScripSale sale = broker.sellVendorScrip(carol, "venetia", 4_000, null);
    broker.settle("venetia", List.of(sale.scrip().id().toLong()));

    String html = body(dashboard());
    assertThat(cell(html, "charges-hourly", "2026-11-10 00:00", 1)).isEqualTo(3_500);
    assertThat(cell(html, "charges-hourly", "2026-11-10 03:00", 1)).isEqualTo(700);
    assertThat(cell(html, "charges-hourly", "2026-11-10 05:00", 1)).isEqualTo(4_000);
    assertThat(cell(html, "charges-daily", "2026-11-10", 1)).isEqualTo(8_200);
    assertThat(cell(html, "customers", "aggregating", 1)).isEqualTo(2);

    var books = http.send("GET", "/broker/admin/books", null, admin()).json();
    long[] identity = identity(html);
    assertThat(identity[0]).isEqualTo(books.get("money_in_millicents").asLong());
    assertThat(identity[1]).isEqualTo(books.get("outstanding_millicents").asLong());
    assertThat(identity[2]).isEqualTo(books.get("redeemed_millicents").asLong());
    assertThat(identity[3]).isEqualTo(books.get("breakage_millicents").asLong());
    assertThat(identity[0]).isEqualTo(8_200);
    var statement =
        http.send("GET", "/broker/admin/statements/vendors/venetia", null, admin()).json();
    assertThat(cell(html, "vendors", "venetia", 5))
        .isEqualTo(statement.get("payable_millicents").asLong())
        .isEqualTo(3_800);
    assertThat(cell(html, "settlements", "2026-11-10T05:10:00Z", 4)).isEqualTo(3_800);

    server.close();
    server = BrokerServer.start(BobSellsVenetia.config(), dir.resolve("data"), clock);
    http = new HttpClientSupport(server.url());
    String again = body(dashboard());
    assertThat(cell(again, "charges-hourly", "2026-11-10 00:00", 1)).isEqualTo(3_500);
    assertThat(identity(again)).containsExactly(identity);
  }

  private HttpClientSupport.Reply dashboard() {
    return http.send("GET", "/broker/admin/dashboard", null, admin());
  }

  private String admin() {
    return "Bearer " + server.adminToken();
  }

  private static String body(HttpClientSupport.Reply r) {
    assertThat(r.status()).isEqualTo(200);
    return new String(r.raw().body(), StandardCharsets.UTF_8);
  }

  /** The identity row's money in, outstanding, redeemed and breakage. */
  private static long[] identity(String html) {
    String row = DashboardTables.row(html, "identity", "");
    long[] out = new long[4];
    Matcher v = Pattern.compile("data-v=\"(-?\\d+)\"").matcher(row);
    for (int i = 0; i < 4 && v.find(); i++) {
      out[i] = Long.parseLong(v.group(1));
    }
    return out;
  }
}
