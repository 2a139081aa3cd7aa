package org.millicent.servlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.millicent.vendor.testing.OwnCustomer.funded;
import static org.millicent.vendor.testing.TestHttp.code;
import static org.millicent.vendor.testing.TestHttp.text;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.millicent.broker.testing.BrokerLicence;
import org.millicent.protocol.Headers;
import org.millicent.protocol.Payer;
import org.millicent.protocol.Payment;
import org.millicent.protocol.Receipt;
import org.millicent.vendor.MillicentGateway;
import org.millicent.vendor.config.VendorConfig;
import org.millicent.vendor.testing.OwnCustomer.Funded;
import org.millicent.vendor.testing.TestHttp;

/**
 * The filter attacked by a hostile customer and misused by a careless application, in embedded
 * Jetty 12 as docs/SERVLET.md sets it up: answers that escape the buffer (an asynchronous servlet
 * writing the unwrapped response), statuses the receipt cannot hold, path tricks against the
 * prices. Each case checks the money: nothing delivered free, nothing charged without its receipt.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HostileFilterIT {
  private static final String SECRET = "the paid content";

  /** The vendor's {@code max_answer_bytes}, small so that a test writes a little more. */
  private static final int MAX_ANSWER_BYTES = 64 * 1024;

  /** The header a filter before Millicent's sets on every answer, as a security filter would. */
  private static final String CSP = "default-src 'none'";

  @TempDir static Path dir;
  private MillicentGateway millicent;
  private Server server;
  private TestHttp http;
  private int port;
  private final HostileApp app = new HostileApp();

  @BeforeAll
  void start() throws Exception {
    VendorConfig config =
        BrokerLicence.of("bob", "venetia")
            .vendor(VendorConfig.builder("venetia"))
            .price("GET", "/articles/**", 100)
            .free("/free")
            .maxAnswerBytes(MAX_ANSWER_BYTES)
            .build();
    millicent = MillicentGateway.open(config, dir.resolve("venetia"));
    ServletHolder shop = new ServletHolder("hostile", app);
    shop.setAsyncSupported(true);
    server =
        JettyFilterIT.jetty(
            new MillicentFilter(millicent),
            new MillicentEndpoints(millicent),
            shop,
            (req, res, chain) -> {
              ((HttpServletResponse) res).setHeader("Content-Security-Policy", CSP);
              chain.doFilter(req, res);
            });
    port = JettyFilterIT.port(server);
    http = new TestHttp(URI.create("http://127.0.0.1:" + port));
  }

  @AfterAll
  void stop() throws Exception {
    if (server != null) {
      server.stop();
    }
    if (millicent != null) {
      millicent.close();
    }
  }

  @Test
  void anAsyncServlet_writingTheUnwrappedResponse_getsNoPaidContentOutFree() throws Exception {
    Funded alice = funded(millicent, 1_000);

    HttpResponse<byte[]> r = http.pay(http.signed(alice, "GET", "/articles/async"));
    HttpResponse<byte[]> again = http.pay(http.signed(alice, "GET", "/articles/afterAsync"));

    // Before the fix: 200 with the content and no receipt, and the payment released (free).
    assertThat(r.statusCode()).as(text(r)).isEqualTo(502);
    assertThat(code(r)).isEqualTo("origin-failed");
    assertThat(text(r)).doesNotContain(SECRET);
    assertThat(again.statusCode()).as("uncharged, so it buys: " + text(again)).isEqualTo(200);
  }

  @Test
  void anInformationalStatus_isTheApplicationsFailure_notAChargeWithoutAnAnswer() throws Exception {
    Funded alice = funded(millicent, 1_000);

    // Before the fix: the spend was committed, then the container sent 199 as an interim answer
    // and never a final one (the client timed out with no answer and no receipt).
    HttpResponse<byte[]> r = http.pay(http.signed(alice, "GET", "/articles/status/199"));
    HttpResponse<byte[]> again = http.pay(http.signed(alice, "GET", "/articles/after199"));

    assertThat(r.statusCode()).as(text(r)).isEqualTo(502);
    assertThat(code(r)).isEqualTo("origin-failed");
    assertThat(again.statusCode()).as("uncharged, so it buys: " + text(again)).isEqualTo(200);
  }

  @Test
  void a204WithABody_hasAReceiptThatVerifiesAgainstTheBodyReceived() throws Exception {
    Funded alice = funded(millicent, 1_000);
    Payment.Signed p = http.signed(alice, "GET", "/articles/status/204");

    HttpResponse<byte[]> r = http.pay(p);

    assertThat(r.statusCode()).isEqualTo(204);
    // Before the fix the reply MAC covered the body the container dropped: the wallet saw a forged
    // receipt and could not keep its change.
    assertReceiptCoversTheBodyReceived(alice, p, r);
  }

  /** {@code r}'s receipt verifies for {@code alice} against the status and body she received. */
  private static void assertReceiptCoversTheBodyReceived(
      Funded alice, Payment.Signed p, HttpResponse<byte[]> r) {
    Receipt receipt = Receipt.parse(r.headers().firstValue(Headers.RECEIPT).orElseThrow());
    assertThat(
            Payer.verifySignedReceipt(alice.secret(), p.mac(), r.statusCode(), receipt, r.body()))
        .isPresent();
  }

  /**
   * The refusal of an answer over {@code max_answer_bytes} keeps the headers set before the filter
   * too. (The limit itself is a {@link FilterContract} case, run in each container.)
   */
  @Test
  void anAnswerOverMaxAnswerBytes_keepsTheHeadersSetBeforeTheFilter() throws Exception {
    Funded alice = funded(millicent, 1_000);
    String path = "/articles/large/stream/" + (MAX_ANSWER_BYTES + 1);

    HttpResponse<byte[]> r = http.pay(http.signed(alice, "GET", path));

    assertThat(code(r)).as(text(r)).isEqualTo("origin-too-large");
    assertThat(r.headers().firstValue("Content-Security-Policy")).hasValue(CSP);
  }

  @Test
  void aFailedAnswer_keepsTheHeadersSetBeforeTheFilter_andDropsTheApplications() throws Exception {
    Funded alice = funded(millicent, 1_000);

    HttpResponse<byte[]> r = http.pay(http.signed(alice, "GET", "/articles/headersThenFail"));

    assertThat(r.statusCode()).as(text(r)).isEqualTo(502);
    assertThat(code(r)).isEqualTo("origin-failed");
    // Before the fix the refusal went out without the earlier filter's security header.
    assertThat(r.headers().allValues("Content-Security-Policy")).containsExactly(CSP);
    assertThat(r.headers().firstValue("X-Application")).isEmpty();
    assertThat(text(r)).doesNotContain(SECRET);
  }

  @Test
  void aPaidAnswer_keepsTheHeadersSetBeforeTheFilter() throws Exception {
    Funded alice = funded(millicent, 1_000);

    HttpResponse<byte[]> r = http.pay(http.signed(alice, "GET", "/articles/plain"));

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Security-Policy")).hasValue(CSP);
  }

  @Test
  void aForwardToAnotherPricedPath_isChargedOnce_withItsReceipt() throws Exception {
    Funded alice = funded(millicent, 1_000);

    HttpResponse<byte[]> r = http.pay(http.signed(alice, "GET", "/articles/forward"));

    assertThat(r.statusCode()).as(text(r)).isEqualTo(200);
    assertThat(text(r)).contains(SECRET);
    assertThat(TestHttp.receipt(r)).containsEntry("price", "100");
  }

  @Test
  void aFlushThenAThrow_deliversNothing_andReleases() throws Exception {
    Funded alice = funded(millicent, 1_000);

    HttpResponse<byte[]> r = http.pay(http.signed(alice, "GET", "/articles/flushthrow"));
    HttpResponse<byte[]> again = http.pay(http.signed(alice, "GET", "/articles/afterflush"));

    assertThat(r.statusCode()).isEqualTo(502);
    assertThat(code(r)).isEqualTo("origin-failed");
    assertThat(text(r)).doesNotContain(SECRET).doesNotContain("Exception");
    assertThat(again.statusCode()).as(text(again)).isEqualTo(200);
  }

  @Test
  void pathTricks_neverDispatchAPricedPathUnpaid() throws IOException {
    List<String> tricks =
        List.of(
            "/articles/x",
            "/articles/x/",
            "//articles/x",
            "/articles//x",
            "/free/../articles/x",
            "/free/%2e%2e/articles/x",
            "/free/..%2farticles/x",
            "/articles;a=b/x",
            "/articles/x;jsessionid=1",
            "/%61rticles/x",
            "/articles%2fx",
            "/articles/./x",
            "/./articles/x",
            "/articles/%2e/x",
            "/articles/x%00",
            "/free;/../articles/x");
    for (String t : tricks) {
      String r = raw("GET " + t + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
      assertThat(r).as(t).doesNotStartWith("HTTP/1.1 5").doesNotContain(SECRET);
    }
    assertThat(app.unpaidPriced).as("priced paths the application ran unpaid").isEmpty();
  }

  @Test
  void anUnpaidHead_ofAPricedGet_doesNotRunTheApplication() {
    HttpResponse<byte[]> r = http.send("HEAD", "/articles/head", new byte[0]);

    assertThat(r.statusCode()).isEqualTo(402);
    assertThat(app.unpaidPriced).doesNotContain("/articles/head");
  }

  @Test
  void aPaidReplay_whoseApplicationFails_doesNotFreeTheSpentScrip() throws Exception {
    Funded alice = funded(millicent, 1_000);
    Payment p = http.signed(alice, "GET", "/articles/flaky");

    HttpResponse<byte[]> first = http.pay(p);
    app.flaky = true;
    HttpResponse<byte[]> replay;
    try {
      replay = http.pay(p);
    } finally {
      app.flaky = false;
    }
    HttpResponse<byte[]> other = http.pay(http.signed(alice, "GET", "/articles/reuse"));

    assertThat(first.statusCode()).isEqualTo(200);
    assertThat(replay.statusCode()).isEqualTo(502);
    assertThat(text(replay)).contains("the earlier charge stands");
    assertThat(code(other)).isEqualTo("spent");
  }

  @Test
  void theSamePaymentSentConcurrently_isChargedOnce_withOneChange() throws Exception {
    Funded alice = funded(millicent, 1_000);
    Payment p = http.signed(alice, "GET", "/articles/slow");
    int n = 6;
    List<HttpResponse<byte[]>> answers = new ArrayList<>();
    try (ExecutorService pool = Executors.newFixedThreadPool(n)) {
      List<Future<HttpResponse<byte[]>>> sent = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        sent.add(pool.submit(() -> http.pay(p)));
      }
      for (Future<HttpResponse<byte[]>> f : sent) {
        answers.add(f.get());
      }
    }
    HttpResponse<byte[]> other = http.pay(http.signed(alice, "GET", "/articles/reuseSlow"));

    assertThat(answers).allSatisfy(r -> assertThat(r.statusCode()).as(text(r)).isIn(200, 409, 503));
    List<String> changes =
        answers.stream()
            .filter(r -> r.statusCode() == 200)
            .map(r -> TestHttp.receipt(r).get("change"))
            .distinct()
            .toList();
    assertThat(changes).hasSize(1);
    assertThat(code(other)).isEqualTo("spent");
  }

  /** Sends {@code request} as it is on a new connection and reads the whole answer. */
  private String raw(String request) throws IOException {
    try (Socket s = new Socket("127.0.0.1", port)) {
      s.setSoTimeout(10_000);
      s.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
      return new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
    }
  }

  /** An application that misbehaves in the ways a careless developer's would. */
  static final class HostileApp extends HttpServlet {
    private static final long serialVersionUID = 1L;

    /** Dispatched paths under {@code /articles} that ran without a payment. */
    final transient Queue<String> unpaidPriced = new ConcurrentLinkedQueue<>();

    transient volatile boolean flaky;

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse res)
        throws IOException, ServletException {
      String path = req.getServletPath() + (req.getPathInfo() == null ? "" : req.getPathInfo());
      boolean paid = req.getAttribute(MillicentFilter.PAYMENT) != null;
      if (path.startsWith("/articles") && !paid) {
        unpaidPriced.add(path);
      }
      if (path.equals("/articles/target")) {
        res.getWriter().write(SECRET);
        return;
      }
      if (path.equals("/articles/flaky") && flaky) {
        res.sendError(503);
        return;
      }
      if (path.startsWith("/articles/large/")) {
        ShopServlet.writeLarge(path.substring("/articles/large/".length()), res);
        return;
      }
      if (path.equals("/articles/headersThenFail")) {
        res.setHeader("X-Application", "set before failing");
        res.setHeader("Content-Security-Policy", "default-src *");
        res.getWriter().write(SECRET);
        res.sendError(500);
        return;
      }
      if (path.startsWith("/articles/status/")) {
        res.setStatus(Integer.parseInt(path.substring("/articles/status/".length())));
        res.getWriter().write(SECRET);
        return;
      }
      switch (path) {
        case "/articles/slow" -> {
          try {
            Thread.sleep(300);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          res.getWriter().write(SECRET);
        }
        case "/articles/async" -> {
          AsyncContext ctx = req.startAsync();
          ctx.getResponse().getOutputStream().write(SECRET.getBytes(StandardCharsets.UTF_8));
          ctx.getResponse().flushBuffer();
          ctx.complete();
        }
        case "/articles/forward" -> req.getRequestDispatcher("/articles/target").forward(req, res);
        case "/articles/flushthrow" -> {
          res.getOutputStream().write(SECRET.getBytes(StandardCharsets.UTF_8));
          res.flushBuffer();
          throw new IllegalStateException("the application threw after flushing");
        }
        default -> {
          res.setContentType("text/plain;charset=utf-8");
          res.getWriter().write(paid ? SECRET : "free " + path);
        }
      }
    }
  }
}
