package org.millicent.servlet.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.millicent.vendor.testing.OwnCustomer.funded;
import static org.millicent.vendor.testing.TestHttp.code;
import static org.millicent.vendor.testing.TestHttp.receipt;
import static org.millicent.vendor.testing.TestHttp.text;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.ToIntFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.millicent.broker.BrokerServer;
import org.millicent.keys.CustomerSecret;
import org.millicent.protocol.AuthParams;
import org.millicent.protocol.Headers;
import org.millicent.protocol.Nonce;
import org.millicent.protocol.Payer;
import org.millicent.protocol.Payment;
import org.millicent.protocol.PaymentHeader;
import org.millicent.scrip.Scrip;
import org.millicent.scrip.ScripBody;
import org.millicent.vendor.MillicentGateway;
import org.millicent.vendor.VerifiedPayment;
import org.millicent.vendor.testing.OwnCustomer;
import org.millicent.vendor.testing.OwnCustomer.Funded;
import org.millicent.vendor.testing.TestHttp;
import org.millicent.wallet.Wallet;
import org.millicent.wallet.WalletOptions;
import org.millicent.wallet.http.Request;
import org.millicent.wallet.http.Response;

/**
 * What every web application selling through the servlet filter must do, whoever set the filter up
 * (the servlet ITs by hand in Jetty and Tomcat, the Spring Boot starter on Boot 3 and 4): the Java
 * wallet buys through a real broker that licensed the vendor through its endpoints; the rejection,
 * failure, replay and double-spend cases of the gateway's ITs. Shipped in millicent-servlet's
 * test-jar.
 *
 * <p>The shop a subclass starts answers {@code GET /articles/*} at 100 millicents and {@code GET
 * /cheap} at 50 with {@link #paidText} of the request path; {@code GET /fail} (100) answers 500 and
 * {@code GET /boom} (100) throws; {@code POST /echo} (200) echoes its body as {@code
 * application/octet-stream}. The vendor is {@code venetia}, licensed by broker {@code bob}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class ShopScenarios {
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * A running shop, as a subclass started it.
   *
   * @param http pays and sends to it
   * @param vendor its vendor runtime (it mints the own customers' scrip)
   * @param broker the broker that licensed the vendor
   * @param runs how often the shop's application ran for a path
   * @param walletDir a folder for the Java wallet's data
   */
  public record Shop(
      TestHttp http,
      MillicentGateway vendor,
      BrokerServer broker,
      ToIntFunction<String> runs,
      Path walletDir) {}

  /**
   * What the test shop answers for {@code what} bought with {@code paid}: "{@code what} paid
   * <i>price</i> by <i>customer</i> replay=<i>replay</i>" (the scenarios read it back).
   */
  public static String paidText(String what, VerifiedPayment paid) {
    return what
        + " paid "
        + paid.priceMillicents()
        + " by "
        + Long.toUnsignedString(paid.customerId())
        + " replay="
        + paid.replay();
  }

  /** The shop the subclass started before the first scenario. */
  protected abstract Shop shop();

  private TestHttp http() {
    return shop().http();
  }

  private MillicentGateway vendor() {
    return shop().vendor();
  }

  private BrokerServer broker() {
    return shop().broker();
  }

  private int runs(String path) {
    return shop().runs().applyAsInt(path);
  }

  private Path walletDir() {
    return shop().walletDir();
  }

  @Test
  void theJavaWallet_buysAPricedPage_throughARealBroker() throws Exception {
    try (Wallet w = Wallet.open(WalletOptions.defaults(walletDir()))) {
      w.register(broker().url(), "alice");

      Response r = w.httpClient().send(Request.get(http().base().resolve("/articles/wallet")));

      assertThat(r.status()).as(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo(200);
      assertThat(new String(r.body(), StandardCharsets.UTF_8))
          .startsWith("/articles/wallet paid 100 by ");
      assertThat(r.header(Headers.RECEIPT)).isPresent();
      assertThat(w.history(10)).extracting(e -> e.kind()).contains("buy", "purchase");
      assertThat(w.brokerAccount(broker().url()).path("charges_this_period_millicents").asLong())
          .isPositive();
    }
  }

  @Test
  void unpaid_isOffered_withAProblemDocument_orThePaywallPage_andTheAppDoesNotRun()
      throws Exception {
    HttpResponse<byte[]> r = http().send("GET", "/articles/unpaid", new byte[0]);
    HttpResponse<byte[]> page =
        http().send("GET", "/articles/unpaid", new byte[0], "Accept", "text/html");

    assertThat(r.statusCode()).isEqualTo(402);
    assertThat(r.headers().firstValue("WWW-Authenticate").orElseThrow())
        .startsWith("Millicent v=2, vendor=venetia, price=100");
    assertThat(code(r)).isEqualTo("payment-required");
    assertThat(page.statusCode()).isEqualTo(402);
    assertThat(page.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/html");
    assertThat(text(page)).contains("Payment required", broker().url().toString());
    assertThat(runs("/articles/unpaid")).isZero();
  }

  @Test
  void theProtocolEndpoints_answerBesideTheApplication() throws Exception {
    HttpResponse<byte[]> manifest = http().send("GET", "/.well-known/millicent", new byte[0]);
    HttpResponse<byte[]> unpaid =
        http().send("POST", "/millicent/exchange", "{}".getBytes(StandardCharsets.UTF_8));
    HttpResponse<byte[]> noToken = http().send("GET", "/millicent/admin/keys", new byte[0]);

    assertThat(manifest.statusCode()).isEqualTo(200);
    assertThat(JSON.readTree(manifest.body()).path("vendor").asText()).isEqualTo("venetia");
    assertThat(unpaid.statusCode()).isEqualTo(402);
    assertThat(noToken.statusCode()).isEqualTo(401);
  }

  @Test
  void forgedScrip_isRefused_notConsumed_andThenBuys() throws Exception {
    Funded alice = funded(vendor(), 1_000);
    ScripBody b = alice.scrip().body();
    Scrip forged =
        new Scrip(
            new ScripBody(
                b.vendor(), 100_000, b.id(), b.customerId(), b.expiresAt(), b.properties()),
            alice.scrip().certificate());
    CustomerSecret mallory = OwnCustomer.of(vendor()).secret();

    HttpResponse<byte[]> altered =
        http().pay(http().signed(forged, alice.secret(), "GET", "/articles/forged"));
    HttpResponse<byte[]> stolen =
        http().pay(http().signed(alice.scrip(), mallory, "GET", "/articles/forged"));
    HttpResponse<byte[]> paid = http().pay(http().signed(alice, "GET", "/articles/forged"));

    assertRefused(altered, 402, "forged");
    assertRefused(stolen, 402, "wrong-customer");
    assertThat(paid.statusCode()).as(text(paid)).isEqualTo(200);
    assertThat(runs("/articles/forged")).isEqualTo(1);
  }

  @Test
  void insufficientScrip_isRefused_notConsumed_andThenBuysACheaperPage() throws Exception {
    Funded alice = funded(vendor(), 60);

    HttpResponse<byte[]> refused = http().pay(http().signed(alice, "GET", "/articles/x"));
    HttpResponse<byte[]> cheap = http().pay(http().signed(alice, "GET", "/cheap"));

    assertRefused(refused, 402, "insufficient");
    assertThat(runs("/articles/x")).isZero();
    assertThat(cheap.statusCode()).as(text(cheap)).isEqualTo(200);
    assertThat(receipt(cheap)).containsEntry("price", "50");
  }

  @Test
  void aReplay_getsTheSameChange_andIsChargedOnce() throws Exception {
    Funded alice = funded(vendor(), 1_000);
    Payment payment = http().signed(alice, "GET", "/articles/replayed");

    HttpResponse<byte[]> first = http().pay(payment);
    HttpResponse<byte[]> again = http().pay(payment);

    assertThat(first.statusCode()).isEqualTo(200);
    assertThat(again.statusCode()).isEqualTo(200);
    assertThat(text(first)).endsWith("replay=false");
    assertThat(text(again)).endsWith("replay=true");
    assertThat(receipt(again).get("change")).isNotNull().isEqualTo(receipt(first).get("change"));
    // Charged once: the scrip is spent by the first sending; another request with it is refused.
    HttpResponse<byte[]> other = http().pay(http().signed(alice, "GET", "/articles/other"));
    assertThat(code(other)).isEqualTo("spent");
  }

  @Test
  void anApplication500_releasesThePayment_andTheScripThenBuys() throws Exception {
    Funded alice = funded(vendor(), 1_000);

    HttpResponse<byte[]> failed = http().pay(http().signed(alice, "GET", "/fail"));
    HttpResponse<byte[]> paid = http().pay(http().signed(alice, "GET", "/articles/after500"));

    assertRefused(failed, 502, "origin-failed");
    assertThat(text(failed)).contains("nothing was charged").doesNotContain("broke");
    assertThat(failed.headers().firstValue(Headers.RECEIPT)).isEmpty();
    assertThat(paid.statusCode()).as(text(paid)).isEqualTo(200);
    assertThat(receipt(paid)).containsEntry("price", "100");
  }

  @Test
  void anApplicationException_releasesThePayment_andTheScripThenBuys() throws Exception {
    Funded alice = funded(vendor(), 1_000);

    HttpResponse<byte[]> failed = http().pay(http().signed(alice, "GET", "/boom"));
    HttpResponse<byte[]> paid = http().pay(http().signed(alice, "GET", "/articles/afterBoom"));

    assertRefused(failed, 502, "origin-failed");
    assertThat(text(failed)).doesNotContain("IllegalStateException");
    assertThat(paid.statusCode()).as(text(paid)).isEqualTo(200);
  }

  @Test
  void theApplication_seesTheVerifiedPayment_andThePaidBody() throws Exception {
    Funded alice = funded(vendor(), 1_000);
    byte[] body = "a body the payment covers".getBytes(StandardCharsets.UTF_8);

    Funded carol = funded(vendor(), 1_000);

    HttpResponse<byte[]> article = http().pay(http().signed(alice, "GET", "/articles/me"));
    HttpResponse<byte[]> echoed = http().pay(http().signed(carol, "POST", "/echo", body), body);

    assertThat(text(article))
        .isEqualTo(
            "/articles/me paid 100 by " + Long.toUnsignedString(alice.id()) + " replay=false");
    assertThat(echoed.statusCode()).as(text(echoed)).isEqualTo(200);
    assertThat(echoed.body()).isEqualTo(body);
    assertThat(receipt(echoed)).containsEntry("price", "200");
  }

  @Test
  void aPrivatePayment_opensTheRequestBodyForTheApp_andSealsItsAnswer() throws Exception {
    Funded alice = funded(vendor(), 1_000);
    byte[] body = "a secret question".getBytes(StandardCharsets.UTF_8);
    byte[] sealedBody =
        Payer.sealRequestBody(alice.secret(), "venetia", alice.id(), body, TestHttp.RANDOM);
    Payment.Private p =
        Payer.sealed(
            alice.scrip(),
            alice.secret(),
            Nonce.random(TestHttp.RANDOM),
            http().descriptor("POST", "/echo", sealedBody),
            TestHttp.RANDOM);

    HttpResponse<byte[]> r = http().pay(p, sealedBody);

    assertThat(r.statusCode()).as(text(r)).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type")).hasValue(Headers.SEALED_MEDIA_TYPE);
    assertThat(r.headers().firstValue(Headers.SEALED_CONTENT_TYPE))
        .hasValue("application/octet-stream");
    assertThat(Payer.openResponse(alice.secret(), p, 200, r.body())).isEqualTo(body);
    assertThat(receipt(r)).containsEntry("variant", "private").containsEntry("price", "200");
  }

  @Test
  void aReplayedPost_isNotRunAgain_andGets409ReplayedWithTheFirstReceipt() throws Exception {
    Funded alice = funded(vendor(), 1_000);
    byte[] body = "do it once".getBytes(StandardCharsets.UTF_8);
    Payment payment = http().signed(alice, "POST", "/echo", body);
    int before = runs("/echo");

    HttpResponse<byte[]> first = http().pay(payment, body);
    HttpResponse<byte[]> again = http().pay(payment, body);

    assertThat(first.statusCode()).isEqualTo(200);
    assertRefused(again, 409, "replayed");
    assertThat(receipt(again).get("change")).isEqualTo(receipt(first).get("change"));
    assertThat(runs("/echo") - before).isEqualTo(1);
  }

  @Test
  void hostileRequests_onPricedPaths_areRefusedWithProblemDocuments_andConsumeNothing()
      throws Exception {
    Funded alice = funded(vendor(), 1_000);
    String header = PaymentHeader.format(http().signed(alice, "GET", "/articles/h"));

    HttpResponse<byte[]> twice =
        http()
            .send(
                "GET",
                "/articles/h",
                new byte[0],
                "Authorization",
                header,
                "Authorization",
                header);
    HttpResponse<byte[]> parameter =
        http().send("GET", "/articles/h;jsessionid=1", new byte[0], "Authorization", header);
    HttpResponse<byte[]> overlong =
        http()
            .send(
                "GET",
                "/articles/h",
                new byte[0],
                "Authorization",
                "Millicent v=2, pad=" + "a".repeat(AuthParams.MAX_LENGTH));
    HttpResponse<byte[]> paid =
        http().send("GET", "/articles/h", new byte[0], "Authorization", header);

    assertRefused(twice, 400, "bad-request");
    assertRefused(parameter, 400, "bad-path");
    assertRefused(overlong, 400, "malformed");
    assertThat(paid.statusCode()).as(text(paid)).isEqualTo(200);
    assertThat(runs("/articles/h")).isEqualTo(1);
  }

  @Test
  void aConcurrentDoubleSpend_isChargedExactlyOnce() throws Exception {
    Funded alice = funded(vendor(), 1_000);
    int n = 8;
    List<Payment> payments = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      payments.add(http().signed(alice, "GET", "/articles/race" + i));
    }
    List<HttpResponse<byte[]>> answers = new ArrayList<>();
    try (ExecutorService pool = Executors.newFixedThreadPool(n)) {
      List<Future<HttpResponse<byte[]>>> futures = new ArrayList<>();
      for (Payment p : payments) {
        futures.add(pool.submit((Callable<HttpResponse<byte[]>>) () -> http().pay(p)));
      }
      for (Future<HttpResponse<byte[]>> f : futures) {
        answers.add(f.get());
      }
    }

    assertThat(answers).filteredOn(r -> r.statusCode() == 200).hasSize(1);
    assertThat(answers)
        .filteredOn(r -> r.statusCode() != 200)
        .allSatisfy(r -> assertThat(code(r)).isIn("spent", "in-progress"));
    int ran = 0;
    for (int i = 0; i < n; i++) {
      ran += runs("/articles/race" + i);
    }
    assertThat(ran).isEqualTo(1);
  }

  /** {@code r} is a refusal with {@code status} and the problem code {@code code}. */
  private static void assertRefused(HttpResponse<byte[]> r, int status, String code) {
    assertThat(r.statusCode()).as(text(r)).isEqualTo(status);
    assertThat(code(r)).isEqualTo(code);
  }
}
