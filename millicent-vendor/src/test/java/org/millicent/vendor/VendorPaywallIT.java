package org.millicent.vendor;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.millicent.keys.CustomerSecret;
import org.millicent.protocol.PaymentHeader;
import org.millicent.scrip.Scrip;
import org.millicent.storage.testing.RawHttp;
import org.millicent.vendor.config.BrokerConfig;
import org.millicent.vendor.config.Content;
import org.millicent.vendor.config.VendorConfig;
import org.millicent.vendor.testing.TestHttp;

/**
 * The 402 for people and CORS for pages (docs/HTTP-API.md, "The paywall page", "Browsers and
 * CORS"): an unpaid request that prefers HTML gets a page with the price, the brokers and how to
 * pay, and the same offer, Cache-Control and Vary headers as the problem document API clients and
 * paid requests keep getting; every interpolated text is escaped. Customer endpoints answer
 * preflights and carry CORS headers, admin and broker-facing endpoints do not.
 */
class VendorPaywallIT {
  /** What Chromium sends when it navigates to a page. */
  static final String BROWSER =
      "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,"
          + "image/apng,*/*;q=0.8,application/signed-exchange;v=b3;q=0.7";

  @TempDir static Path dir;
  static VendorServer sample;
  static VendorServer proxy;
  static TestHttp http;

  @BeforeAll
  static void start() {
    sample =
        VendorServer.start(
            VendorConfig.sampleBuilder()
                .port(0)
                .broker(
                    new BrokerConfig(
                        "bob",
                        URI.create("http://127.0.0.1:8081"),
                        "bob-token-0123456789abcdef",
                        5,
                        500))
                .build(),
            dir.resolve("sample"));
    // An origin that is never reached: nothing is paid, so nothing is fetched.
    proxy =
        VendorServer.start(
            VendorConfig.builder("venetia")
                .port(0)
                .price("GET", "/api/**", 2_500)
                .content(
                    new Content.Origin(URI.create("http://127.0.0.1:9"), Duration.ofSeconds(1)))
                .build(),
            dir.resolve("proxy"));
    http = new TestHttp(sample.url());
  }

  @AfterAll
  static void stop() {
    sample.close();
    proxy.close();
  }

  @Test
  void browser_getsAReadablePage_withTheOfferHeaders() {
    HttpResponse<byte[]> page = http.get("/pages/haiku.html", "Accept", BROWSER);
    HttpResponse<byte[]> api = http.get("/pages/haiku.html", "Accept", "application/json");
    assertThat(page.statusCode()).isEqualTo(402);
    assertThat(page.headers().firstValue("Content-Type")).hasValue("text/html;charset=utf-8");
    assertThat(page.headers().firstValue("WWW-Authenticate"))
        .isPresent()
        .isEqualTo(api.headers().firstValue("WWW-Authenticate"));
    assertThat(page.headers().firstValue("Cache-Control")).hasValue("no-store");
    assertThat(page.headers().firstValue("Vary")).hasValue("Accept");
    String html = TestHttp.text(page);
    assertThat(html)
        .startsWith("<!doctype html>")
        .contains("<html lang=\"en\">")
        .contains("name=\"viewport\"")
        .contains("<h1>A haiku</h1>")
        .contains("<code>GET /pages/haiku.html</code>")
        .contains("0.1¢")
        .contains("100 millicents")
        .contains("<a href=\"http://127.0.0.1:8081\">bob</a>")
        .contains("millicent wallet register --broker http://127.0.0.1:8081")
        .contains("@millicent/client")
        .doesNotContain("<link")
        .doesNotContain("src=");
    // The build copies the JS client into the jar: the page offers to pay in place, with a
    // module script that is the page's only script (the page works without it).
    assertThat(html)
        .contains("<button id=\"pay\" type=\"button\" hidden>Pay with Millicent</button>")
        .contains("from '/millicent/client/index.js'")
        .contains("const broker = \"http://127.0.0.1:8081\";");
    assertThat(html.split("<script", -1)).hasSize(2);
  }

  @Test
  void theJsClient_isServedForTheButton() {
    HttpResponse<byte[]> index = http.get("/millicent/client/index.js");
    assertThat(index.statusCode()).isEqualTo(200);
    assertThat(index.headers().firstValue("Content-Type"))
        .hasValue("text/javascript;charset=utf-8");
    assertThat(TestHttp.text(index)).contains("export { Wallet");
    assertThat(http.get("/millicent/client/wallet.js").statusCode()).isEqualTo(200);
    for (String missing :
        List.of("/millicent/client/node.js", "/millicent/client/nope.js", "/millicent/client/x")) {
      HttpResponse<byte[]> r = http.get(missing);
      assertThat(r.statusCode()).as(missing).isEqualTo(404);
      assertThat(r.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    }
    RawHttp.Response traversal =
        RawHttp.exchange(sample.url(), "GET", "/millicent/client/..%2Fconfig%2FPrice.class");
    assertThat(traversal.status()).isIn(400, 404);
  }

  @Test
  void jsString_cannotEndTheScript() {
    assertThat(Paywall.jsString("http://x/</script><b>\"'\\&\n"))
        .isEqualTo(
            "\"http://x/\\u003c/script\\u003e\\u003cb\\u003e\\u0022\\u0027\\u005c\\u0026\\u000a\"");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "application/json",
        "application/problem+json",
        "*/*",
        "",
        "text/html, application/json",
        "text/html;q=0.5, application/problem+json",
        "text/html;q=0",
        "text/plain"
      })
  void apiClients_keepTheProblemDocument(String accept) {
    HttpResponse<byte[]> r =
        accept.isEmpty()
            ? http.get("/pages/haiku.html")
            : http.get("/pages/haiku.html", "Accept", accept);
    assertThat(r.statusCode()).isEqualTo(402);
    assertThat(r.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    assertThat(TestHttp.text(r))
        .contains("\"code\":\"payment-required\"")
        .contains("\"price_millicents\":100");
    assertThat(r.headers().firstValue("WWW-Authenticate")).isPresent();
    assertThat(r.headers().firstValue("Cache-Control")).hasValue("no-store");
    assertThat(r.headers().firstValue("Vary")).hasValue("Accept");
  }

  @Test
  void aPathWithMarkup_isEscaped() {
    for (String target :
        List.of(
            "/api/%3Cscript%3Ealert(1)%3C/script%3E",
            "/api/%22%3E%3Cimg%20src=x%20onerror=alert(1)%3E", "/api/a&b'c")) {
      RawHttp.Response r = RawHttp.exchange(proxy.url(), "GET", target, "Accept: " + BROWSER);
      assertThat(r.status()).as(target).isEqualTo(402);
      assertThat(r.header("Content-Type")).isEqualTo("text/html;charset=utf-8");
      assertThat(r.body())
          .as(target)
          .doesNotContain("<script>alert")
          .doesNotContain("<img")
          .doesNotContain("a&b'c")
          .contains("2.5¢")
          .contains("2,500 millicents")
          .contains("This vendor names no broker");
    }
    assertThat(RawHttp.exchange(proxy.url(), "GET", "/api/a&b'c", "Accept: " + BROWSER).body())
        .contains("a&amp;b&#39;c");
  }

  /**
   * A refused payment keeps the problem document even when the request prefers HTML: the wallet
   * that paid (its proxy forwards a browser's Accept) reads the code to decide what became of its
   * scrip ({@code spent} on a re-send starts a recovery).
   */
  @Test
  void aRefusedPayment_staysAProblemDocument_evenForABrowsersAccept() {
    long alice = OwnCustomers.of(sample).newCustomerId();
    CustomerSecret secret = OwnCustomers.of(sample).customerSecret(alice);
    Scrip s =
        OwnCustomers.of(sample)
            .mint(
                1_000,
                alice,
                Instant.now().plus(Duration.ofHours(1)).truncatedTo(ChronoUnit.SECONDS));
    assertThat(
            http.pay(http.signed(s, secret, "GET", "/pages/haiku.html", new byte[0]), new byte[0])
                .statusCode())
        .isEqualTo(200);
    // The same scrip for another request (a new nonce) is spent.
    String again =
        PaymentHeader.format(http.signed(s, secret, "GET", "/pages/haiku.html", new byte[0]));
    HttpResponse<byte[]> r =
        http.get("/pages/haiku.html", "Authorization", again, "Accept", BROWSER);
    assertThat(r.statusCode()).isEqualTo(402);
    assertThat(r.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    assertThat(TestHttp.text(r)).contains("\"code\":\"spent\"");
    assertThat(r.headers().firstValue("WWW-Authenticate")).isPresent();
    assertThat(r.headers().firstValue("Vary")).hasValue("Accept");
  }

  @Test
  void theExchangesOffer_staysAProblemDocument() {
    HttpResponse<byte[]> r =
        http.send(
            "POST",
            "/millicent/exchange",
            "{}".getBytes(StandardCharsets.UTF_8),
            "Accept",
            BROWSER);
    assertThat(r.statusCode()).isEqualTo(402);
    assertThat(r.headers().firstValue("Content-Type")).hasValue("application/problem+json");
  }

  // ------------------------------------------------------------------ CORS

  @ParameterizedTest
  @ValueSource(
      strings = {"/pages/haiku.html", "/", "/.well-known/millicent", "/millicent/exchange"})
  void preflight_onCustomerPaths_is204_withCorsHeaders(String path) {
    RawHttp.Response r = preflight(sample, path);
    assertThat(r.status()).as(path).isEqualTo(204);
    assertThat(r.body()).isEmpty();
    assertThat(r.header("Access-Control-Allow-Origin")).isEqualTo("*");
    assertThat(r.header("Access-Control-Allow-Headers")).isEqualTo("authorization, content-type");
    assertThat(r.header("Access-Control-Allow-Methods")).contains("GET");
    assertThat(r.header("Access-Control-Expose-Headers"))
        .isEqualTo("millicent-receipt, www-authenticate, retry-after, millicent-content-type");
    assertThat(r.header("Access-Control-Max-Age")).isEqualTo("600");
    assertThat(r.header("Access-Control-Allow-Credentials")).isNull();
  }

  @Test
  void preflight_forContent_allowsTheCataloguesMethods() {
    assertThat(preflight(sample, "/pages/haiku.html").header("Access-Control-Allow-Methods"))
        .isEqualTo("GET, HEAD");
    assertThat(preflight(sample, "/millicent/recover").header("Access-Control-Allow-Methods"))
        .isEqualTo("GET, POST");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "/millicent/admin/licences",
        "/millicent/admin/keys",
        "/millicent/broker/account",
        "/millicent/broker/warehouse",
        "/health",
        "/metrics"
      })
  void preflight_onAdminAndBrokerPaths_staysA405_withoutCors(String path) {
    RawHttp.Response r = preflight(sample, path);
    assertThat(r.status()).as(path).isEqualTo(405);
    assertThat(r.header("Content-Type")).startsWith("application/problem+json");
    assertThat(r.header("Access-Control-Allow-Origin")).isNull();
    assertThat(r.header("Access-Control-Allow-Methods")).isNull();
  }

  @Test
  void preflight_whereNothingIsOffered_staysA404_andPlainOptionsA405() {
    RawHttp.Response none = preflight(sample, "/pages/nowhere.html");
    assertThat(none.status()).isEqualTo(404);
    assertThat(none.header("Access-Control-Allow-Methods")).isNull();
    RawHttp.Response plain = RawHttp.exchange(sample.url(), "OPTIONS", "/pages/haiku.html");
    assertThat(plain.status()).isEqualTo(405);
    assertThat(plain.header("Allow")).isEqualTo("GET, HEAD");
    assertThat(plain.header("Access-Control-Allow-Methods")).isNull();
  }

  @Test
  void actualResponses_carryCors_onCustomerPathsOnly() {
    List<String> missing = new ArrayList<>();
    for (String path :
        List.of("/pages/haiku.html", "/", "/.well-known/millicent", "/pages/nowhere.html")) {
      RawHttp.Response r =
          RawHttp.exchange(sample.url(), "GET", path, "Origin: https://elsewhere.example");
      if (!"*".equals(r.header("Access-Control-Allow-Origin"))
          || !r.header("Access-Control-Expose-Headers").contains("www-authenticate")) {
        missing.add(path + " " + r.status());
      }
    }
    RawHttp.Response exchange =
        RawHttp.exchange(sample.url(), "POST", "/millicent/exchange", "Content-Length: 0");
    assertThat(exchange.status()).isEqualTo(402);
    assertThat(exchange.header("Access-Control-Allow-Origin")).isEqualTo("*");
    assertThat(missing).isEmpty();
    for (String path :
        List.of("/millicent/admin/licences", "/millicent/broker/account", "/health", "/metrics")) {
      RawHttp.Response r =
          RawHttp.exchange(sample.url(), "GET", path, "Origin: https://elsewhere.example");
      assertThat(r.header("Access-Control-Allow-Origin")).as(path).isNull();
    }
  }

  private static RawHttp.Response preflight(VendorServer v, String path) {
    return RawHttp.exchange(
        v.url(),
        "OPTIONS",
        path,
        "Origin: https://elsewhere.example",
        "Access-Control-Request-Method: GET",
        "Access-Control-Request-Headers: authorization");
  }
}
