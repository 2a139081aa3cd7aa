package org.millicent.wallet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.millicent.protocol.Variant;
import org.millicent.testing.MutableClock;
import org.millicent.wallet.http.MillicentHttpClient;
import org.millicent.wallet.http.Request;
import org.millicent.wallet.http.Response;
import org.millicent.wallet.testing.RealBroker;
import org.millicent.wallet.testing.RealVendor;
import org.millicent.wallet.testing.TestWallets;

/**
 * The wallet buying from the vendor gateway that ships ({@link RealVendor}) with scrip of a
 * licensed broker that ships ({@link org.millicent.wallet.testing.RealBroker}): payments, change,
 * budgets, renewals, lost answers and their recovery, failing origins, variants, forged replies and
 * concurrent payments.
 */
class WalletIT {
  private static final long PRICE = 100;

  @TempDir Path dir;
  private final MutableClock clock = new MutableClock(Instant.parse("2031-03-01T12:00:00Z"));
  private RealBroker broker;
  private RealVendor vendor;
  private Wallet wallet;

  @BeforeEach
  void start() throws IOException {
    broker = new RealBroker("bob", dir.resolve("bob"), clock);
    vendor = RealVendor.start("venetia", PRICE, dir.resolve("vendor"), clock, broker);
    wallet = TestWallets.open(dir, clock);
  }

  @AfterEach
  void stop() {
    wallet.close();
    vendor.close();
    broker.close();
  }

  private URI page(int n) {
    return vendor.url().resolve("/pages/" + n);
  }

  private long available() {
    return wallet.balance().stream().mapToLong(VendorBalance::availableMillicents).sum();
  }

  private void assertBooksBalance() {
    WalletTotals t = wallet.totals();
    assertThat(t.discrepancyMillicents()).isZero();
    assertThat(t.boughtMillicents()).isEqualTo(broker.charged(alice()));
    assertThat(t.paidMillicents()).isEqualTo(vendor.revenue());
  }

  private long alice() {
    return wallet.brokers().getFirst().customerId();
  }

  @Test
  void get_withoutScrip_buysFromTheBrokerTheVendorNames_paysAndKeepsTheChange() throws Exception {
    wallet.register(broker.url(), "alice");

    Response r = wallet.httpClient().send(Request.get(page(1)));

    assertThat(r.status()).isEqualTo(200);
    assertThat(r.bodyText()).isEqualTo("page 1");
    long bought = wallet.options().buyAmountFor(PRICE);
    assertThat(broker.charged(alice())).isEqualTo(bought);
    assertThat(vendor.revenue()).isEqualTo(PRICE);
    assertThat(available()).isEqualTo(bought - PRICE);
    assertThat(wallet.history(10))
        .extracting(HistoryEntry::kind, HistoryEntry::state)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("buy", "done"),
            org.assertj.core.groups.Tuple.tuple("purchase", "done"));
    assertBooksBalance();
  }

  @Test
  void get_secondPage_paysWithTheChange_withoutBuyingAgain() throws Exception {
    wallet.register(broker.url(), "alice");
    MillicentHttpClient client = wallet.httpClient();

    client.send(Request.get(page(1)));
    Response second = client.send(Request.get(page(2)));

    assertThat(second.bodyText()).isEqualTo("page 2");
    long bought = wallet.options().buyAmountFor(PRICE);
    assertThat(broker.charged(alice())).isEqualTo(bought);
    assertThat(available()).isEqualTo(bought - 2 * PRICE);
    assertThat(wallet.balance().getFirst().availablePieces()).isEqualTo(1);
    assertBooksBalance();
  }

  @Test
  void get_aboveThePerRequestBudget_isRefusedAsBudgetExceeded_andBuysNothing() throws Exception {
    wallet.register(broker.url(), "alice");
    wallet.setBudget(Budget.DEFAULT.withPerRequest(PRICE - 1));

    assertThatThrownBy(() -> wallet.httpClient().send(Request.get(page(1))))
        .isInstanceOf(WalletException.class)
        .hasMessageContaining("per-request limit")
        .extracting(e -> ((WalletException) e).code())
        .isEqualTo(WalletException.Code.BUDGET_EXCEEDED);
    assertThat(broker.charged(alice())).isZero();
    assertThat(vendor.revenue()).isZero();
  }

  @Test
  void get_pastThePerVendorDailyBudget_isRefused_untilTheNextDay() throws Exception {
    wallet.register(broker.url(), "alice");
    wallet.setBudget(Budget.DEFAULT.withPerVendorPerDay(2 * PRICE));
    MillicentHttpClient client = wallet.httpClient();
    client.send(Request.get(page(1)));
    client.send(Request.get(page(2)));

    assertThatThrownBy(() -> client.send(Request.get(page(3))))
        .isInstanceOf(WalletException.class)
        .hasMessageContaining("per-vendor daily limit");

    clock.advance(Duration.ofHours(13));
    assertThat(client.send(Request.get(page(3))).status()).isEqualTo(200);
  }

  @Test
  void get_pastTheTotalBudget_isRefused() throws Exception {
    wallet.register(broker.url(), "alice");
    wallet.setBudget(Budget.DEFAULT.withTotal(PRICE));
    MillicentHttpClient client = wallet.httpClient();
    client.send(Request.get(page(1)));

    assertThatThrownBy(() -> client.send(Request.get(page(2))))
        .isInstanceOf(WalletException.class)
        .hasMessageContaining("total limit");
    assertThat(vendor.revenue()).isEqualTo(PRICE);
  }

  @Test
  void lostAnswer_isResentWithTheSameScripAndNonce_andTheChangeComesBack() throws Exception {
    wallet.register(broker.url(), "alice");
    wallet.buy("venetia", 1000, Optional.empty());
    vendor.loseNextAnswers(1);

    Response r = wallet.httpClient().send(Request.get(page(1)));

    assertThat(r.bodyText()).isEqualTo("page 1");
    assertThat(vendor.revenue()).isEqualTo(PRICE);
    assertThat(available()).isEqualTo(1000 - PRICE);
    assertBooksBalance();
  }

  @Test
  void answerLostTwice_paymentStaysInFlight_andRecoveryAfterReopeningGetsTheChange()
      throws Exception {
    wallet.register(broker.url(), "alice");
    wallet.buy("venetia", 1000, Optional.empty());
    vendor.loseNextAnswers(Integer.MAX_VALUE);

    assertThatThrownBy(() -> wallet.httpClient().send(Request.get(page(1))))
        .isInstanceOf(WalletException.class)
        .extracting(e -> ((WalletException) e).code())
        .isEqualTo(WalletException.Code.PAYMENT_IN_FLIGHT);
    assertThat(vendor.revenue()).isEqualTo(PRICE);
    assertThat(wallet.balance().getFirst().inFlightMillicents()).isEqualTo(1000);
    wallet.close();
    vendor.loseNextAnswers(0);

    wallet = TestWallets.open(dir, clock);
    RecoveryReport report = wallet.recover();

    assertThat(report.settled()).isEqualTo(1);
    assertThat(report.stillInFlight()).isZero();
    assertThat(vendor.revenue()).isEqualTo(PRICE);
    assertThat(available()).isEqualTo(1000 - PRICE);
    assertThat(wallet.inFlightCount()).isZero();
    assertBooksBalance();
  }

  @Test
  void sameRequestAfterALostAnswer_resendsTheRecordedPayment_andIsChargedOnce() throws Exception {
    wallet.register(broker.url(), "alice");
    wallet.buy("venetia", 1000, Optional.empty());
    vendor.loseNextAnswers(Integer.MAX_VALUE);
    MillicentHttpClient client = wallet.httpClient();
    assertThatThrownBy(() -> client.send(Request.get(page(7)))).isInstanceOf(WalletException.class);
    vendor.loseNextAnswers(0);

    Response again = client.send(Request.get(page(7)));

    assertThat(again.bodyText()).isEqualTo("page 7");
    assertThat(vendor.sales()).isEqualTo(1);
    assertThat(available()).isEqualTo(1000 - PRICE);
    assertBooksBalance();
  }

  @Test
  void lostBrokerAnswer_isRecovered_andChargedOnce() throws Exception {
    wallet.register(broker.url(), "alice");
    broker.loseNextAnswers(Integer.MAX_VALUE);

    assertThatThrownBy(() -> wallet.buy("venetia", 5000, Optional.empty()))
        .isInstanceOf(WalletException.class)
        .extracting(e -> ((WalletException) e).code())
        .isEqualTo(WalletException.Code.PAYMENT_IN_FLIGHT);
    assertThat(available()).isZero();
    broker.loseNextAnswers(0);

    assertThat(wallet.recover().settled()).isEqualTo(1);
    assertThat(available()).isEqualTo(5000);
    assertThat(broker.charged(alice())).isEqualTo(5000);
    assertBooksBalance();
  }

  @Test
  void renewAll_exchangesEveryPieceForOneOfTheSameValue_expiringLater() throws Exception {
    wallet.register(broker.url(), "alice");
    wallet.httpClient().send(Request.get(page(1)));
    HeldScrip before = wallet.scrip().getFirst();
    clock.advance(Duration.ofHours(2));

    RenewalReport report = wallet.renew(true);

    assertThat(report.problems()).isEmpty();
    assertThat(report.renewed()).hasSize(1);
    HeldScrip after = wallet.scrip().getFirst();
    assertThat(after.id()).isNotEqualTo(before.id());
    assertThat(after.valueMillicents()).isEqualTo(before.valueMillicents());
    assertThat(after.expiresAt()).isAfter(before.expiresAt());
    assertThat(after.source()).isEqualTo("renewed");
    assertBooksBalance();
  }

  @Test
  void payment_withScripNearItsExpiry_renewsItFirst() throws Exception {
    wallet.register(broker.url(), "alice");
    wallet.buy("venetia", 1000, Optional.empty());
    wallet.httpClient().send(Request.get(page(1)));
    clock.advance(Duration.ofHours(23).plusMinutes(30));

    Response r = wallet.httpClient().send(Request.get(page(2)));

    assertThat(r.status()).isEqualTo(200);
    assertThat(wallet.history(10)).extracting(HistoryEntry::kind).contains("exchange");
    assertThat(available()).isEqualTo(1000 - 2 * PRICE);
    assertBooksBalance();
  }

  @Test
  void smallPieces_thatTogetherCoverThePrice_areMergedInsteadOfBuyingMore() throws Exception {
    wallet.register(broker.url(), "alice");
    wallet.buy("venetia", 60, Optional.empty());
    wallet.buy("venetia", 60, Optional.empty());

    Response r = wallet.httpClient().send(Request.get(page(1)));

    assertThat(r.status()).isEqualTo(200);
    assertThat(broker.charged(alice())).isEqualTo(120);
    assertThat(available()).isEqualTo(20);
    assertBooksBalance();
  }

  @Test
  void originFailure_returnsThe502_andTheScripStaysInTheWallet() throws Exception {
    wallet.register(broker.url(), "alice");
    wallet.buy("venetia", 1000, Optional.empty());

    Response r = wallet.httpClient().send(Request.get(vendor.url().resolve("/broken")));

    assertThat(r.status()).isEqualTo(502);
    assertThat(vendor.originRequests()).as("the origin was asked, and failed").isPositive();
    assertThat(available()).isEqualTo(1000);
    assertThat(vendor.revenue()).isZero();
    assertThat(wallet.history(1).getFirst().outcome()).contains("origin-failed");
  }

  @Test
  void originThatCannotBeReached_returnsThe502_andTheScripStaysInTheWallet() throws Exception {
    wallet.register(broker.url(), "alice");
    wallet.buy("venetia", 1000, Optional.empty());
    vendor.stopOrigin();

    Response r = wallet.httpClient().send(Request.get(page(1)));

    assertThat(r.status()).isEqualTo(502);
    assertThat(available()).isEqualTo(1000);
    assertThat(vendor.revenue()).isZero();
    assertThat(wallet.history(1).getFirst().outcome()).contains("origin-failed");
    assertBooksBalance();
  }

  @Test
  void freePath_isServedWithoutPaying_andBuysNothing() throws Exception {
    wallet.register(broker.url(), "alice");

    Response r = wallet.httpClient().send(Request.get(vendor.url().resolve("/free/welcome")));

    assertThat(r.status()).isEqualTo(200);
    assertThat(r.bodyText()).isEqualTo("free welcome");
    assertThat(r.header("Millicent-Receipt")).isEmpty();
    assertThat(broker.charged(alice())).isZero();
    assertThat(vendor.sales()).isZero();
    assertThat(wallet.history(10)).isEmpty();
    assertThat(wallet.scrip()).isEmpty();
  }

  @Test
  void privateVariant_opensTheSealedBodyAndChange() throws Exception {
    // Another venetia (other keys): a broker of its own, which obtains that vendor's licence.
    vendor.close();
    broker.close();
    broker = new RealBroker("bob", dir.resolve("private-bob"), clock);
    vendor =
        RealVendor.start(
            "venetia", PRICE, dir.resolve("private"), clock, Set.of(Variant.PRIVATE), broker);
    wallet.register(broker.url(), "alice");

    Response r = wallet.httpClient().send(Request.get(page(3)));

    assertThat(r.bodyText()).isEqualTo("page 3");
    assertThat(r.header("Content-Type")).contains("text/plain");
    assertThat(available()).isEqualTo(wallet.options().buyAmountFor(PRICE) - PRICE);
    assertBooksBalance();
  }

  @Test
  void withoutAnyBrokerAccount_theWalletSaysToRegister() {
    assertThatThrownBy(() -> wallet.httpClient().send(Request.get(page(1))))
        .isInstanceOf(WalletException.class)
        .hasMessageContaining("millicent wallet register")
        .hasMessageContaining(broker.url().toString())
        .extracting(e -> ((WalletException) e).code())
        .isEqualTo(WalletException.Code.NOT_REGISTERED);
  }

  /**
   * The receipt's MAC is decoded by core's one strict base64url codec, as the vendor and broker
   * decode theirs: padding or non-zero unused bits, which a lenient decoder reads as the same MAC,
   * make the reply a bad response (issue 14).
   */
  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(strings = {"padding", "unused-bits"})
  void receiptMac_inNonCanonicalBase64_isABadResponse(String variant) throws Exception {
    wallet.register(broker.url(), "alice");
    wallet.buy("venetia", 1000, Optional.empty());
    String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    MillicentHttpClient client =
        wallet
            .httpClientBuilder()
            .addNetworkInterceptor(
                chain -> {
                  Response r = chain.proceed(chain.request());
                  Optional<String> receipt = r.header("Millicent-Receipt");
                  if (r.status() != 200 || receipt.isEmpty()) {
                    return r;
                  }
                  java.util.regex.Matcher m =
                      java.util.regex.Pattern.compile("mac=([A-Za-z0-9_-]+)")
                          .matcher(receipt.get());
                  assertThat(m.find()).isTrue();
                  String mac = m.group(1);
                  String bent =
                      variant.equals("padding")
                          ? mac + "=="
                          : mac.substring(0, mac.length() - 1)
                              + alphabet.charAt(alphabet.indexOf(mac.charAt(mac.length() - 1)) ^ 1);
                  java.util.Map<String, List<String>> headers =
                      new java.util.TreeMap<>(String.CASE_INSENSITIVE_ORDER);
                  headers.putAll(r.headers().map());
                  headers.put(
                      "Millicent-Receipt",
                      List.of(receipt.get().replace("mac=" + mac, "mac=" + bent)));
                  return Response.of(r.request(), r.status(), headers, r.body());
                })
            .build();

    assertThatThrownBy(() -> client.send(Request.get(page(1))))
        .isInstanceOf(WalletException.class)
        .extracting(e -> ((WalletException) e).code())
        .isEqualTo(WalletException.Code.BAD_RESPONSE);
  }

  @Test
  void alteredReply_failsAsForgedReply_andTheChangeIsNotKept() throws Exception {
    wallet.register(broker.url(), "alice");
    wallet.buy("venetia", 1000, Optional.empty());
    MillicentHttpClient client =
        wallet
            .httpClientBuilder()
            .addNetworkInterceptor(
                chain -> {
                  Response r = chain.proceed(chain.request());
                  return r.status() == 200
                      ? r.withBody("page 666".getBytes(StandardCharsets.UTF_8), "text/plain")
                      : r;
                })
            .build();

    assertThatThrownBy(() -> client.send(Request.get(page(1))))
        .isInstanceOf(WalletException.class)
        .extracting(e -> ((WalletException) e).code())
        .isEqualTo(WalletException.Code.FORGED_REPLY);
    assertThat(available()).isZero();
  }

  @Test
  void networkTimeoutOnce_isRetriedWithTheSamePayment() throws Exception {
    wallet.register(broker.url(), "alice");
    wallet.buy("venetia", 1000, Optional.empty());
    AtomicInteger failures = new AtomicInteger(1);
    List<String> authorizations = new java.util.concurrent.CopyOnWriteArrayList<>();
    MillicentHttpClient client =
        wallet
            .httpClientBuilder()
            .addNetworkInterceptor(
                chain -> {
                  chain.request().header("Authorization").ifPresent(authorizations::add);
                  Response r = chain.proceed(chain.request());
                  if (r.status() == 200 && failures.getAndDecrement() > 0) {
                    throw new IOException("timed out");
                  }
                  return r;
                })
            .build();

    assertThat(client.send(Request.get(page(1))).bodyText()).isEqualTo("page 1");
    assertThat(authorizations).hasSize(2);
    assertThat(authorizations.get(0)).isEqualTo(authorizations.get(1));
    assertThat(vendor.sales()).isEqualTo(1);
    assertBooksBalance();
  }

  @Test
  void parallelRequests_fromAnEmptyWallet_buyOnce_andAllArePaid() throws Exception {
    wallet.register(broker.url(), "alice");
    MillicentHttpClient client = wallet.httpClient();
    List<java.util.concurrent.Future<Response>> answers = new java.util.ArrayList<>();
    try (var pool = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
      for (int i = 0; i < 8; i++) {
        int n = i;
        answers.add(pool.submit(() -> client.send(Request.get(page(n)))));
      }
    }
    for (int i = 0; i < 8; i++) {
      assertThat(answers.get(i).get().bodyText()).isEqualTo("page " + i);
    }

    assertThat(wallet.history(100)).filteredOn(e -> e.kind().equals("buy")).hasSize(1);
    assertThat(vendor.sales()).isEqualTo(8);
    assertThat(wallet.inFlightCount()).isZero();
    assertBooksBalance();
  }

  /**
   * The interleaving that refused a payment {@code insufficient-scrip}: request A finds the wallet
   * empty and buys; request B starts after the piece has arrived but before A has reserved it, and
   * stays in flight while A goes on. The piece is held for A: B waits for A's top-up (and then pays
   * with A's change) instead of taking it.
   */
  @Test
  void paymentStartingWhileAnotherBuys_waits_andTheBuyerPaysWithThePieceItBought()
      throws Exception {
    wallet.register(broker.url(), "alice");
    CountDownLatch aBought = new CountDownLatch(1);
    CountDownLatch releaseA = new CountDownLatch(1);
    broker.holdManifestAfterNextSale(aBought, releaseA);
    CountDownLatch bPaying = new CountDownLatch(1);
    CountDownLatch releaseB = new CountDownLatch(1);
    MillicentHttpClient clientB =
        wallet
            .httpClientBuilder()
            .addNetworkInterceptor(
                chain -> {
                  if (chain.request().header("Authorization").isPresent()) {
                    bPaying.countDown();
                    releaseB.await();
                  }
                  return chain.proceed(chain.request());
                })
            .build();
    AtomicReference<Object> a = new AtomicReference<>();
    AtomicReference<Object> b = new AtomicReference<>();
    Thread threadA = Thread.ofPlatform().start(() -> a.set(fetch(wallet.httpClient(), page(1))));
    aBought.await(); // A bought: the piece is in the wallet, A has not reserved it yet
    Thread threadB = Thread.ofPlatform().start(() -> b.set(fetch(clientB, page(2))));
    // B either takes the piece and pays with it (held in flight by the interceptor), or waits
    // for the top-up that A, stopped in the broker's manifest, is in the middle of.
    while (!bPaying.await(1, TimeUnit.MILLISECONDS) && !blockedBy(threadB, threadA)) {
      assertThat(threadB.isAlive()).as("B is still paying").isTrue();
    }
    releaseA.countDown();
    threadA.join();
    releaseB.countDown();
    threadB.join();

    assertThat(a.get()).isEqualTo("page 1");
    assertThat(b.get()).isEqualTo("page 2");
    assertThat(wallet.history(10)).filteredOn(e -> e.kind().equals("buy")).hasSize(1);
    assertThat(vendor.sales()).isEqualTo(2);
    assertBooksBalance();
  }

  /** The page's text, or the wallet's failure. */
  private static Object fetch(MillicentHttpClient client, URI page) {
    try {
      return client.send(Request.get(page)).bodyText();
    } catch (WalletException e) {
      return e.code();
    } catch (IOException | InterruptedException e) {
      return e;
    }
  }

  /** Whether {@code t} is blocked entering a monitor that {@code owner} holds. */
  private static boolean blockedBy(Thread t, Thread owner) {
    ThreadInfo info = ManagementFactory.getThreadMXBean().getThreadInfo(t.threadId());
    return info != null
        && info.getThreadState() == Thread.State.BLOCKED
        && info.getLockOwnerId() == owner.threadId();
  }

  @Test
  void renewalWhoseAnswerIsLost_isRecovered_withTheSameNewPiece() throws Exception {
    wallet.register(broker.url(), "alice");
    wallet.buy("venetia", 1000, Optional.empty());
    wallet.httpClient().send(Request.get(page(1)));
    vendor.loseNextAnswers(Integer.MAX_VALUE);

    RenewalReport lost = wallet.renew(true);

    assertThat(lost.renewed()).isEmpty();
    assertThat(lost.problems()).singleElement().asString().contains("payment-in-flight", "re-sent");
    assertThat(wallet.balance().getFirst().inFlightMillicents()).isEqualTo(1000 - PRICE);
    vendor.loseNextAnswers(0);

    RecoveryReport recovered = wallet.recover();

    assertThat(recovered.settled()).isEqualTo(1);
    assertThat(wallet.scrip())
        .singleElement()
        .satisfies(s -> assertThat(s.source()).isEqualTo("renewed"));
    assertThat(available()).isEqualTo(1000 - PRICE);
    assertBooksBalance();
  }
}
