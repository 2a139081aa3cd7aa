package org.millicent.vendor;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.millicent.protocol.AuthParams;
import org.millicent.protocol.PaymentHeader;
import org.millicent.scrip.Scrip;
import org.millicent.storage.testing.LogCapture;
import org.millicent.storage.testing.RawHttp;
import org.millicent.vendor.config.VendorConfig;
import org.millicent.vendor.testing.OwnCustomer;
import org.millicent.vendor.testing.RunningVendor;
import org.millicent.vendor.testing.TestHttp;

/**
 * What the vendor answers when it will not serve a request (issue 13): every refusal, those of
 * Jetty and Javalin included, is an RFC 9457 problem document with a stable code. A Millicent
 * Authorization of up to 16 384 characters is read and paid; a longer one is {@code malformed}; a
 * request head over 32 KiB is {@code 431 headers-too-large}; a path served with other methods is
 * {@code 405 method-not-allowed} with {@code Allow}, one served with none {@code 404 not-found}.
 */
class VendorRefusalsIT {
  @RegisterExtension
  static final RunningVendor vendor =
      new RunningVendor(
          VendorConfig.sampleBuilder().port(0).adminToken("admin-token-0123456789").build());

  private final TestHttp http = vendor.http();
  private final OwnCustomer alice = vendor.alice();

  private LogCapture log;

  @BeforeEach
  void capture() {
    log = LogCapture.open();
  }

  @AfterEach
  void release() {
    log.close();
  }

  /**
   * {@code header} with an unknown parameter (ignored by readers) making it {@code length} long.
   */
  private static String padded(String header, int length) {
    String pad = ", pad=";
    return header + pad + "a".repeat(length - header.length() - pad.length());
  }

  private static RawHttp.Response raw(String request) throws IOException {
    try (RawHttp c = RawHttp.connect(vendor.server().url(), 10_000)) {
      return c.send(request).read(request.startsWith("HEAD "));
    }
  }

  private static void assertProblem(RawHttp.Response r, int status, String code) {
    assertThat(r.status()).as(r::toString).isEqualTo(status);
    assertThat(r.header("Content-Type")).startsWith("application/problem+json");
    assertThat(r.code()).isEqualTo(code);
    assertThat(r.body()).contains("\"status\":" + status).doesNotContain(": null");
  }

  @Test
  void payment_whoseHeaderHasTheLongestLength_isReadAndPaid() {
    Scrip s = alice.scrip(1_000);
    String header =
        padded(
            PaymentHeader.format(
                http.signed(s, alice.secret(), "GET", "/pages/haiku.html", new byte[0])),
            AuthParams.MAX_LENGTH);
    assertThat(header).hasSize(16_384);
    HttpResponse<byte[]> r = http.get("/pages/haiku.html", "Authorization", header);
    assertThat(r.statusCode()).as(TestHttp.text(r)).isEqualTo(200);
    assertThat(TestHttp.receipt(r)).containsEntry("price", "100");
  }

  @Test
  void payment_whoseHeaderIsOneCharacterLonger_isMalformed_andTheScripStaysUnspent() {
    Scrip s = alice.scrip(1_000);
    String honest =
        PaymentHeader.format(
            http.signed(s, alice.secret(), "GET", "/pages/haiku.html", new byte[0]));
    HttpResponse<byte[]> r =
        http.get("/pages/haiku.html", "Authorization", padded(honest, AuthParams.MAX_LENGTH + 1));
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    assertThat(TestHttp.text(r)).contains("\"code\":\"malformed\"").contains("16384");
    // The same payment without the padding still pays: the scrip was not spent.
    assertThat(http.get("/pages/haiku.html", "Authorization", honest).statusCode()).isEqualTo(200);
  }

  @ParameterizedTest
  @ValueSource(strings = {"/", "/.well-known/millicent", "/millicent/exchange"})
  void overlongMillicentHeader_isMalformed_whereverItIsSent(String path) throws IOException {
    String method = path.equals("/millicent/exchange") ? "POST" : "GET";
    String header = padded("Millicent v=2, variant=signed", AuthParams.MAX_LENGTH + 1);
    assertProblem(
        raw(
            method
                + " "
                + path
                + " HTTP/1.1\r\nHost: x\r\nAuthorization: "
                + header
                + "\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"),
        400,
        "malformed");
  }

  @Test
  void requestHeadOver32KiB_is431HeadersTooLarge() throws IOException {
    String pad = "X-Pad: " + "a".repeat(40_000) + "\r\n";
    assertProblem(
        raw("GET / HTTP/1.1\r\nHost: x\r\n" + pad + "Connection: close\r\n\r\n"),
        431,
        "headers-too-large");
    assertThat(log.errorsOrStackTraces()).isEmpty();
  }

  @Test
  void requestHeadJustUnder32KiB_isServed() throws IOException {
    String pad = "X-Pad: " + "a".repeat(32 * 1024 - 200) + "\r\n";
    RawHttp.Response r = raw("GET / HTTP/1.1\r\nHost: x\r\n" + pad + "Connection: close\r\n\r\n");
    assertThat(r.status()).as(r::toString).isEqualTo(200);
  }

  @Test
  void requestTargetOver32KiB_is414UriTooLong() throws IOException {
    assertProblem(
        raw("GET /" + "a".repeat(40_000) + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"),
        414,
        "uri-too-long");
  }

  @Test
  void bodyOverTheSizeLimit_is413ContentTooLarge() throws IOException {
    byte[] body = new byte[2_000_000];
    java.util.Arrays.fill(body, (byte) 'a');
    HttpResponse<byte[]> r = http.send("POST", "/", body, "Content-Type", "text/plain");
    assertThat(r.statusCode()).isEqualTo(413);
    assertThat(r.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    assertThat(TestHttp.text(r)).contains("\"code\":\"content-too-large\"");
  }

  @ParameterizedTest
  @CsvSource({
    "GET, /nowhere",
    "HEAD, /nowhere",
    "OPTIONS, /nowhere",
    "PROPFIND, /nowhere",
    "GET, /pages/nowhere.html",
    "DELETE, /millicent/nowhere"
  })
  void pathServedWithNoMethod_is404NotFound(String method, String path) throws IOException {
    RawHttp.Response r =
        raw(method + " " + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    assertThat(r.status()).as(r::toString).isEqualTo(404);
    assertThat(r.header("Content-Type")).startsWith("application/problem+json");
    if (!method.equals("HEAD")) {
      assertProblem(r, 404, "not-found");
    }
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "DELETE | /pages/haiku.html | GET, HEAD",
        "OPTIONS | /pages/haiku.html | GET, HEAD",
        "POST | /pages/haiku.html | GET, HEAD",
        "TRACE | / | GET, HEAD, POST, PUT, PATCH, DELETE",
        "OPTIONS | / | GET, HEAD, POST, PUT, PATCH, DELETE",
        "GET | /millicent/exchange | POST",
        "PUT | /millicent/recover | POST",
        "POST | /health | GET, HEAD",
        "DELETE | /metrics | GET, HEAD",
        "PUT | /.well-known/millicent | GET, HEAD",
        "DELETE | /millicent/admin/licences | GET, HEAD, POST",
        "GET | /millicent/admin/licences/7 | DELETE",
        "GET | /millicent/admin/keys/rotate | POST",
        "DELETE | /millicent/admin/keys | GET, HEAD",
        "PROPFIND | /millicent/broker/account | GET, HEAD",
        "GET | /millicent/broker/warehouse | POST"
      })
  void pathServedWithOtherMethods_is405_withAllow(String method, String path, String allow)
      throws IOException {
    RawHttp.Response r =
        raw(method + " " + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    assertProblem(r, 405, "method-not-allowed");
    assertThat(r.header("Allow")).isEqualTo(allow);
    assertThat(log.errorsOrStackTraces()).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"/health", "/metrics", "/.well-known/millicent"})
  void head_onAFixedGetRoute_answersLikeTheGet(String path) throws IOException {
    RawHttp.Response r = raw("HEAD " + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.body()).isEmpty();
    assertThat(http.get(path).statusCode()).isEqualTo(200);
  }

  @Test
  void unparsableRequestLine_isA400ProblemDocument_withJettysReason() throws IOException {
    RawHttp.Response r = raw("GET / HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n");
    assertProblem(r, 400, "bad-request");
    assertThat(r.body()).contains("the request could not be parsed (HTTP 400: Illegal character");
    assertThat(r.body()).doesNotContain("<html");
  }
}
