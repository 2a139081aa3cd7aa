package org.millicent.wallet.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class MillicentHttpClientTest {
  private HttpServer server;
  private final List<String> seen = new CopyOnWriteArrayList<>();
  private volatile boolean alwaysOffer;

  @BeforeEach
  void start() throws Exception {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/",
        ex -> {
          try (ex) {
            String auth = ex.getRequestHeaders().getFirst("Authorization");
            byte[] body = ex.getRequestBody().readAllBytes();
            seen.add(
                ex.getRequestMethod()
                    + " "
                    + ex.getRequestURI()
                    + " "
                    + auth
                    + " "
                    + new String(body, StandardCharsets.UTF_8));
            if (auth == null || alwaysOffer) {
              ex.getResponseHeaders().add("WWW-Authenticate", "Millicent v=2, vendor=v, price=1");
              ex.sendResponseHeaders(402, -1);
            } else {
              byte[] out =
                  ("paid " + new String(body, StandardCharsets.UTF_8))
                      .getBytes(StandardCharsets.UTF_8);
              ex.sendResponseHeaders(200, out.length);
              ex.getResponseBody().write(out);
            }
          }
        });
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private URI url(String path) {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
  }

  private static final PaymentHandler PAY_WITH_TOKEN =
      (request, offer, next) -> next.send(request.withHeader("Authorization", "Millicent token"));

  /** A client that pays every offer with a fixed token and counts its payments. */
  private static MillicentHttpClient payingWithToken(AtomicInteger payments) {
    return MillicentHttpClient.newBuilder()
        .payments(
            (r, o, n) -> {
              payments.incrementAndGet();
              return PAY_WITH_TOKEN.pay(r, o, n);
            })
        .build();
  }

  @Test
  void offer_isPaidOnce_andThePaidAnswerReturned() throws Exception {
    AtomicInteger payments = new AtomicInteger();
    MillicentHttpClient c = payingWithToken(payments);

    Response r =
        c.send(Request.post(url("/x?a=b"), "text/plain", "hello".getBytes(StandardCharsets.UTF_8)));

    assertThat(r.status()).isEqualTo(200);
    assertThat(r.bodyText()).isEqualTo("paid hello");
    assertThat(payments).hasValue(1);
    assertThat(seen).containsExactly("POST /x?a=b null hello", "POST /x?a=b Millicent token hello");
  }

  @Test
  void headAnsweredWithAnOffer_isNotPaid_theOfferIsTheAnswer() throws Exception {
    AtomicInteger payments = new AtomicInteger();
    MillicentHttpClient c = payingWithToken(payments);

    Response r = c.send(Request.of("HEAD", url("/h"), java.util.Map.of(), new byte[0]));

    assertThat(r.status()).isEqualTo(402);
    assertThat(r.header("WWW-Authenticate"))
        .hasValueSatisfying(v -> assertThat(v).contains("price=1"));
    assertThat(payments).hasValue(0);
    assertThat(seen).containsExactly("HEAD /h null ");
  }

  @Test
  void paidRequestAnsweredWith402Again_isReturned_notPaidAgain() throws Exception {
    alwaysOffer = true;
    AtomicInteger payments = new AtomicInteger();
    MillicentHttpClient c = payingWithToken(payments);

    Response r = c.send(Request.get(url("/y")));

    assertThat(r.status()).isEqualTo(402);
    assertThat(payments).hasValue(1);
    assertThat(seen).hasSize(2);
  }

  @Test
  void requestAlreadyCarryingAMillicentPayment_isNotPaidForAgain() throws Exception {
    alwaysOffer = true;
    AtomicInteger payments = new AtomicInteger();
    MillicentHttpClient c =
        MillicentHttpClient.newBuilder()
            .payments(
                (r, o, n) -> {
                  payments.incrementAndGet();
                  return n.send(r);
                })
            .build();

    Response r = c.send(Request.get(url("/z")).withHeader("Authorization", "Millicent mine"));

    assertThat(r.status()).isEqualTo(402);
    assertThat(payments).hasValue(0);
  }

  @Test
  void withoutAPaymentHandler_402sComeBackAsTheyAre() throws Exception {
    Response r = MillicentHttpClient.newBuilder().build().send(Request.get(url("/free")));

    assertThat(r.status()).isEqualTo(402);
    assertThat(r.header("www-authenticate"))
        .hasValueSatisfying(v -> assertThat(v).startsWith("Millicent"));
  }

  @Test
  void interceptors_runApplicationFirst_thenPayment_thenNetwork() throws Exception {
    List<String> order = new CopyOnWriteArrayList<>();
    MillicentHttpClient c =
        MillicentHttpClient.newBuilder()
            .addInterceptor(
                ch -> {
                  order.add("app");
                  return ch.proceed(ch.request());
                })
            .payments(
                (r, o, n) -> {
                  order.add("pay");
                  return PAY_WITH_TOKEN.pay(r, o, n);
                })
            .addNetworkInterceptor(
                ch -> {
                  order.add("net " + ch.request().header("Authorization").orElse("-"));
                  return ch.proceed(ch.request());
                })
            .build();

    c.send(Request.get(url("/o")));

    assertThat(order).containsExactly("app", "net -", "pay", "net Millicent token");
  }

  @Test
  void javaNetHttpRequests_goThroughTheChain_bodyAndAll() throws Exception {
    MillicentHttpClient c = MillicentHttpClient.newBuilder().payments(PAY_WITH_TOKEN).build();

    HttpResponse<byte[]> r =
        c.send(
            HttpRequest.newBuilder(url("/j"))
                .POST(HttpRequest.BodyPublishers.ofString("body"))
                .build());

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo("paid body");
    assertThat(r.uri()).isEqualTo(url("/j"));
  }

  @Test
  void target_isTheRawPathAndQuery() {
    assertThat(Request.get(URI.create("http://h/a%20b?x=%2F")).target()).isEqualTo("/a%20b?x=%2F");
    assertThat(Request.get(URI.create("http://h")).target()).isEqualTo("/");
    assertThat(Request.get(URI.create("http://H:80/")).origin()).isEqualTo("http://h:80");
    assertThat(Request.get(URI.create("https://h/")).origin()).isEqualTo("https://h:443");
  }
}
