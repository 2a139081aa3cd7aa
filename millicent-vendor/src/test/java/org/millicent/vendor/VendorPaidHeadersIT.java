package org.millicent.vendor;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.millicent.keys.CustomerSecret;
import org.millicent.protocol.Payment;
import org.millicent.protocol.Variant;
import org.millicent.scrip.ScripProperties;
import org.millicent.testing.MutableClock;
import org.millicent.vendor.config.Content;
import org.millicent.vendor.config.VendorConfig;
import org.millicent.vendor.testing.TestHttp;

/**
 * The origin learns what was paid: a real origin behind two gateways, one with a key file ({@code
 * content.paid_headers_key_file}) and one without, records every request it receives. Paid requests
 * through the first carry Millicent-Paid-* headers that the JDK-only snippet of docs/ORIGIN.md
 * ({@link PaidCheck}) and {@link PaidHeaders#verify} accept; no client ever gets a Millicent-Paid-*
 * header of its own through either gateway, free or paid.
 */
class VendorPaidHeadersIT {
  private static final String KEY =
      "9c2e7a41f0b35d6e8a1c4f7b2d9e0a3c5b8f1e4d7a0c3b6e9f2a5d8c1b4e7f0a";
  private static final String SPOOF = "Millicent-Paid-Price";

  @TempDir static Path dir;
  @TempDir static Path plainDir;
  static final MutableClock clock = new MutableClock(Instant.parse("2019-05-01T12:00:00Z"));
  static TestOrigin origin;

  /** What the origin received, by request path: method, target, headers (any case). */
  static final Map<String, Received> received = new ConcurrentHashMap<>();

  static VendorServer keyed;
  static VendorServer plain;

  record Received(String method, String target, Map<String, List<String>> headers) {
    String header(String name) {
      List<String> v = headers.get(name);
      return v == null || v.isEmpty() ? null : v.get(0);
    }

    List<String> paidNames() {
      return headers.keySet().stream()
          .filter(n -> n.regionMatches(true, 0, "Millicent-Paid-", 0, 15))
          .toList();
    }
  }

  @BeforeAll
  static void start() throws IOException {
    origin =
        TestOrigin.start(
            ex -> {
              Map<String, List<String>> h = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
              ex.getRequestHeaders().forEach((k, v) -> h.put(k, new ArrayList<>(v)));
              received.put(
                  ex.getRequestURI().getRawPath(),
                  new Received(ex.getRequestMethod(), ex.getRequestURI().toString(), h));
              ex.getRequestBody().readAllBytes();
              TestOrigin.answer(ex, 200, "ok");
            });
    Path keyFile = dir.resolve("paid-headers.key");
    Files.writeString(keyFile, KEY + "\n");
    URI site = origin.url().resolve("/site/");
    keyed =
        VendorServer.start(
            VendorConfig.builder("venetia")
                .port(0)
                .free("/free/**")
                .price("*", "/paid/**", 250)
                .content(new Content.Origin(site, Duration.ofSeconds(5), keyFile))
                .build(),
            dir.resolve("data"),
            clock);
    plain =
        VendorServer.start(
            VendorConfig.builder("venetia")
                .port(0)
                .free("/free/**")
                .price("*", "/paid/**", 250)
                .content(new Content.Origin(site, Duration.ofSeconds(5)))
                .build(),
            plainDir,
            clock);
  }

  @AfterAll
  static void stop() {
    keyed.close();
    plain.close();
    origin.close();
  }

  private static HttpResponse<byte[]> pay(
      VendorServer v, String method, String target, ScripProperties props, String... spoofed) {
    OwnCustomers own = OwnCustomers.of(v);
    long customer = own.newCustomerId();
    CustomerSecret secret = own.customerSecret(customer);
    TestHttp http = new TestHttp(v.url());
    Payment p =
        http.signed(
            own.mint(1_000, customer, clock.instant().plus(Duration.ofHours(1)), props),
            secret,
            method,
            target,
            new byte[0]);
    return send(http, p, spoofed);
  }

  private static HttpResponse<byte[]> send(TestHttp http, Payment p, String... spoofed) {
    List<String> headers = new ArrayList<>(List.of(spoofed));
    headers.add("Authorization");
    headers.add(org.millicent.protocol.PaymentHeader.format(p));
    return http.send(
        p.request().method(), p.request().target(), new byte[0], headers.toArray(String[]::new));
  }

  private static Map<String, String> checkedBySnippet(Received r) throws Exception {
    return PaidCheck.verify(
        r.method(),
        r.target(),
        r::header,
        KEY.getBytes(StandardCharsets.US_ASCII),
        clock.instant().getEpochSecond(),
        60);
  }

  @Test
  void paidRequest_carriesSignedHeaders_thatTheJdkSnippetAndTheVerifierAccept() throws Exception {
    HttpResponse<byte[]> r =
        pay(
            keyed,
            "GET",
            "/paid/a.html?q=1",
            ScripProperties.of(Map.of("country", "DE", "tier", "gold & more")),
            SPOOF,
            "1",
            "millicent-paid-replay",
            "true");
    assertThat(r.statusCode()).as(TestHttp.text(r)).isEqualTo(200);
    Received got = received.get("/site/paid/a.html");
    assertThat(got.target()).isEqualTo("/site/paid/a.html?q=1");

    Map<String, String> values = checkedBySnippet(got);
    assertThat(values)
        .containsEntry("Timestamp", Long.toString(clock.instant().getEpochSecond()))
        .containsEntry("Method", "GET")
        .containsEntry("Target", "/site/paid/a.html?q=1")
        .containsEntry("Price", "250")
        .containsEntry("Properties", "country=DE&tier=gold%20%26%20more")
        .containsEntry("Variant", "signed")
        .containsEntry("Replay", "false");
    VerifiedPayment paid =
        PaidHeaders.verify(
            got.method(),
            got.target(),
            got.headers(),
            KEY.getBytes(StandardCharsets.US_ASCII),
            clock,
            Duration.ofMinutes(1));
    assertThat(paid.priceMillicents()).isEqualTo(250);
    assertThat(paid.properties()).containsEntry("tier", "gold & more");
    assertThat(paid.variant()).isEqualTo(Variant.SIGNED);
    assertThat(paid.replay()).isFalse();
    // the client's own Millicent-Paid-Price and -Replay never arrived: one value each, signed
    assertThat(got.headers().get(SPOOF)).containsExactly("250");
    assertThat(got.headers().get("Millicent-Paid-Replay")).containsExactly("false");
    assertThat(got.paidNames()).hasSize(PaidHeaders.SIGNED.size() + 1);
  }

  @Test
  void replay_isSentAgainWithReplayTrue_andTheSamePaymentId() throws Exception {
    OwnCustomers own = OwnCustomers.of(keyed);
    long customer = own.newCustomerId();
    TestHttp http = new TestHttp(keyed.url());
    Payment p =
        http.signed(
            own.mint(1_000, customer, clock.instant().plus(Duration.ofHours(1))),
            own.customerSecret(customer),
            "GET",
            "/paid/replayed",
            new byte[0]);
    assertThat(send(http, p).statusCode()).isEqualTo(200);
    Map<String, String> first = checkedBySnippet(received.get("/site/paid/replayed"));
    assertThat(send(http, p).statusCode()).isEqualTo(200);
    Map<String, String> again = checkedBySnippet(received.get("/site/paid/replayed"));
    assertThat(first).containsEntry("Replay", "false").containsEntry("Properties", "");
    assertThat(again).containsEntry("Replay", "true");
    assertThat(again.get("Payment-Id")).isEqualTo(first.get("Payment-Id")).isNotEmpty();
    assertThat(again.get("Customer-Id")).isEqualTo(Long.toUnsignedString(customer));
  }

  @Test
  void tamperingWithAReceivedHeader_failsTheSnippetsCheck() {
    pay(keyed, "GET", "/paid/tampered", ScripProperties.NONE);
    Received got = received.get("/site/paid/tampered");
    for (String name : PaidHeaders.SIGNED) {
      Map<String, List<String>> h = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
      h.putAll(got.headers());
      h.put(name, List.of(got.header(name) + "0"));
      Received changed = new Received(got.method(), got.target(), h);
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> checkedBySnippet(changed))
          .as(name)
          .isInstanceOf(SecurityException.class);
    }
  }

  @Test
  void freeRequest_carriesNoPaidHeaders_andTheClientsAreStripped() {
    for (VendorServer v : List.of(keyed, plain)) {
      HttpResponse<byte[]> r =
          new TestHttp(v.url())
              .get(
                  "/free/x",
                  SPOOF,
                  "1",
                  "MILLICENT-PAID-SIGNATURE",
                  "forged",
                  "millicent-paid-x",
                  "y");
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(received.get("/site/free/x").paidNames()).isEmpty();
    }
  }

  @Test
  void withoutAKey_paidRequestsCarryNoPaidHeaders_andTheClientsAreStripped() {
    HttpResponse<byte[]> r =
        pay(
            plain,
            "GET",
            "/paid/unkeyed",
            ScripProperties.NONE,
            SPOOF,
            "1",
            "Millicent-Paid-Signature",
            "x");
    assertThat(r.statusCode()).as(TestHttp.text(r)).isEqualTo(200);
    Received got = received.get("/site/paid/unkeyed");
    assertThat(got.paidNames()).isEmpty();
    assertThat(got.headers()).doesNotContainKey("Authorization");
  }
}
