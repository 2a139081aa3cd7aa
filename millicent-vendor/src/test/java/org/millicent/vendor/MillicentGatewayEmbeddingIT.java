package org.millicent.vendor;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.millicent.keys.CustomerSecret;
import org.millicent.protocol.AuthParams;
import org.millicent.protocol.Headers;
import org.millicent.scrip.Scrip;
import org.millicent.vendor.config.VendorConfig;
import org.millicent.vendor.testing.TestHttp;

/**
 * The gateway mounted in an app someone else owns (docs/EMBEDDING.md): the app's own routes and
 * error handling stay its own (its {@code /health} too), the priced pages are sold with real scrip
 * as by a {@link VendorServer}, and the one {@code install} call also brings what a server of its
 * own serves: {@code /metrics}, {@code /.well-known/openapi.yaml} and CORS preflights.
 */
class MillicentGatewayEmbeddingIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path dir;
  static MillicentGateway millicent;
  static Javalin app;
  static TestHttp http;

  @BeforeAll
  static void start() {
    millicent = MillicentGateway.open(VendorConfig.sampleBuilder().build(), dir);
    app =
        Javalin.create(
                cfg -> {
                  cfg.startup.showJavalinBanner = false;
                  cfg.routes.get("/hello", ctx -> ctx.result("hello, for free"));
                  cfg.routes.get("/health", ctx -> ctx.result("the app's own health"));
                  cfg.routes.get(
                      "/boom",
                      ctx -> {
                        throw new IllegalStateException("the app's own failure");
                      });
                  cfg.routes.exception(
                      IllegalStateException.class,
                      (e, ctx) -> ctx.status(418).result("handled by the app"));
                  millicent.install(cfg);
                })
            .start("127.0.0.1", 0);
    http = new TestHttp(URI.create("http://127.0.0.1:" + app.port()));
  }

  @AfterAll
  static void stop() {
    app.stop();
    millicent.close();
  }

  @Test
  void theAppsFreeRoute_isAnsweredByTheAppUntouched() {
    HttpResponse<byte[]> r = http.get("/hello");

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(TestHttp.text(r)).isEqualTo("hello, for free");
    assertThat(r.headers().firstValue("WWW-Authenticate")).isEmpty();
    assertThat(r.headers().firstValue("Access-Control-Expose-Headers")).isEmpty();
    assertThat(r.headers().firstValue(Headers.RECEIPT)).isEmpty();
  }

  @Test
  void theAppsRoutes_areNotScreenedByTheGateway() {
    // The gateway refuses two Authorization headers on its own paths, not on the app's.
    HttpResponse<byte[]> r =
        http.get("/hello", "Authorization", "Bearer a", "Authorization", "Bearer b");

    assertThat(r.statusCode()).isEqualTo(200);
  }

  @Test
  void theAppsExceptionHandlers_stayTheApps() {
    HttpResponse<byte[]> r = http.get("/boom");

    assertThat(r.statusCode()).isEqualTo(418);
    assertThat(TestHttp.text(r)).isEqualTo("handled by the app");
  }

  @Test
  void aPathNeitherServes_isTheAppsNotFound_notAProblemDocument() {
    HttpResponse<byte[]> r = http.get("/nowhere");

    assertThat(r.statusCode()).isEqualTo(404);
    assertThat(r.headers().firstValue("Content-Type").orElse(""))
        .doesNotStartWith("application/problem+json");
  }

  @Test
  void aPricedPage_unpaid_isOfferedWithAProblemDocument() throws Exception {
    HttpResponse<byte[]> r = http.get("/pages/haiku.html");

    assertThat(r.statusCode()).isEqualTo(402);
    assertThat(r.headers().firstValue("WWW-Authenticate").orElseThrow())
        .startsWith("Millicent v=2, vendor=venetia, price=100");
    assertThat(JSON.readTree(r.body()).get("code").asText()).isEqualTo("payment-required");
  }

  @Test
  void aPricedPage_paidWithRealScrip_isDeliveredWithAReceipt() {
    OwnCustomers own = OwnCustomers.of(millicent);
    long alice = own.newCustomerId();
    CustomerSecret secret = own.customerSecret(alice);
    Scrip scrip =
        own.mint(
            1_000, alice, Instant.now().plus(Duration.ofHours(1)).truncatedTo(ChronoUnit.SECONDS));

    HttpResponse<byte[]> r =
        http.pay(http.signed(scrip, secret, "GET", "/pages/haiku.html", new byte[0]), new byte[0]);

    assertThat(r.statusCode()).as(TestHttp.text(r)).isEqualTo(200);
    assertThat(TestHttp.text(r)).contains("A haiku");
    assertThat(TestHttp.receipt(r)).containsEntry("price", "100");
  }

  @Test
  void theGatewaysOwnEndpoints_areMounted() throws Exception {
    HttpResponse<byte[]> manifest = http.get("/.well-known/millicent");
    assertThat(manifest.statusCode()).isEqualTo(200);
    assertThat(JSON.readTree(manifest.body()).get("vendor").asText()).isEqualTo("venetia");

    HttpResponse<byte[]> unsigned = http.send("POST", "/millicent/exchange", new byte[] {'{', '}'});
    assertThat(unsigned.statusCode()).isEqualTo(402);

    HttpResponse<byte[]> noToken = http.get("/millicent/admin/keys");
    assertThat(noToken.statusCode()).isEqualTo(401);
  }

  @Test
  void anOverlongPaymentHeader_isReadAndRefusedAsMalformed_notLeftToTheApp() throws Exception {
    // Longer than Jetty's default head (8 KiB), shorter than what the gateway raises it to.
    String header = "Millicent v=2, pad=" + "a".repeat(AuthParams.MAX_LENGTH);

    HttpResponse<byte[]> r = http.get("/pages/haiku.html", "Authorization", header);

    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(JSON.readTree(r.body()).get("code").asText()).isEqualTo("malformed");
  }

  @Test
  void theGatewaysPaths_areScreenedAsInAServerOfItsOwn() throws Exception {
    HttpResponse<byte[]> r =
        http.get("/pages/haiku.html", "Authorization", "Bearer a", "Authorization", "Bearer b");

    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(JSON.readTree(r.body()).get("code").asText()).isEqualTo("bad-request");
  }

  @Test
  void theAppsOwnHealthRoute_staysTheApps() {
    HttpResponse<byte[]> r = http.get("/health");

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(TestHttp.text(r)).isEqualTo("the app's own health");
  }

  @Test
  void metrics_areTheGatewaysPrometheusText_countingItsRequests() {
    assertThat(http.get("/pages/haiku.html").statusCode()).isEqualTo(402);

    HttpResponse<byte[]> r = http.get("/metrics");

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/plain");
    String text = TestHttp.text(r);
    assertThat(text)
        .containsPattern(
            "millicent_vendor_requests_seconds_count\\{kind=\"rejected\",vendor=\"venetia\"\\}"
                + " [1-9]")
        .containsPattern(
            "millicent_vendor_rejections_total\\{code=\"payment-required\",vendor=\"venetia\"\\}"
                + " [1-9]");
    assertThat(r.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
  }

  @Test
  void theOpenApiDescription_isServedAsTheServersIs() throws Exception {
    byte[] described;
    try (var in = VendorServer.class.getResourceAsStream("/META-INF/openapi/vendor.yaml")) {
      assertThat(in).as("vendor.yaml in the jar").isNotNull();
      described = in.readAllBytes();
    }

    HttpResponse<byte[]> r = http.get("/.well-known/openapi.yaml");

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/yaml");
    assertThat(r.body()).isEqualTo(described);
    assertThat(TestHttp.text(r)).startsWith("openapi: 3.1");
  }

  @Test
  void aPreflight_onThePricedPagesAndTheCustomerEndpoints_is204_withCorsHeaders() {
    HttpResponse<byte[]> page = preflight("/pages/haiku.html");
    HttpResponse<byte[]> exchange = preflight("/millicent/exchange");

    assertThat(page.statusCode()).isEqualTo(204);
    assertThat(page.headers().firstValue("Access-Control-Allow-Origin")).hasValue("*");
    assertThat(page.headers().firstValue("Access-Control-Allow-Methods")).hasValue("GET, HEAD");
    assertThat(page.headers().firstValue("Access-Control-Allow-Headers"))
        .hasValue("authorization, content-type");
    assertThat(page.headers().firstValue("Access-Control-Expose-Headers"))
        .hasValue(VendorGateway.EXPOSE);
    assertThat(exchange.statusCode()).isEqualTo(204);
    assertThat(exchange.headers().firstValue("Access-Control-Allow-Methods")).hasValue("GET, POST");
  }

  @Test
  void aPreflight_onTheAppsRoutesOrTheAdminEndpoints_getsNoCors() {
    HttpResponse<byte[]> app = preflight("/hello");
    HttpResponse<byte[]> admin = preflight("/millicent/admin/keys");

    assertThat(app.statusCode()).isEqualTo(404);
    assertThat(app.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
    assertThat(admin.statusCode()).isNotEqualTo(204);
    assertThat(admin.headers().firstValue("Access-Control-Allow-Methods")).isEmpty();
  }

  private static HttpResponse<byte[]> preflight(String path) {
    return http.send(
        "OPTIONS",
        path,
        new byte[0],
        "Origin",
        "https://shop.example",
        "Access-Control-Request-Method",
        "GET",
        "Access-Control-Request-Headers",
        "authorization");
  }
}
