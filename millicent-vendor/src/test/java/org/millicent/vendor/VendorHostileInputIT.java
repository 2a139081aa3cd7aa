package org.millicent.vendor;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.millicent.protocol.PaymentHeader;
import org.millicent.scrip.Scrip;
import org.millicent.storage.testing.LogCapture;
import org.millicent.storage.testing.RawHttp;
import org.millicent.vendor.config.VendorConfig;
import org.millicent.vendor.testing.OwnCustomer;
import org.millicent.vendor.testing.TestHttp;

/**
 * Hostile HTTP input at a real reverse-proxy vendor on loopback (issue 12, part 5): broken and
 * aborted chunked bodies on paid, free and exchange requests, two Authorization headers, and
 * forwarding headers the client made up. Each gets a 4xx problem document (or a closed connection),
 * the scrip offered with a broken request stays unspent, and nothing is logged at ERROR or with a
 * stack trace.
 */
class VendorHostileInputIT {
  @TempDir static Path dir;
  static TestOrigin origin;
  static final Map<String, List<String>> lastForwarded = new ConcurrentHashMap<>();
  static VendorServer vendor;
  static OwnCustomer alice;

  private LogCapture log;

  @BeforeAll
  static void start() throws IOException {
    origin =
        TestOrigin.start(
            ex -> {
              ex.getRequestBody().readAllBytes();
              for (String h :
                  List.of("X-Forwarded-For", "Forwarded", "X-Real-IP", "X-Forwarded-Host")) {
                List<String> v = ex.getRequestHeaders().get(h);
                lastForwarded.put(h, v == null ? List.of() : List.copyOf(v));
              }
              TestOrigin.answer(ex, 200, "origin answers");
            });
    vendor = VendorServer.start(origin.pricedProxy().build(), dir);
    alice = OwnCustomer.of(vendor);
  }

  @AfterAll
  static void stop() {
    vendor.close();
    origin.close();
  }

  @BeforeEach
  void capture() {
    log = LogCapture.open();
  }

  @AfterEach
  void release() {
    log.close();
  }

  private static RawHttp raw() throws IOException {
    return RawHttp.connect(vendor.url(), 10_000);
  }

  /** The head of a chunked POST to {@code path} carrying {@code authorization} (if not null). */
  private static String chunkedPost(String path, String authorization) {
    return "POST "
        + path
        + " HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        + (authorization == null ? "" : "Authorization: " + authorization + "\r\n")
        + "Transfer-Encoding: chunked\r\n\r\n";
  }

  private static String paymentFor(Scrip s, String path, byte[] body) {
    return PaymentHeader.format(
        new TestHttp(vendor.url()).signed(s, alice.secret(), "POST", path, body));
  }

  @ParameterizedTest
  @ValueSource(strings = {"/api/ask", "/free/ask", "/millicent/exchange"})
  void badChunkSize_isA400Problem_andTheScripStaysUnspent(String path) throws Exception {
    byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
    Scrip s = alice.scrip(1_000);
    try (RawHttp c = raw()) {
      RawHttp.Response r =
          c.send(chunkedPost(path, paymentFor(s, path, body)) + "zz\r\n{}\r\n0\r\n\r\n").read();
      assertThat(r.status()).as(r::toString).isEqualTo(400);
      assertThat(r.header("Content-Type")).startsWith("application/problem+json");
      assertThat(r.code()).isEqualTo("bad-request");
    }
    assertUnspent(s);
    assertThat(log.errorsOrStackTraces()).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"/api/ask", "/free/ask", "/millicent/exchange"})
  void chunkedBodyCutShort_isA400ProblemOrClose_andTheScripStaysUnspent(String path)
      throws Exception {
    byte[] body = "{\"q\":1}".getBytes(StandardCharsets.UTF_8);
    Scrip s = alice.scrip(1_000);
    try (RawHttp c = raw()) {
      c.send(chunkedPost(path, paymentFor(s, path, body)) + "40\r\n{\"q\":");
      c.shutdownOutput();
      RawHttp.Response r = c.read();
      assertThat(r.status()).as(r::toString).isIn(-1, 400);
      if (r.status() == 400) {
        assertThat(r.code()).isEqualTo("bad-request");
      }
    }
    assertUnspent(s);
    assertThat(log.errorsOrStackTraces()).isEmpty();
  }

  @Test
  void twoHundredAbortedSlowUploads_logNoErrorAndAtMostAFewWarnings() throws Exception {
    Scrip s = alice.scrip(1_000);
    String auth = paymentFor(s, "/api/upload", new byte[0]);
    for (int i = 0; i < 200; i++) {
      RawHttp c = raw();
      c.send(chunkedPost("/api/upload", auth) + "400\r\n{\"data\":\"" + "a".repeat(64));
      c.abort();
    }
    assertThat(new TestHttp(vendor.url()).get("/.well-known/millicent").statusCode())
        .isEqualTo(200);
    Thread.sleep(500); // lets the server finish with the aborted requests before the log is read
    assertUnspent(s);
    assertThat(log.errorsOrStackTraces()).isEmpty();
    assertThat(log.warnings()).isLessThanOrEqualTo(2);
  }

  @ParameterizedTest
  @ValueSource(strings = {"/api/ask", "/free/ask", "/millicent/exchange", "/.well-known/millicent"})
  void twoAuthorizationHeaders_are400_evenWhenTheFirstIsAValidPayment(String path)
      throws Exception {
    Scrip s = alice.scrip(1_000);
    String valid =
        PaymentHeader.format(
            new TestHttp(vendor.url()).signed(s, alice.secret(), "GET", path, new byte[0]));
    try (RawHttp c = raw()) {
      RawHttp.Response r =
          c.send(
                  "GET "
                      + path
                      + " HTTP/1.1\r\nHost: x\r\nAuthorization: "
                      + valid
                      + "\r\nAuthorization: Millicent v=1\r\nConnection: close\r\n\r\n")
              .read();
      assertThat(r.status()).as(r::toString).isEqualTo(400);
      assertThat(r.code()).isEqualTo("bad-request");
    }
    assertUnspent(s);
  }

  @Test
  void forwardingHeadersFromTheClient_areReplacedByThePeerAddress() {
    TestHttp http = new TestHttp(vendor.url());
    HttpResponse<byte[]> free =
        http.get(
            "/free/page",
            "X-Forwarded-For",
            "6.6.6.6",
            "Forwarded",
            "for=6.6.6.6;proto=https",
            "X-Real-IP",
            "6.6.6.6",
            "X-Forwarded-Host",
            "bank.example");
    assertThat(free.statusCode()).isEqualTo(200);
    assertThat(lastForwarded.get("X-Forwarded-For")).containsExactly("127.0.0.1");
    assertThat(lastForwarded.get("Forwarded")).isEmpty();
    assertThat(lastForwarded.get("X-Real-IP")).isEmpty();
    assertThat(lastForwarded.get("X-Forwarded-Host")).isEmpty();

    Scrip s = alice.scrip(1_000);
    HttpResponse<byte[]> paid =
        http.send(
            "GET",
            "/paid",
            new byte[0],
            "Authorization",
            PaymentHeader.format(
                new TestHttp(vendor.url()).signed(s, alice.secret(), "GET", "/paid", new byte[0])),
            "X-Forwarded-For",
            "6.6.6.6, 7.7.7.7");
    assertThat(paid.statusCode()).isEqualTo(200);
    assertThat(lastForwarded.get("X-Forwarded-For")).containsExactly("127.0.0.1");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "/millicent/broker/account",
        "/millicent/broker/received",
        "/millicent/admin/licences"
      })
  void head_onATokenRoute_isRefusedLikeGet(String path) throws Exception {
    assertThat(new TestHttp(vendor.url()).get(path).statusCode()).isEqualTo(401);
    try (RawHttp c = raw()) {
      RawHttp.Response r =
          c.send("HEAD " + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").read(true);
      assertThat(r.status()).as(r::toString).isEqualTo(401);
    }
  }

  @Test
  void malformedPercentEscapeInAnAdminPathParameter_is400() throws Exception {
    try (RawHttp c = raw()) {
      RawHttp.Response r =
          c.send(
                  "DELETE /millicent/admin/licences/1%u0041 HTTP/1.1\r\nHost: x\r\nAuthorization:"
                      + " Bearer "
                      + vendor.adminToken()
                      + "\r\nConnection: close\r\n\r\n")
              .read();
      assertThat(r.status()).as(r::toString).isEqualTo(400);
      // Jetty's URI compliance refuses it first (bad-path) or the gateway does (bad-request).
      assertThat(r.code()).as(r::toString).isIn("bad-request", "bad-path");
    }
    assertThat(log.errorsOrStackTraces()).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "GET /free/x HTTP/1.2\r\nHost: x\r\n\r\n",
        "GET /free/a b HTTP/1.1\r\nHost: x\r\n\r\n",
        "GET /free/x HTTP/1.1\r\nHost: x\r\nNoColon\r\n\r\n",
        "POST /free/x HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n"
      })
  void requestsJettyRefuses_getA4xxProblemDocument(String request) throws Exception {
    try (RawHttp c = raw()) {
      // (A head over the size limit has its own code: VendorRefusalsIT.)
      RawHttp.Response r = c.send(request).read();
      assertThat(r.status()).as(r::toString).isBetween(400, 499);
      assertThat(r.header("Content-Type")).startsWith("application/problem+json");
      assertThat(r.code()).isEqualTo("bad-request");
    }
    assertThat(log.errorsOrStackTraces()).isEmpty();
  }

  @Test
  void slowloris_aHeadSentAByteAtATime_isClosedAfterTheHeaderTimeout(@TempDir Path slowDir)
      throws Exception {
    try (VendorServer slow =
        VendorServer.start(
            VendorConfig.sampleBuilder()
                .port(0)
                .httpTimeouts(
                    new org.millicent.http.HttpTimeouts(
                        Duration.ofSeconds(30), Duration.ofSeconds(1)))
                .build(),
            slowDir)) {
      // A head that arrives within the timeout is answered.
      try (RawHttp c = RawHttp.connect(slow.url(), 10_000)) {
        for (char ch : "GET / HTTP/1.1\r\nHost: x\r\n".toCharArray()) {
          c.send(String.valueOf(ch));
        }
        assertThat(c.send("\r\n").read().status()).isEqualTo(200);
      }
      // A head that keeps arriving, a byte every 100 ms (never idle), is cut off.
      try (RawHttp c = RawHttp.connect(slow.url(), 100)) {
        c.send("GET / HTTP/1.1\r\nHost: x\r\nX-Slow: ");
        assertThat(c.trickleUntilClosed("a", Duration.ofSeconds(20)))
            .as("closed within 20 s with a 1 s header timeout")
            .isTrue();
      }
    }
  }

  /** The scrip buys a page, so nothing before spent it. */
  private static void assertUnspent(Scrip s) {
    HttpResponse<byte[]> r =
        new TestHttp(vendor.url())
            .pay(
                new TestHttp(vendor.url()).signed(s, alice.secret(), "GET", "/check", new byte[0]),
                new byte[0]);
    assertThat(r.statusCode()).as(() -> TestHttp.text(r)).isEqualTo(200);
  }
}
