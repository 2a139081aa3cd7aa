package org.millicent.vendor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.millicent.testing.DashboardTables.cell;
import static org.millicent.testing.DashboardTables.hasRow;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.millicent.http.DashboardAssets;
import org.millicent.keys.CustomerSecret;
import org.millicent.scrip.Scrip;
import org.millicent.scrip.ScripProperties;
import org.millicent.testing.MutableClock;
import org.millicent.vendor.config.VendorConfig;
import org.millicent.vendor.testing.TestHttp;

/**
 * {@code GET /millicent/admin/dashboard} over real HTTP on port 0 (docs/HTTP-API.md, "Dashboards"):
 * the admin token, the page's policy and assets, and the numbers of real purchases under a clock
 * the test moves, read from the vendor's database, so they are the same after a restart on the same
 * data folder (counts made after the last page view included: the vendor flushes them at close).
 */
class VendorDashboardIT {
  private static final Instant START = Instant.parse("2026-11-10T10:10:00Z");
  private static final String HAIKU = "/pages/haiku.html";
  private static final String WEATHER = "/pages/weather.html";

  @TempDir Path dir;

  private final MutableClock clock = new MutableClock(START);
  private VendorServer vendor;
  private TestHttp http;

  /** The database setting: null for SQLite in the data folder; PostgreSQL in the IT. */
  String database() {
    return null;
  }

  private VendorConfig config() {
    var b =
        VendorConfig.sampleBuilder()
            .port(0)
            .adminToken(TestLicences.ADMIN)
            .broker(TestLicences.BOB);
    String db = database();
    return (db == null ? b : b.database(db)).build();
  }

  @BeforeEach
  void start() {
    vendor = VendorServer.start(config(), dir, clock);
    http = new TestHttp(vendor.url());
  }

  @AfterEach
  void stop() {
    vendor.close();
  }

  @Test
  void withoutTheAdminToken_isAProblemDocument() throws Exception {
    HttpResponse<byte[]> none = http.get("/millicent/admin/dashboard");
    assertThat(none.statusCode()).isEqualTo(401);
    assertThat(none.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    assertThat(TestLicences.JSON.readTree(none.body()).get("code").asText())
        .isEqualTo("unauthorized");
    HttpResponse<byte[]> wrong =
        http.get("/millicent/admin/dashboard", "Authorization", "Bearer " + TestLicences.BOB_TOKEN);
    assertThat(wrong.statusCode()).isEqualTo(401);
    assertThat(TestHttp.text(wrong)).doesNotContain("<html");
  }

  @Test
  void page_isHtmlUnderAPolicyOfSelfOnly_andItsAssetsAreServedFromTheJar() {
    HttpResponse<byte[]> r = dashboard();
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type")).hasValue("text/html;charset=utf-8");
    assertThat(r.headers().firstValue("Content-Security-Policy"))
        .hasValue(DashboardAssets.CONTENT_SECURITY_POLICY);
    assertThat(r.headers().firstValue("Cache-Control")).hasValue("no-store");
    String html = TestHttp.text(r);
    assertThat(html).doesNotContain("<script>").doesNotContain("style=").doesNotContain("http://");
    for (String name : DashboardAssets.names()) {
      HttpResponse<byte[]> a = http.get("/millicent/dashboard-assets/" + name);
      assertThat(a.statusCode()).as(name).isEqualTo(200);
      assertThat(a.body().length).as(name).isGreaterThan(100);
      assertThat(html).contains("/millicent/dashboard-assets/" + name);
    }
    HttpResponse<byte[]> missing = http.get("/millicent/dashboard-assets/admin-token");
    assertThat(missing.statusCode()).isEqualTo(404);
    assertThat(missing.headers().firstValue("Content-Type")).hasValue("application/problem+json");
  }

  @Test
  void purchases_showAsRevenueRefusalsResourcesAndReceivables_alsoAfterARestart() throws Exception {
    OwnCustomers own = OwnCustomers.of(vendor);
    long alice = own.newCustomerId();
    CustomerSecret secret = own.customerSecret(alice);
    // 10:10: two haikus and the weather, an offer, and a spent scrip refused.
    Scrip first = own.mint(1_000, alice, clock.instant().plus(Duration.ofHours(6)));
    assertThat(buy(first, secret, HAIKU)).isEqualTo(200);
    assertThat(buy(own.mint(1_000, alice, expiry()), secret, HAIKU)).isEqualTo(200);
    assertThat(buy(own.mint(1_000, alice, expiry()), secret, WEATHER)).isEqualTo(200);
    assertThat(http.get(HAIKU).statusCode()).isEqualTo(402);
    assertThat(buy(first, secret, HAIKU)).isEqualTo(402); // spent
    // 13:10: bob's customer pays with licensed scrip.
    clock.advance(Duration.ofHours(3));
    TestLicences.Licensed bob = TestLicences.licence(http);
    Scrip licensed = bob.minter().mint(1_000, bob.dave(), expiry(), ScripProperties.NONE);
    assertThat(bob.pay(http, licensed).statusCode()).isEqualTo(200);

    String html = page();
    assertThat(cell(html, "revenue-hourly", "2026-11-10 10:00", 1)).isEqualTo(700);
    assertThat(cell(html, "revenue-hourly", "2026-11-10 13:00", 1)).isEqualTo(100);
    assertThat(cell(html, "revenue-daily", "2026-11-10", 1)).isEqualTo(800);
    assertThat(cell(html, "requests-hourly", "2026-11-10 10:00", 1)).isEqualTo(3); // payments
    assertThat(cell(html, "requests-hourly", "2026-11-10 10:00", 2)).isEqualTo(1); // offers
    assertThat(cell(html, "refusals", "spent", 2)).isEqualTo(1);
    assertThat(cell(html, "refusals", "payment-required", 2)).isEqualTo(1);
    assertThat(cell(html, "top-resources", HAIKU, 1)).isEqualTo(3);
    assertThat(cell(html, "top-resources", HAIKU, 2)).isEqualTo(300);
    assertThat(cell(html, "top-resources", WEATHER, 2)).isEqualTo(500);
    assertThat(cell(html, "variants", "signed", 2)).isEqualTo(800);
    // The licensed scrip's whole value, less bob's discount of 5 %.
    assertThat(cell(html, "receivables", "bob", 1)).isEqualTo(1);
    assertThat(cell(html, "receivables", "bob", 2)).isEqualTo(1_000);
    assertThat(cell(html, "receivables", "bob", 3)).isEqualTo(950);
    assertThat(hasRow(html, "licences", bob.licenceId())).isTrue();
    JsonNode keys =
        TestLicences.JSON.readTree(
            http.get("/millicent/admin/keys", "Authorization", "Bearer " + TestLicences.ADMIN)
                .body());
    for (JsonNode k : keys.get("keys")) {
      assertThat(cell(html, "keys", k.get("key_id").asText(), 5))
          .isEqualTo(k.get("spends_recorded").asLong());
    }

    // Seen by nobody before the restart: flushed at close.
    assertThat(buy(own.mint(1_000, alice, expiry()), secret, WEATHER)).isEqualTo(200);
    vendor.close();
    vendor = VendorServer.start(config(), dir, clock);
    http = new TestHttp(vendor.url());
    String again = page();
    assertThat(cell(again, "revenue-hourly", "2026-11-10 10:00", 1)).isEqualTo(700);
    assertThat(cell(again, "revenue-hourly", "2026-11-10 13:00", 1)).isEqualTo(600);
    assertThat(cell(again, "top-resources", WEATHER, 1)).isEqualTo(2);
    assertThat(cell(again, "refusals", "spent", 2)).isEqualTo(1);
    assertThat(cell(again, "receivables", "bob", 3)).isEqualTo(950);

    // A settlement report and its mark: nothing is owed any more.
    TestLicences.settle(http, TestLicences.reported(http).upto());
    assertThat(page()).doesNotContain("<table id=\"receivables\"");
  }

  private Instant expiry() {
    return clock.instant().plus(Duration.ofHours(1));
  }

  private int buy(Scrip scrip, CustomerSecret secret, String path) {
    return http.pay(http.signed(scrip, secret, "GET", path, new byte[0]), new byte[0]).statusCode();
  }

  private HttpResponse<byte[]> dashboard() {
    return http.get("/millicent/admin/dashboard", "Authorization", "Bearer " + TestLicences.ADMIN);
  }

  private String page() {
    HttpResponse<byte[]> r = dashboard();
    assertThat(r.statusCode()).as(TestHttp.text(r)).isEqualTo(200);
    return new String(r.body(), StandardCharsets.UTF_8);
  }
}
