package org.millicent.vendor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.millicent.protocol.Headers;
import org.millicent.protocol.Payment;
import org.millicent.protocol.PaymentHeader;
import org.millicent.scrip.Scrip;
import org.millicent.scrip.ScripCodec;
import org.millicent.vendor.config.VendorConfig;
import org.millicent.vendor.testing.OwnCustomer;
import org.millicent.vendor.testing.TestHttp;

/**
 * A retry is never answered {@code spent} for its own payment (issue 12, part 1): a reverse-proxy
 * vendor whose origin is slow, a client that gives up and re-sends the identical request, identical
 * requests at once, identical exchanges at once.
 */
class VendorRetryIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration RETRY_WAIT = Duration.ofSeconds(3);

  @TempDir static Path dir;
  static TestOrigin origin;
  static final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
  static volatile CountDownLatch blocked = new CountDownLatch(0);
  static VendorServer vendor;
  static TestHttp http;
  static OwnCustomer alice;

  @BeforeAll
  static void start() throws IOException {
    origin =
        TestOrigin.start(
            ex -> {
              String path = ex.getRequestURI().getPath();
              calls.computeIfAbsent(path, k -> new AtomicInteger()).incrementAndGet();
              byte[] in = ex.getRequestBody().readAllBytes();
              try {
                if (path.startsWith("/slow")) {
                  Thread.sleep(2_000);
                } else if (path.startsWith("/block")) {
                  blocked.await(30, TimeUnit.SECONDS);
                }
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
              ex.getResponseHeaders().add("Content-Type", "text/plain");
              TestOrigin.answer(
                  ex,
                  path.startsWith("/create") ? 201 : 200,
                  ("origin did "
                      + ex.getRequestMethod()
                      + " "
                      + path
                      + " with "
                      + in.length
                      + " bytes"));
            });
    vendor =
        VendorServer.start(
            VendorConfig.builder("venetia")
                .port(0)
                .retryWait(RETRY_WAIT)
                .price("*", "/**", 100)
                .content(origin.content(Duration.ofSeconds(30)))
                .build(),
            dir);
    http = new TestHttp(vendor.url());
    alice = OwnCustomer.of(vendor);
  }

  @AfterAll
  static void stop() {
    vendor.close();
    origin.close();
  }

  private static int calls(String path) {
    return calls.getOrDefault(path, new AtomicInteger()).get();
  }

  private static String code(HttpResponse<byte[]> r) throws IOException {
    return JSON.readTree(r.body()).path("code").asText();
  }

  @Test
  void clientGivesUpAfter300ms_andResendsAtOnce_getsThePageAndTheFirstChange() throws Exception {
    Scrip s = alice.scrip(10_000);
    Payment.Signed p = http.signed(s, alice.secret(), "GET", "/slow/page", new byte[0]);
    HttpRequest first =
        HttpRequest.newBuilder(URI.create(vendor.url() + "/slow/page"))
            .header("Authorization", PaymentHeader.format(p))
            .timeout(Duration.ofMillis(300))
            .build();
    try (HttpClient impatient = HttpClient.newHttpClient()) {
      assertThatThrownBy(() -> impatient.send(first, HttpResponse.BodyHandlers.ofByteArray()))
          .isInstanceOf(HttpTimeoutException.class);
    }

    HttpResponse<byte[]> again = http.pay(p, new byte[0]);

    assertThat(again.statusCode()).as(TestHttp.text(again)).isEqualTo(200);
    assertThat(TestHttp.text(again)).isEqualTo("origin did GET /slow/page with 0 bytes");
    Map<String, String> receipt = TestHttp.receipt(again);
    assertThat(receipt).containsEntry("price", "100").containsKey("mac");
    Scrip change = ScripCodec.fromToken(receipt.get("change"));
    assertThat(change.valueMillicents()).isEqualTo(9_900);
    assertThat(TestHttp.receipt(http.pay(p, new byte[0]))).containsEntry("change", change.token());
  }

  @Test
  void eightIdenticalPaidRequestsAtOnce_allGetThePageAndTheSameChange() throws Exception {
    Scrip s = alice.scrip(10_000);
    Payment.Signed p = http.signed(s, alice.secret(), "GET", "/slow/eight", new byte[0]);
    List<HttpResponse<byte[]>> answers = new ArrayList<>();
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<HttpResponse<byte[]>>> fs = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        fs.add(pool.submit(() -> new TestHttp(vendor.url()).pay(p, new byte[0])));
      }
      for (Future<HttpResponse<byte[]>> f : fs) {
        answers.add(f.get(60, TimeUnit.SECONDS));
      }
    }
    for (HttpResponse<byte[]> r : answers) {
      assertThat(r.statusCode()).as(TestHttp.text(r)).isEqualTo(200);
    }
    String change = TestHttp.receipt(answers.getFirst()).get("change");
    assertThat(ScripCodec.fromToken(change).valueMillicents()).isEqualTo(9_900);
    assertThat(answers)
        .allSatisfy(r -> assertThat(TestHttp.receipt(r).get("change")).isEqualTo(change));
  }

  @Test
  void anotherRequestWithTheScripOfAPurchaseInProgress_isSpent() throws Exception {
    blocked = new CountDownLatch(1);
    Scrip s = alice.scrip(10_000);
    Payment.Signed p = http.signed(s, alice.secret(), "GET", "/block/other", new byte[0]);
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      Future<HttpResponse<byte[]>> first = pool.submit(() -> http.pay(p, new byte[0]));
      awaitCalls("/block/other", 1);

      HttpResponse<byte[]> other =
          http.pay(http.signed(s, alice.secret(), "GET", "/block/other", new byte[0]), new byte[0]);

      assertThat(other.statusCode()).isEqualTo(402);
      assertThat(code(other)).isEqualTo("spent");
      blocked.countDown();
      assertThat(first.get(30, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
    }
  }

  @Test
  void identicalRetryStillInProgressAfterTheWait_is409InProgressWithRetryAfter_thenReplays()
      throws Exception {
    blocked = new CountDownLatch(1);
    Scrip s = alice.scrip(10_000);
    Payment.Signed p = http.signed(s, alice.secret(), "GET", "/block/long", new byte[0]);
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      Future<HttpResponse<byte[]>> first = pool.submit(() -> http.pay(p, new byte[0]));
      awaitCalls("/block/long", 1);

      HttpResponse<byte[]> retry = http.pay(p, new byte[0]);

      assertThat(retry.statusCode()).as(TestHttp.text(retry)).isEqualTo(409);
      assertThat(code(retry)).isEqualTo("in-progress");
      assertThat(retry.headers().firstValue("Retry-After")).hasValue("1");
      assertThat(retry.headers().firstValue(Headers.RECEIPT)).isEmpty();
      blocked.countDown();
      HttpResponse<byte[]> done = first.get(30, TimeUnit.SECONDS);
      assertThat(done.statusCode()).isEqualTo(200);
      HttpResponse<byte[]> later = http.pay(p, new byte[0]);
      assertThat(later.statusCode()).isEqualTo(200);
      assertThat(TestHttp.receipt(later).get("change"))
          .isEqualTo(TestHttp.receipt(done).get("change"));
    }
  }

  @Test
  void twoIdenticalRenewsAtOnce_bothGetTheSameNewScrip_neverSpent() throws Exception {
    int pairs = 40;
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<List<HttpResponse<byte[]>>>> fs = new ArrayList<>();
      for (int i = 0; i < pairs; i++) {
        Scrip old = alice.scrip(700);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("operation", "renew");
        m.put("scrip", List.of(old.token()));
        byte[] body = JSON.writeValueAsBytes(m);
        Payment.Signed p = http.signed(old, alice.secret(), "POST", "/millicent/exchange", body);
        fs.add(
            pool.submit(
                () -> {
                  CountDownLatch go = new CountDownLatch(1);
                  Future<HttpResponse<byte[]>> a =
                      pool.submit(
                          () -> {
                            go.await();
                            return new TestHttp(vendor.url()).pay(p, body);
                          });
                  Future<HttpResponse<byte[]>> b =
                      pool.submit(
                          () -> {
                            go.await();
                            return new TestHttp(vendor.url()).pay(p, body);
                          });
                  go.countDown();
                  return List.of(a.get(), b.get());
                }));
      }
      for (Future<List<HttpResponse<byte[]>>> f : fs) {
        List<HttpResponse<byte[]>> both = f.get(60, TimeUnit.SECONDS);
        for (HttpResponse<byte[]> r : both) {
          assertThat(r.statusCode()).as(TestHttp.text(r)).isEqualTo(200);
        }
        assertThat(JSON.readTree(both.get(0).body()).get("scrip"))
            .isEqualTo(JSON.readTree(both.get(1).body()).get("scrip"));
      }
    }
  }

  @Test
  void paidPost_replayedHundredTimes_originRunsTheActionOnce_everyReplayGetsTheFirstReceipt()
      throws Exception {
    Scrip s = alice.scrip(10_000);
    byte[] body = "{\"order\":\"one pizza\"}".getBytes(StandardCharsets.UTF_8);
    Payment.Signed p = http.signed(s, alice.secret(), "POST", "/create/order", body);
    HttpResponse<byte[]> first = http.pay(p, body);
    assertThat(first.statusCode()).isEqualTo(201);
    String change = TestHttp.receipt(first).get("change");

    for (int i = 0; i < 100; i++) {
      HttpResponse<byte[]> replay = http.pay(p, body);
      assertThat(replay.statusCode()).as(TestHttp.text(replay)).isEqualTo(409);
      assertThat(code(replay)).isEqualTo("replayed");
      Map<String, String> receipt = TestHttp.receipt(replay);
      assertThat(receipt).containsEntry("price", "100").containsEntry("change", change);
      org.millicent.protocol.Payer.verifySignedReply(
          alice.secret(),
          p.mac(),
          409,
          ScripCodec.encode(ScripCodec.fromToken(change)),
          org.millicent.protocol.RequestDescriptor.digest(replay.body()),
          TestHttp.b64(receipt.get("mac")));
    }

    assertThat(calls("/create/order")).isEqualTo(1);
  }

  @Test
  void paidPost_clientGivesUpAndResends_originRunsTheActionOnce() throws Exception {
    Scrip s = alice.scrip(10_000);
    byte[] body = "{\"order\":\"two pizzas\"}".getBytes(StandardCharsets.UTF_8);
    Payment.Signed p = http.signed(s, alice.secret(), "POST", "/slow/order", body);
    HttpRequest first =
        HttpRequest.newBuilder(URI.create(vendor.url() + "/slow/order"))
            .header("Authorization", PaymentHeader.format(p))
            .POST(HttpRequest.BodyPublishers.ofByteArray(body))
            .timeout(Duration.ofMillis(300))
            .build();
    try (HttpClient impatient = HttpClient.newHttpClient()) {
      assertThatThrownBy(() -> impatient.send(first, HttpResponse.BodyHandlers.ofByteArray()))
          .isInstanceOf(HttpTimeoutException.class);
    }

    HttpResponse<byte[]> again = http.pay(p, body);

    assertThat(again.statusCode()).as(TestHttp.text(again)).isEqualTo(409);
    assertThat(code(again)).isEqualTo("replayed");
    assertThat(ScripCodec.fromToken(TestHttp.receipt(again).get("change")).valueMillicents())
        .isEqualTo(9_900);
    assertThat(calls("/slow/order")).isEqualTo(1);
  }

  private static void awaitCalls(String path, int n) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (calls(path) < n && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    assertThat(calls(path)).isGreaterThanOrEqualTo(n);
  }
}
