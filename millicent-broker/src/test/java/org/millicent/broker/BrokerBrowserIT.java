package org.millicent.broker;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.millicent.storage.testing.LogCapture;
import org.millicent.storage.testing.RawHttp;

/**
 * The broker for browsers (docs/HTTP-API.md, "GET /", "Browsers and CORS"): a home page for people
 * at {@code /} (the manifest for programs), preflights answered and CORS headers sent on the
 * customer endpoints the JavaScript client calls, and never on admin, settlement or join endpoints.
 */
class BrokerBrowserIT {
  static final String BROWSER =
      "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8";

  @TempDir static Path dir;
  static BrokerServer server;
  static LogCapture log;

  @BeforeAll
  static void start() {
    log = LogCapture.open();
    server = BrokerServer.start(BobSellsVenetia.config(), dir.resolve("data"));
  }

  @AfterAll
  static void stop() {
    server.close();
    log.close();
  }

  private static RawHttp.Response send(String method, String path, String... headers)
      throws Exception {
    return sendBody(method, path, "", headers);
  }

  private static RawHttp.Response sendBody(
      String method, String path, String body, String... headers) throws Exception {
    StringBuilder req = new StringBuilder(method + " " + path + " HTTP/1.1\r\nHost: x\r\n");
    for (String h : headers) {
      req.append(h).append("\r\n");
    }
    if (!body.isEmpty()) {
      req.append("Content-Length: ").append(body.length()).append("\r\n");
    }
    req.append("Connection: close\r\n\r\n").append(body);
    try (RawHttp c = RawHttp.connect(server.url(), 10_000)) {
      return c.send(req.toString()).read("HEAD".equals(method));
    }
  }

  private static RawHttp.Response preflight(String path) throws Exception {
    return send(
        "OPTIONS",
        path,
        "Origin: https://shop.example",
        "Access-Control-Request-Method: POST",
        "Access-Control-Request-Headers: authorization, content-type");
  }

  @Test
  void home_forABrowser_isAPageSayingWhatTheBrokerIsAndHowToOpenAnAccount() throws Exception {
    RawHttp.Response r = send("GET", "/", "Accept: " + BROWSER);
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.header("Content-Type")).isEqualTo("text/html;charset=utf-8");
    assertThat(r.header("Vary")).isEqualTo("Accept");
    assertThat(r.body())
        .startsWith("<!doctype html>")
        .contains("<html lang=\"en\">")
        .contains("<h1>bob</h1>")
        .contains("<a href=\"http://127.0.0.1:9\">venetia</a>")
        // The broker's address as the request named it (Host: x), there being no public_url.
        .contains("millicent wallet register --broker http://x")
        .contains("credit limit $10.00 (1,000,000 millicents)")
        .contains("POST /broker/accounts")
        .contains("@millicent/client")
        .doesNotContain("<script");
  }

  @ParameterizedTest
  @ValueSource(strings = {"application/json", "*/*", ""})
  void home_forAProgram_isTheManifest(String accept) throws Exception {
    RawHttp.Response r =
        accept.isEmpty() ? send("GET", "/") : send("GET", "/", "Accept: " + accept);
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.header("Content-Type")).startsWith("application/json");
    assertThat(r.body())
        .isEqualTo(send("GET", "/.well-known/millicent").body())
        .contains("\"broker\":\"bob\"");
  }

  @Test
  void home_answersHead_andRefusesOtherMethods() throws Exception {
    RawHttp.Response head = send("HEAD", "/", "Accept: " + BROWSER);
    assertThat(head.status()).isEqualTo(200);
    assertThat(head.body()).isEmpty();
    RawHttp.Response post = send("POST", "/", "Content-Length: 0");
    assertThat(post.status()).isEqualTo(405);
    assertThat(post.header("Allow")).isEqualTo("GET, HEAD");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "/.well-known/millicent",
        "/broker/accounts",
        "/broker/accounts/123",
        "/broker/accounts/123/statement",
        "/broker/scrip",
        "/broker/vendor-scrip",
        "/millicent/exchange"
      })
  void preflight_onCustomerEndpoints_is204_withCorsHeaders(String path) throws Exception {
    RawHttp.Response r = preflight(path);
    assertThat(r.status()).as(path).isEqualTo(204);
    assertThat(r.body()).isEmpty();
    assertThat(r.header("Access-Control-Allow-Origin")).isEqualTo("*");
    assertThat(r.header("Access-Control-Allow-Methods")).isEqualTo("GET, POST");
    assertThat(r.header("Access-Control-Allow-Headers")).isEqualTo("authorization, content-type");
    assertThat(r.header("Access-Control-Expose-Headers"))
        .isEqualTo("millicent-receipt, www-authenticate, retry-after");
    assertThat(r.header("Access-Control-Max-Age")).isEqualTo("600");
    assertThat(r.header("Access-Control-Allow-Credentials")).isNull();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "/broker/admin/books",
        "/broker/admin/licences",
        "/broker/admin/settlements/venetia",
        "/broker/accounts/123/topup",
        "/broker/settlements",
        "/broker/vendors/join",
        "/health",
        "/metrics",
        "/"
      })
  void preflight_elsewhere_staysA405_withoutCors(String path) throws Exception {
    RawHttp.Response r = preflight(path);
    assertThat(r.status()).as(path).isEqualTo(405);
    assertThat(r.code()).isEqualTo("method-not-allowed");
    assertThat(r.header("Access-Control-Allow-Origin")).isNull();
    assertThat(r.header("Access-Control-Allow-Methods")).isNull();
  }

  @Test
  void preflight_whereNothingIsServed_staysA404_andPlainOptionsA405() throws Exception {
    RawHttp.Response none = preflight("/broker/nowhere");
    assertThat(none.status()).isEqualTo(404);
    assertThat(none.header("Access-Control-Allow-Origin")).isNull();
    RawHttp.Response plain = send("OPTIONS", "/broker/accounts");
    assertThat(plain.status()).isEqualTo(405);
    assertThat(plain.header("Allow")).isEqualTo("POST");
    assertThat(plain.header("Access-Control-Allow-Methods")).isNull();
  }

  @Test
  void actualResponses_carryCors_onCustomerEndpoints_errorsIncluded() throws Exception {
    String body = "{\"name\":\"alice\"}";
    RawHttp.Response registered =
        sendBody(
            "POST",
            "/broker/accounts",
            body,
            "Origin: https://shop.example",
            "Content-Type: application/json");
    assertThat(registered.status()).isEqualTo(200);
    assertThat(registered.header("Access-Control-Allow-Origin")).isEqualTo("*");
    for (String[] t :
        new String[][] {
          {"GET", "/broker/accounts/1"},
          {"POST", "/broker/scrip"},
          {"POST", "/millicent/exchange"},
          {"GET", "/.well-known/millicent"}
        }) {
      RawHttp.Response r = send(t[0], t[1], "Origin: https://shop.example", "Content-Length: 0");
      assertThat(r.header("Access-Control-Allow-Origin"))
          .as(t[1] + " " + r.status())
          .isEqualTo("*");
      assertThat(r.header("Access-Control-Expose-Headers"))
          .isEqualTo("millicent-receipt, www-authenticate, retry-after");
    }
    for (String[] t :
        new String[][] {
          {"GET", "/broker/admin/books"},
          {"POST", "/broker/accounts/1/topup"},
          {"POST", "/broker/settlements"},
          {"POST", "/broker/vendors/join"},
          {"GET", "/health"},
          {"GET", "/"}
        }) {
      RawHttp.Response r = send(t[0], t[1], "Origin: https://shop.example", "Content-Length: 0");
      assertThat(r.header("Access-Control-Allow-Origin")).as(t[1] + " " + r.status()).isNull();
    }
    assertThat(log.errorsOrStackTraces()).isEmpty();
  }
}
