package org.millicent.vendor;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.millicent.keys.CustomerSecret;
import org.millicent.protocol.Headers;
import org.millicent.protocol.Nonce;
import org.millicent.protocol.Payer;
import org.millicent.protocol.Payment;
import org.millicent.protocol.PaymentHeader;
import org.millicent.scrip.Scrip;
import org.millicent.vendor.config.Content;
import org.millicent.vendor.config.VendorConfig;
import org.millicent.vendor.config.VendorConfigBuilder;
import org.millicent.vendor.testing.OwnCustomer;
import org.millicent.vendor.testing.TestHttp;

/**
 * Charge only on delivery: the gateway in front of a tiny origin that answers 200, 404 or 500, or
 * cannot be reached. The spend commits on 2xx-4xx and is released on 5xx or no answer.
 */
class VendorProxyIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The vendor's {@code max_answer_bytes}, small so that a test sends a little more. */
  private static final int MAX_ANSWER_BYTES = 64 * 1024;

  /** The slow vendor's {@code origin_timeout}; {@code /trickle} takes 6 times as long. */
  private static final Duration SLOW_ORIGIN_TIMEOUT = Duration.ofSeconds(1);

  @TempDir static Path dir;
  @TempDir static Path deadDir;
  @TempDir static Path slowDir;
  static TestOrigin origin;
  static final AtomicInteger originCalls = new AtomicInteger();
  static VendorServer vendor;
  static VendorServer deadVendor;

  /** In front of the same origin with a short {@code origin_timeout}, for answers that trickle. */
  static VendorServer slowVendor;

  static OwnCustomer alice;

  @BeforeAll
  static void start() throws IOException {
    origin =
        TestOrigin.start(
            ex -> {
              originCalls.incrementAndGet();
              String path = ex.getRequestURI().getPath();
              if (path.startsWith("/large/")) {
                large(ex, path);
                return;
              }
              if (path.startsWith("/trickle")) {
                trickle(ex);
                return;
              }
              byte[] in = ex.getRequestBody().readAllBytes();
              int status = path.startsWith("/fail") ? 500 : path.startsWith("/missing") ? 404 : 200;
              ex.getResponseHeaders().add("Content-Type", "text/plain");
              ex.getResponseHeaders().add("X-Origin", "yes");
              TestOrigin.answer(
                  ex,
                  status,
                  ("origin says "
                      + status
                      + " to "
                      + ex.getRequestMethod()
                      + " "
                      + ex.getRequestURI()
                      + " body="
                      + new String(in, StandardCharsets.UTF_8)
                      + " type="
                      + ex.getRequestHeaders().getFirst("Content-Type")
                      + " sealed-type="
                      + ex.getRequestHeaders().getFirst(Headers.SEALED_CONTENT_TYPE)
                      + " auth="
                      + ex.getRequestHeaders().getFirst("Authorization")));
            });
    VendorConfigBuilder config =
        VendorConfig.builder("venetia")
            .port(0)
            .price("*", "/**", 250)
            .maxAnswerBytes(MAX_ANSWER_BYTES)
            .content(origin.content(Duration.ofSeconds(5)));
    vendor = VendorServer.start(config.build(), dir);
    int closedPort;
    try (ServerSocket s = new ServerSocket(0)) {
      closedPort = s.getLocalPort();
    }
    deadVendor =
        VendorServer.start(
            config
                .content(
                    new Content.Origin(
                        URI.create("http://127.0.0.1:" + closedPort), Duration.ofSeconds(2)))
                .build(),
            deadDir);
    slowVendor =
        VendorServer.start(config.content(origin.content(SLOW_ORIGIN_TIMEOUT)).build(), slowDir);
    alice = OwnCustomer.of(vendor);
  }

  @AfterAll
  static void stop() {
    vendor.close();
    deadVendor.close();
    slowVendor.close();
    origin.close();
  }

  @Test
  void origin200_isDeliveredAndCharged() {
    TestHttp http = new TestHttp(vendor.url());
    Scrip s = alice.scrip(1_000);
    HttpResponse<byte[]> r =
        http.pay(http.signed(s, alice.secret(), "GET", "/ok?q=1", new byte[0]), new byte[0]);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(TestHttp.text(r)).startsWith("origin says 200 to GET /ok?q=1").endsWith("auth=null");
    assertThat(r.headers().firstValue("X-Origin")).hasValue("yes");
    assertThat(TestHttp.receipt(r)).containsEntry("price", "250");
  }

  @Test
  void origin500_is502AndTheScripStaysUnspent() throws Exception {
    TestHttp http = new TestHttp(vendor.url());
    Scrip s = alice.scrip(1_000);
    HttpResponse<byte[]> r =
        http.pay(http.signed(s, alice.secret(), "GET", "/fail", new byte[0]), new byte[0]);
    assertThat(r.statusCode()).isEqualTo(502);
    assertThat(JSON.readTree(r.body()).get("code").asText()).isEqualTo("origin-failed");
    assertThat(r.headers().firstValue(Headers.RECEIPT)).isEmpty();
    HttpResponse<byte[]> again =
        http.pay(http.signed(s, alice.secret(), "GET", "/ok", new byte[0]), new byte[0]);
    assertThat(again.statusCode()).isEqualTo(200);
    assertThat(TestHttp.receipt(again).get("change")).isNotNull();
  }

  /**
   * {@code /large/announced/N}: N bytes with their length announced; {@code /large/chunked/N}: N
   * bytes chunked, in 8 KiB writes, so that only their count can tell they are too many.
   */
  private static void large(com.sun.net.httpserver.HttpExchange ex, String path)
      throws IOException {
    int n = Integer.parseInt(path.substring(path.lastIndexOf('/') + 1));
    ex.getResponseHeaders().add("Content-Type", "application/octet-stream");
    ex.sendResponseHeaders(200, path.startsWith("/large/chunked/") ? 0 : n);
    byte[] chunk = new byte[8192];
    java.util.Arrays.fill(chunk, (byte) 'x');
    try (var out = ex.getResponseBody()) {
      for (int sent = 0; sent < n; sent += chunk.length) {
        out.write(chunk, 0, Math.min(chunk.length, n - sent));
      }
    } catch (IOException e) {
      // the gateway hung up on an answer over its limit: what the test wants
    } finally {
      ex.close();
    }
  }

  /**
   * {@code /trickle}: the headers at once, then a 60-byte body, one byte every 100 ms: in time for
   * any header timeout, never for a timeout of the whole answer under 6 seconds.
   */
  private static void trickle(com.sun.net.httpserver.HttpExchange ex) throws IOException {
    ex.getResponseHeaders().add("Content-Type", "text/plain");
    ex.sendResponseHeaders(200, 60);
    try (var out = ex.getResponseBody()) {
      for (int i = 0; i < 60; i++) {
        out.write('x');
        out.flush();
        Thread.sleep(100);
      }
    } catch (IOException e) {
      // the gateway hung up on an answer past its deadline: what the test wants
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      ex.close();
    }
  }

  /**
   * The origin's headers come in time but its body trickles past {@code origin_timeout}: refused
   * 502 origin-failed once the timeout is up, not delivered when the body ends; nothing charged.
   */
  @Test
  void anOriginWhoseBodyTricklesPastTheTimeout_is502_andTheScripThenBuys() throws Exception {
    TestHttp http = new TestHttp(slowVendor.url());
    OwnCustomer hers = OwnCustomer.of(slowVendor);
    Scrip s = hers.scrip(1_000);

    HttpResponse<byte[]> r =
        http.pay(http.signed(s, hers.secret(), "GET", "/trickle", new byte[0]), new byte[0]);

    assertThat(r.statusCode()).as(TestHttp.text(r)).isEqualTo(502);
    assertThat(JSON.readTree(r.body()).get("code").asText()).isEqualTo("origin-failed");
    assertThat(JSON.readTree(r.body()).get("detail").asText())
        .contains("origin_timeout (" + SLOW_ORIGIN_TIMEOUT + ")", "nothing was charged");
    assertThat(r.headers().firstValue(Headers.RECEIPT)).isEmpty();
    HttpResponse<byte[]> again =
        http.pay(http.signed(s, hers.secret(), "GET", "/ok", new byte[0]), new byte[0]);
    assertThat(again.statusCode()).as(TestHttp.text(again)).isEqualTo(200);
    assertThat(TestHttp.receipt(again)).containsEntry("price", "250").containsKey("change");
  }

  @Test
  void anAnswerOverMaxAnswerBytes_is502OriginTooLarge_andTheScripThenBuys() throws Exception {
    TestHttp http = new TestHttp(vendor.url());
    Scrip s = alice.scrip(1_000);
    for (String kind : java.util.List.of("announced", "chunked")) {
      String target = "/large/" + kind + "/" + (MAX_ANSWER_BYTES + 1);

      HttpResponse<byte[]> r =
          http.pay(http.signed(s, alice.secret(), "GET", target, new byte[0]), new byte[0]);

      assertThat(r.statusCode()).as(kind).isEqualTo(502);
      assertThat(JSON.readTree(r.body()).get("code").asText()).isEqualTo("origin-too-large");
      assertThat(JSON.readTree(r.body()).get("detail").asText())
          .contains("max_answer_bytes (" + MAX_ANSWER_BYTES + " bytes)", "nothing was charged");
      assertThat(r.headers().firstValue(Headers.RECEIPT)).isEmpty();
    }
    HttpResponse<byte[]> again =
        http.pay(http.signed(s, alice.secret(), "GET", "/ok", new byte[0]), new byte[0]);
    assertThat(again.statusCode()).as(TestHttp.text(again)).isEqualTo(200);
    assertThat(TestHttp.receipt(again)).containsEntry("price", "250");
  }

  @Test
  void anAnswerOfExactlyMaxAnswerBytes_isDeliveredWhole_announcedOrChunked() {
    TestHttp http = new TestHttp(vendor.url());
    for (String kind : java.util.List.of("announced", "chunked")) {
      Scrip s = alice.scrip(250);

      HttpResponse<byte[]> r =
          http.pay(
              http.signed(
                  s, alice.secret(), "GET", "/large/" + kind + "/" + MAX_ANSWER_BYTES, new byte[0]),
              new byte[0]);

      assertThat(r.statusCode()).as(kind).isEqualTo(200);
      assertThat(r.body()).hasSize(MAX_ANSWER_BYTES);
      assertThat(TestHttp.receipt(r)).containsEntry("price", "250");
    }
  }

  @Test
  void origin404_isAnAnswerAndCharged() {
    TestHttp http = new TestHttp(vendor.url());
    Scrip s = alice.scrip(250);
    HttpResponse<byte[]> r =
        http.pay(http.signed(s, alice.secret(), "GET", "/missing", new byte[0]), new byte[0]);
    assertThat(r.statusCode()).isEqualTo(404);
    assertThat(TestHttp.receipt(r)).containsEntry("price", "250").containsKey("mac");
  }

  @Test
  void post_forwardsTheBodyAndTheMacCoversIt() {
    TestHttp http = new TestHttp(vendor.url());
    byte[] body = "{\"question\":42}".getBytes(StandardCharsets.UTF_8);
    Scrip s = alice.scrip(250);
    HttpResponse<byte[]> r =
        http.pay(http.signed(s, alice.secret(), "POST", "/api/ask", body), body);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(TestHttp.text(r)).contains("POST /api/ask").contains("body={\"question\":42}");
  }

  @Test
  void privatePost_originGetsTheOpenedBodyAndType_andTheAnswerIsSealed() {
    TestHttp http = new TestHttp(vendor.url());
    byte[] plain = "{\"question\":\"private\"}".getBytes(StandardCharsets.UTF_8);
    byte[] sealed =
        Payer.sealRequestBody(alice.secret(), "venetia", alice.id(), plain, TestHttp.RANDOM);
    Scrip s = alice.scrip(1_000);
    Payment.Private p =
        Payer.sealed(
            s,
            alice.secret(),
            Nonce.random(TestHttp.RANDOM),
            http.descriptor("POST", "/api/secret?x=1", sealed),
            TestHttp.RANDOM);
    int before = originCalls.get();
    HttpResponse<byte[]> r =
        http.send(
            "POST",
            "/api/secret?x=1",
            sealed,
            "Authorization",
            PaymentHeader.format(p),
            "Content-Type",
            Headers.SEALED_MEDIA_TYPE,
            Headers.SEALED_CONTENT_TYPE,
            "application/json");

    assertThat(r.statusCode()).as(TestHttp.text(r)).isEqualTo(200);
    assertThat(originCalls.get()).isEqualTo(before + 1);
    assertThat(r.headers().firstValue("Content-Type")).hasValue(Headers.SEALED_MEDIA_TYPE);
    assertThat(r.headers().firstValue(Headers.SEALED_CONTENT_TYPE)).hasValue("text/plain");
    assertThat(r.headers().firstValue("X-Origin")).hasValue("yes");
    assertThat(new String(r.body(), StandardCharsets.UTF_8)).doesNotContain("origin says");
    String answer =
        new String(Payer.openResponse(alice.secret(), p, 200, r.body()), StandardCharsets.UTF_8);
    assertThat(answer)
        .startsWith("origin says 200 to POST /api/secret?x=1")
        .contains(" body={\"question\":\"private\"} ")
        .contains(" type=application/json ")
        .contains(" sealed-type=null ")
        .endsWith("auth=null");
    Map<String, String> receipt = TestHttp.receipt(r);
    assertThat(receipt).containsEntry("variant", "private").containsEntry("price", "250");
    assertThat(Payer.openChange(alice.secret(), p, TestHttp.b64(receipt.get("change"))))
        .hasValueSatisfying(c -> assertThat(c.valueMillicents()).isEqualTo(750));
  }

  @Test
  void privatePost_withABodyNotSealed_isRefusedAndNeverReachesTheOrigin() throws Exception {
    TestHttp http = new TestHttp(vendor.url());
    byte[] plain = "{\"question\":\"in the clear\"}".getBytes(StandardCharsets.UTF_8);
    Scrip s = alice.scrip(1_000);
    Payment.Private p =
        Payer.sealed(
            s,
            alice.secret(),
            Nonce.random(TestHttp.RANDOM),
            http.descriptor("POST", "/api/secret", plain),
            TestHttp.RANDOM);
    int before = originCalls.get();
    HttpResponse<byte[]> r = http.pay(p, plain);
    assertThat(r.statusCode()).isIn(400, 402);
    assertThat(JSON.readTree(r.body()).get("code").asText()).isIn("malformed", "forged");
    assertThat(originCalls.get()).isEqualTo(before);
    // The scrip was not used: it pays for the same page sealed properly.
    byte[] sealed =
        Payer.sealRequestBody(alice.secret(), "venetia", alice.id(), plain, TestHttp.RANDOM);
    Payment.Private ok =
        Payer.sealed(
            s,
            alice.secret(),
            Nonce.random(TestHttp.RANDOM),
            http.descriptor("POST", "/api/secret", sealed),
            TestHttp.RANDOM);
    assertThat(http.pay(ok, sealed).statusCode()).isEqualTo(200);
  }

  @Test
  void unreachableOrigin_is502AndTheScripStaysUnspent() throws Exception {
    TestHttp http = new TestHttp(deadVendor.url());
    OwnCustomer hers = OwnCustomer.of(deadVendor);
    CustomerSecret mine = hers.secret();
    Scrip s = hers.scrip(1_000);
    for (int i = 0; i < 2; i++) {
      HttpResponse<byte[]> r =
          http.pay(http.signed(s, mine, "GET", "/ok", new byte[0]), new byte[0]);
      assertThat(r.statusCode()).isEqualTo(502);
      assertThat(JSON.readTree(r.body()).get("code").asText()).isEqualTo("origin-failed");
      assertThat(JSON.readTree(r.body()).get("detail").asText()).contains("nothing was charged");
    }
  }

  @Test
  void unpaidRequest_neverReachesTheOrigin() {
    int before = originCalls.get();
    HttpResponse<byte[]> r = new TestHttp(vendor.url()).get("/ok");
    assertThat(r.statusCode()).isEqualTo(402);
    assertThat(originCalls.get()).isEqualTo(before);
  }
}
