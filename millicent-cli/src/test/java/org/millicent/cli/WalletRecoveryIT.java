package org.millicent.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.millicent.cli.demo.DemoMarket;
import org.millicent.wallet.HeldScrip;
import org.millicent.wallet.ScripState;
import org.millicent.wallet.Wallet;
import org.millicent.wallet.WalletException;
import org.millicent.wallet.WalletOptions;
import org.millicent.wallet.WalletTotals;
import org.millicent.wallet.http.Request;

/**
 * A {@code spent} answer to a re-send of a recorded payment is no proof of loss (issue 12, part 1):
 * the real wallet pays the real vendor through a relay that loses the first answer and then answers
 * the re-send {@code 402 spent} itself (as a vendor whose first attempt still held the claim did);
 * the wallet asks the real vendor's {@code POST /millicent/recover} and keeps what is its due.
 */
class WalletRecoveryIT {
  private static final String PAGE = "/pages/haiku.html"; // 100 millicents

  @TempDir Path dir;
  private DemoMarket market;
  private HttpServer relay;
  private Wallet alice;
  private final HttpClient http = HttpClient.newHttpClient();

  /** What the relay does with the next paid request for {@link #PAGE}. */
  private enum Mode {
    PASS,
    /** Forward it, lose the answer, then answer its re-send 402 spent. */
    FORWARD_AND_LOSE,
    /** Lose it without forwarding, then answer its re-send 402 spent. */
    LOSE
  }

  private volatile Mode mode = Mode.PASS;
  private final AtomicInteger paidSeen = new AtomicInteger();

  @BeforeEach
  void start() throws Exception {
    market = DemoMarket.start(dir);
    URI vendor = market.venetia().url();
    relay = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    relay.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    relay.createContext("/", ex -> relay(ex, vendor));
    relay.start();
    alice = Wallet.open(WalletOptions.defaults(dir.resolve("alice")));
    alice.register(market.bob().url(), "alice");
    // The relay stands where the vendor is, as the user says (the broker vouches the vendor's own).
    alice.vouch("venetia", URI.create("http://127.0.0.1:" + relay.getAddress().getPort()));
  }

  @AfterEach
  void stop() {
    if (alice != null) {
      alice.close();
    }
    if (relay != null) {
      relay.stop(0);
    }
    if (market != null) {
      market.close();
    }
  }

  private void relay(HttpExchange ex, URI vendor) throws IOException {
    try (ex) {
      byte[] body = ex.getRequestBody().readAllBytes();
      String auth = ex.getRequestHeaders().getFirst("Authorization");
      boolean paidPage = auth != null && ex.getRequestURI().getPath().equals(PAGE);
      int n = paidPage ? paidSeen.incrementAndGet() : 0;
      if (paidPage && mode != Mode.PASS && n >= 2) {
        byte[] spent =
            ("{\"type\":\"https://millicent.dev/problems/spent\",\"title\":\"Scrip already spent\","
                    + "\"status\":402,\"code\":\"spent\",\"detail\":\"scrip has already been spent\"}")
                .getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", "application/problem+json");
        ex.sendResponseHeaders(402, spent.length);
        ex.getResponseBody().write(spent);
        return;
      }
      if (paidPage && mode == Mode.LOSE) {
        throw new IOException("the relay loses the request"); // closes the connection
      }
      HttpRequest.Builder b =
          HttpRequest.newBuilder(URI.create(vendor + ex.getRequestURI().toString()))
              .method(
                  ex.getRequestMethod(),
                  body.length == 0
                      ? HttpRequest.BodyPublishers.noBody()
                      : HttpRequest.BodyPublishers.ofByteArray(body));
      for (String h : List.of("Authorization", "Content-Type", "Millicent-Content-Type")) {
        String v = ex.getRequestHeaders().getFirst(h);
        if (v != null) {
          b.header(h, v);
        }
      }
      HttpResponse<byte[]> r;
      try {
        r = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException(e);
      }
      if (paidPage && mode == Mode.FORWARD_AND_LOSE) {
        throw new IOException("the relay loses the answer"); // the vendor did spend
      }
      Set<String> hop = Set.of("content-length", "transfer-encoding", "connection", "date");
      for (Map.Entry<String, List<String>> h : r.headers().map().entrySet()) {
        if (!hop.contains(h.getKey().toLowerCase(java.util.Locale.ROOT))) {
          ex.getResponseHeaders().put(h.getKey(), h.getValue());
        }
      }
      ex.sendResponseHeaders(r.statusCode(), r.body().length == 0 ? -1 : r.body().length);
      ex.getResponseBody().write(r.body());
    }
  }

  private URI page() {
    return URI.create("http://127.0.0.1:" + relay.getAddress().getPort() + PAGE);
  }

  @Test
  void spentOnAResendOfASpendingPayment_changeIsRecovered_nothingLost() throws Exception {
    mode = Mode.FORWARD_AND_LOSE;

    assertThatThrownBy(() -> alice.httpClient().send(Request.get(page())))
        .isInstanceOf(WalletException.class)
        .hasMessageContaining("recovered");

    WalletTotals t = alice.totals();
    assertThat(t.lostMillicents()).isZero();
    assertThat(t.inFlightMillicents()).isZero();
    assertThat(t.paidMillicents()).isEqualTo(100);
    assertThat(t.heldMillicents()).isEqualTo(t.boughtMillicents() - 100);
    assertThat(t.discrepancyMillicents()).isZero();
    List<HeldScrip> change =
        alice.scrip().stream()
            .filter(s -> s.state() == ScripState.AVAILABLE && s.source().equals("change"))
            .toList();
    assertThat(change).hasSize(1);

    mode = Mode.PASS;
    assertThat(alice.httpClient().send(Request.get(page())).status()).isEqualTo(200);
    assertThat(alice.totals().lostMillicents()).isZero();
  }

  @Test
  void spentOnAResendOfAPaymentThatNeverArrived_scripIsBackInTheWallet() throws Exception {
    mode = Mode.LOSE;

    assertThatThrownBy(() -> alice.httpClient().send(Request.get(page())))
        .isInstanceOf(WalletException.class)
        .hasMessageContaining("never spent");

    WalletTotals t = alice.totals();
    assertThat(t.lostMillicents()).isZero();
    assertThat(t.inFlightMillicents()).isZero();
    assertThat(t.paidMillicents()).isZero();
    assertThat(t.heldMillicents()).isEqualTo(t.boughtMillicents());

    mode = Mode.PASS;
    assertThat(alice.httpClient().send(Request.get(page())).status()).isEqualTo(200);
    assertThat(alice.totals().paidMillicents()).isEqualTo(100);
    assertThat(alice.totals().lostMillicents()).isZero();
  }
}
