package org.millicent.wallet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.millicent.money.Amounts;
import org.millicent.protocol.Variant;
import org.millicent.scrip.Scrip;
import org.millicent.storage.Database;
import org.millicent.storage.DatabaseConfig;
import org.millicent.wallet.PaymentSettler.Accepted;
import org.millicent.wallet.PaymentSettler.Outcome;
import org.millicent.wallet.PaymentSettler.Refused;
import org.millicent.wallet.http.MillicentHttpClient;
import org.millicent.wallet.http.PaymentHandler;
import org.millicent.wallet.http.Request;
import org.millicent.wallet.http.Response;
import org.millicent.wallet.http.Transport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The customer's wallet (docs/WALLET.md): broker accounts and secrets, scrip per vendor, and the
 * logic that pays a vendor's 402 within a {@link Budget}: choose the smallest piece of scrip that
 * covers the price (merging small pieces or buying from a broker the vendor names when none does),
 * record the payment, send it, verify the receipt and keep the change.
 *
 * <p>No value is lost: a payment is recorded, with its scrip marked in flight, before its request
 * leaves. If no answer comes (a timeout, a crash, a kill), the very same request, with the same
 * scrip and nonce, is re-sent later by {@link #recover()} (or when the same request is made again),
 * and the vendor's idempotent retry gives back the same change (docs/HTTP-API.md, "Idempotent
 * retry"). Purchases from brokers are account requests recorded the same way.
 *
 * <p>It pays and delegates the rest to package-private parts, one per concept: {@code
 * RecordedPayments} (sending and recovery), {@code BrokerPurchases} (accounts and buying scrip) and
 * {@code Exchanges} (renewal and merging); {@code WalletStore} keeps the file.
 *
 * <p>Thread-safe. Several processes may open one wallet folder, one at a time being best.
 */
public final class Wallet implements PaymentHandler, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Wallet.class);

  /** The wallet's database file in its folder. */
  public static final String FILE = "wallet.db";

  /** The default path of a vendor's exchange endpoint, when its manifest does not say. */
  public static final String DEFAULT_EXCHANGE_PATH = "/millicent/exchange";

  /** How long a payment waits for change from this process's payments before buying more. */
  private static final java.time.Duration CHANGE_WAIT = java.time.Duration.ofSeconds(10);

  private final WalletOptions options;
  private final WalletStore store;
  private final RecordedPayments payments;
  private final BrokerPurchases brokerPurchases;
  private final Exchanges exchanges;
  private final VendorOrigins origins;

  /** One monitor per vendor, held while its scrip is topped up (merged or bought). */
  private final Map<String, Object> toppingUp = new ConcurrentHashMap<>();

  private Wallet(WalletOptions options, WalletStore store) {
    this.options = options;
    this.store = store;
    Transport net = MillicentHttpClient.newBuilder().timeout(options.timeout()).build()::send;
    ObjectMapper json = new ObjectMapper();
    this.payments =
        new RecordedPayments(
            store,
            new PaymentSettler(store, json, options.clock()),
            net,
            new VendorRecovery(store, json, options.clock()));
    BrokerClient brokers = new BrokerClient(net, json, options.random());
    this.origins = new VendorOrigins(options, store, brokers);
    this.brokerPurchases = new BrokerPurchases(options, store, brokers, payments, net, origins);
    this.exchanges = new Exchanges(options, store, payments, net, json, origins);
  }

  /**
   * Opens (creating if needed) the wallet in {@code options.dir()}.
   *
   * @throws org.millicent.storage.StorageException when the file cannot be opened or is not a
   *     wallet
   */
  public static Wallet open(WalletOptions options) {
    Database db = Database.open(DatabaseConfig.sqliteIn(options.dir(), FILE));
    try {
      return new Wallet(options, new WalletStore(db));
    } catch (RuntimeException e) {
      db.close();
      throw e;
    }
  }

  /** The options the wallet was opened with. */
  public WalletOptions options() {
    return options;
  }

  /** Where the wallet's file is, for messages. */
  public String describe() {
    return store.describe();
  }

  /** A paying HTTP client on this wallet. */
  public MillicentHttpClient httpClient() {
    return httpClientBuilder().build();
  }

  /** A builder of a paying HTTP client on this wallet, to add interceptors to. */
  public MillicentHttpClient.Builder httpClientBuilder() {
    return MillicentHttpClient.newBuilder().timeout(options.timeout()).payments(this);
  }

  @Override
  public void close() {
    store.close();
  }

  private Instant now() {
    return options.clock().instant();
  }

  // ------------------------------------------------------------------ budget

  /** The budget in force (the defaults until one is set). */
  public Budget budget() {
    Budget d = Budget.DEFAULT;
    return new Budget(
        store.setting("budget.per_request").map(Long::parseLong).orElse(d.perRequestMillicents()),
        store
            .setting("budget.per_vendor_per_day")
            .map(Long::parseLong)
            .orElse(d.perVendorPerDayMillicents()),
        store.setting("budget.total").map(Long::parseLong).orElse(d.totalMillicents()));
  }

  /** Sets the budget, kept in the wallet. */
  public void setBudget(Budget b) {
    store.putSetting("budget.per_request", Long.toString(b.perRequestMillicents()));
    store.putSetting("budget.per_vendor_per_day", Long.toString(b.perVendorPerDayMillicents()));
    store.putSetting("budget.total", Long.toString(b.totalMillicents()));
  }

  // ------------------------------------------------------------------ brokers

  /**
   * Opens an account at the broker at {@code brokerUrl} under {@code name} and keeps its secret.
   * The broker's manifest, when it has one, tells the wallet which vendors it sells and vouches for
   * the origins where each may be paid (docs/WALLET.md, "Vouched origins").
   *
   * @throws WalletException {@code broker-refused}, {@code unreachable} or {@code bad-response}
   * @throws InterruptedException when interrupted while waiting for the broker
   */
  public BrokerAccount register(URI brokerUrl, String name) throws InterruptedException {
    return brokerPurchases.register(brokerUrl, name);
  }

  /** The broker accounts, oldest first. */
  public List<BrokerAccount> brokers() {
    return store.brokers();
  }

  /**
   * The broker's view of an account ({@code GET /broker/accounts/{id}}): balance, credit limit,
   * charges this period.
   *
   * @throws WalletException {@code not-registered} when there is no account at that broker, or as
   *     {@link #register}
   * @throws InterruptedException when interrupted
   */
  public JsonNode brokerAccount(URI brokerUrl) throws InterruptedException {
    return brokerPurchases.brokerAccount(brokerUrl);
  }

  /**
   * Buys {@code amountMillicents} of {@code vendor}'s scrip from a broker: {@code broker} when
   * given, else one the vendor named or whose manifest lists the vendor.
   *
   * @throws WalletException {@code not-registered}, {@code no-broker-account}, {@code
   *     broker-refused}, {@code payment-in-flight} (no answer: re-sent by {@link #recover()}),
   *     {@code bad-request} for an amount out of range
   * @throws InterruptedException when interrupted
   */
  public Scrip buy(String vendor, long amountMillicents, Optional<URI> broker)
      throws InterruptedException {
    return brokerPurchases.buy(vendor, amountMillicents, broker);
  }

  // ------------------------------------------------------------------ vouched origins

  /**
   * Vouches, on the user's word, for the origin of {@code url} (scheme, host, port) as {@code
   * vendor}'s: the wallet will pay {@code vendor}'s scrip there (docs/WALLET.md, "Vouched
   * origins").
   *
   * @throws WalletException {@code bad-request} when the vendor id or the URL is not valid
   */
  public VouchedOrigin vouch(String vendor, URI url) {
    return origins.vouch(vendor, url);
  }

  /**
   * Withdraws the user's word for the origin of {@code url} (empty: every origin) as {@code
   * vendor}'s. What a broker's manifest vouches for stays while the manifest lists it.
   *
   * @return how many origins were withdrawn
   * @throws WalletException {@code bad-request} when the vendor id or the URL is not valid
   */
  public int unvouch(String vendor, Optional<URI> url) {
    return origins.unvouch(vendor, url);
  }

  /** The origins vouched for each vendor, by vendor, then oldest first. */
  public List<VouchedOrigin> vouchedOrigins() {
    return store.vouchedOrigins(null).stream()
        .sorted(java.util.Comparator.comparing(VouchedOrigin::vendor))
        .toList();
  }

  /**
   * Reads the manifests of the wallet's brokers again, so that what they vouch for is current.
   *
   * @return how many manifests were read
   * @throws InterruptedException when interrupted
   */
  public int refreshVouchedOrigins() throws InterruptedException {
    int read = 0;
    for (BrokerAccount a : store.brokers()) {
      if (origins.learn(a.url())) {
        read++;
      }
    }
    return read;
  }

  // ------------------------------------------------------------------ paying

  /**
   * Pays the 402 {@code offerResponse} to {@code request} once and sends the paid request once
   * through {@code next} (docs/WALLET.md, "Paying a 402").
   *
   * @throws WalletException {@code unvouched-origin} when the origin that answered is not vouched
   *     for the vendor its offer names (nothing is bought or sent), {@code budget-exceeded}, and
   *     the other codes of docs/WALLET.md
   * @throws IOException when the paid request got no answer
   * @throws InterruptedException when interrupted
   */
  @Override
  public Response pay(Request request, Response offerResponse, Transport next)
      throws IOException, InterruptedException {
    Offer offer = Offer.from(offerResponse);
    String vendor = offer.vendor();
    long price = offer.priceMillicents();
    // Anyone can answer 402 in a vendor's name: pay only where the vendor is vouched to be.
    origins.check(vendor, request.origin(), offer.brokers());
    Optional<VendorSite> site = store.vendor(vendor);
    if (site.isEmpty()
        || !site.get().origin().equals(Optional.of(request.origin()))
        || !site.get().brokers().containsAll(offer.brokers())) {
      store.sawVendor(vendor, request.origin(), offer.brokers(), now());
    }
    Variant variant = chooseVariant(offer);
    Budget budget = budget();
    store.checkBudget(vendor, price, budget, now());

    Optional<PaymentRecord> earlier = payments.unansweredSameRequest(vendor, request);
    if (earlier.isPresent()) {
      log.info("re-sending unanswered payment {} for {}", earlier.get().id(), request);
      return deliver(request, payments.send(earlier.get(), paid(request, earlier.get()), next));
    }
    payments.recoverQuietly(vendor);
    exchanges.renewDueQuietly(vendor);

    Optional<PaymentRecord> rec = reservePurchase(vendor, price, budget, variant, request);
    if (rec.isEmpty()) {
      rec = topUpAndReserve(offer, budget, variant, request);
      if (rec.isEmpty()) {
        throw new WalletException(
            WalletException.Code.INSUFFICIENT_SCRIP,
            "the wallet holds no piece of "
                + vendor
                + " scrip worth "
                + Amounts.format(price)
                + " that outlives "
                + options.minRemainingLife()
                + ", even after buying");
      }
    }
    return deliver(request, payments.send(rec.get(), paid(request, rec.get()), next));
  }

  /**
   * Reserves a piece once the vendor's scrip is topped up: one thread at a time per vendor, and a
   * thread whose vendor has payments of this process in flight first waits a little for their
   * change, so parallel requests do not each buy.
   */
  private Optional<PaymentRecord> topUpAndReserve(
      Offer offer, Budget budget, Variant variant, Request request) throws InterruptedException {
    String vendor = offer.vendor();
    long price = offer.priceMillicents();
    Object monitor = toppingUp.computeIfAbsent(vendor, v -> new Object());
    synchronized (monitor) {
      long deadline = System.nanoTime() + CHANGE_WAIT.toNanos();
      while (true) {
        // Asked before reserving: a payment that settles between a failed reservation and a
        // later look would leave its change unseen and make this thread buy needlessly.
        boolean changeExpected = payments.changeExpected(vendor);
        Optional<PaymentRecord> rec = reservePurchase(vendor, price, budget, variant, request);
        if (rec.isPresent()) {
          return rec;
        }
        if (!changeExpected || System.nanoTime() > deadline) {
          break;
        }
        monitor.wait(20);
      }
      if (!exchanges.mergeFor(vendor, price)) {
        BrokerAccount a = brokerPurchases.chooseBroker(vendor, Optional.empty(), offer.brokers());
        brokerPurchases.buyFrom(
            a,
            vendor,
            BrokerPurchases.roundUpToPiece(
                options.buyAmountFor(price), brokerPurchases.pieceSize(a, vendor)));
      }
      return reservePurchase(vendor, price, budget, variant, request);
    }
  }

  private static Response deliver(Request request, Outcome o) {
    return switch (o) {
      case Accepted a -> a.response();
      case Refused f when f.response().status() == 402 ->
          throw new WalletException(
              WalletException.Code.VENDOR_REFUSED,
              f.code(),
              "the vendor refused the payment for "
                  + request
                  + ": "
                  + f.code()
                  + ": "
                  + f.detail()
                  + (f.scripState() == ScripState.AVAILABLE
                      ? " (the scrip was not consumed and stays in the wallet)"
                      : " (the scrip is now " + f.scripState().wireName() + ")"),
              null);
      case Refused f -> f.response();
    };
  }

  private Variant chooseVariant(Offer offer) {
    Set<Variant> v = offer.variants();
    if (options.preferPrivate() && v.contains(Variant.PRIVATE)) {
      return Variant.PRIVATE;
    }
    if (v.contains(Variant.SIGNED)) {
      return Variant.SIGNED;
    }
    if (v.contains(Variant.PRIVATE)) {
      return Variant.PRIVATE;
    }
    throw new WalletException(
        WalletException.Code.NO_COMMON_VARIANT,
        offer.vendor()
            + " takes only "
            + v.stream().map(Variant::wireName).sorted().toList()
            + "; the wallet pays in the signed or private variant, never in the clear");
  }

  private Optional<PaymentRecord> reservePurchase(
      String vendor, long price, Budget budget, Variant variant, Request request) {
    Instant now = now();
    RecordedPayments.Claim claim = payments.claim();
    return claim.around(
        () ->
            store.reservePurchase(
                vendor,
                price,
                budget,
                now,
                now.plus(options.minRemainingLife()),
                held ->
                    PaidRequests.payment(
                        PaymentRecord.PURCHASE,
                        variant,
                        held.scrip(),
                        store.secretOf(held),
                        request,
                        price,
                        options.random()),
                claim));
  }

  /** The request as recorded: the caller's headers plus the payment, the body as sent. */
  private static Request paid(Request request, PaymentRecord rec) {
    Request r = request.withBody(rec.body()).withHeader("Authorization", rec.authorization());
    if (rec.contentType() != null) {
      r = r.withHeader("Content-Type", rec.contentType());
    }
    if (rec.sealedContentType() != null) {
      r = r.withHeader(PaidRequests.SEALED_CONTENT_TYPE_HEADER, rec.sealedContentType());
    }
    return r;
  }

  // ------------------------------------------------------------------ recovery

  /**
   * Re-sends every payment left in flight (by a crash, a kill or a timeout), byte for byte, and
   * settles the answers: the vendor's idempotent retry returns the change it gave the first time.
   *
   * @throws InterruptedException when interrupted
   */
  public RecoveryReport recover() throws InterruptedException {
    return payments.recover(null);
  }

  // ------------------------------------------------------------------ exchanges

  /**
   * Recovers payments in flight, then renews at their vendors the pieces that expire within the
   * renewal window ({@code all}: every piece), each for a new piece of the same value.
   *
   * @throws InterruptedException when interrupted
   */
  public RenewalReport renew(boolean all) throws InterruptedException {
    return exchanges.renew(recover(), all);
  }

  // ------------------------------------------------------------------ reports

  /** What the wallet holds, per vendor. */
  public List<VendorBalance> balance() {
    Map<String, long[]> sums = new LinkedHashMap<>();
    Map<String, Instant> next = new LinkedHashMap<>();
    for (HeldScrip s : store.scrip(List.of(ScripState.AVAILABLE, ScripState.IN_FLIGHT))) {
      long[] a = sums.computeIfAbsent(s.vendor(), k -> new long[4]);
      if (s.state() == ScripState.AVAILABLE) {
        a[0] += s.valueMillicents();
        a[1]++;
        next.merge(s.vendor(), s.expiresAt(), (x, y) -> x.isBefore(y) ? x : y);
      } else {
        a[2] += s.valueMillicents();
        a[3]++;
      }
    }
    List<VendorBalance> out = new ArrayList<>();
    sums.forEach(
        (v, a) ->
            out.add(
                new VendorBalance(
                    v, a[0], (int) a[1], a[2], (int) a[3], Optional.ofNullable(next.get(v)))));
    return out;
  }

  /** Every piece available or in flight, by vendor then expiry. */
  public List<HeldScrip> scrip() {
    return store.scrip(List.of(ScripState.AVAILABLE, ScripState.IN_FLIGHT));
  }

  /** The last {@code limit} payments, oldest first. */
  public List<HistoryEntry> history(int limit) {
    return store.history(limit);
  }

  /** The wallet's books over its life. */
  public WalletTotals totals() {
    return store.totals();
  }

  /** How many payments are in flight (unanswered), to be re-sent by {@link #recover()}. */
  public int inFlightCount() {
    return store.inFlight(null).size();
  }
}
