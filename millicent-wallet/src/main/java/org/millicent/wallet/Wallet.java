package org.millicent.wallet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.millicent.keys.CustomerSecret;
import org.millicent.protocol.Variant;
import org.millicent.scrip.Scrip;
import org.millicent.scrip.ScripBody;
import org.millicent.scrip.ScripId;
import org.millicent.storage.Database;
import org.millicent.storage.DatabaseConfig;
import org.millicent.wallet.PaymentSettler.Accepted;
import org.millicent.wallet.PaymentSettler.Outcome;
import org.millicent.wallet.PaymentSettler.Refused;
import org.millicent.wallet.WalletStore.PaymentDraft;
import org.millicent.wallet.WalletStore.VendorSite;
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
 * <p>Thread-safe. Several processes may open one wallet folder, one at a time being best.
 */
public final class Wallet implements PaymentHandler, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Wallet.class);

  /** The wallet's database file in its folder. */
  public static final String FILE = "wallet.db";

  /** The default path of a vendor's exchange endpoint, when its manifest does not say. */
  public static final String DEFAULT_EXCHANGE_PATH = "/millicent/exchange";

  private static final String JSON = "application/json";

  /** How long a payment waits for change from this process's payments before buying more. */
  private static final java.time.Duration CHANGE_WAIT = java.time.Duration.ofSeconds(10);

  private final WalletOptions options;
  private final WalletStore store;
  private final Transport net;
  private final ObjectMapper json = new ObjectMapper();
  private final BrokerClient brokers;
  private final PaymentSettler settler;

  /**
   * Payments this process owns right now (claimed when recorded, released when settled or given
   * up): recovery and other threads leave them alone.
   */
  private final Set<Long> sending = ConcurrentHashMap.newKeySet();

  /** One monitor per vendor, held while its scrip is topped up (merged or bought). */
  private final Map<String, Object> toppingUp = new ConcurrentHashMap<>();

  /**
   * Claims a payment for this thread as soon as the store assigns its id, inside the recording
   * transaction; gives the claim back if that transaction fails. Not thread-safe: one per record.
   */
  private final class Claim implements java.util.function.LongConsumer {
    private long id = -1;

    @Override
    public void accept(long paymentId) {
      id = paymentId;
      sending.add(paymentId);
    }

    <T> T around(java.util.function.Supplier<T> recording) {
      try {
        return recording.get();
      } catch (RuntimeException e) {
        if (id >= 0) {
          sending.remove(id);
        }
        throw e;
      }
    }
  }

  private Wallet(WalletOptions options, WalletStore store) {
    this.options = options;
    this.store = store;
    this.net = MillicentHttpClient.newBuilder().timeout(options.timeout()).build()::send;
    this.brokers = new BrokerClient(net, json, options.random());
    this.settler = new PaymentSettler(store, json, options.clock());
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
   * The broker's manifest, when it has one, tells the wallet which vendors it sells.
   *
   * @throws WalletException {@code broker-refused}, {@code unreachable} or {@code bad-response}
   * @throws InterruptedException when interrupted while waiting for the broker
   */
  public BrokerAccount register(URI brokerUrl, String name) throws InterruptedException {
    URI url = normalizeBroker(brokerUrl);
    BrokerClient.Registration r = brokers.register(url, name);
    try {
      ScripBody.checkVendor(r.broker());
    } catch (IllegalArgumentException e) {
      throw new WalletException(
          WalletException.Code.BAD_RESPONSE,
          "the broker at " + url + " gave no valid broker id: " + e.getMessage(),
          e);
    }
    BrokerAccount a =
        new BrokerAccount(url, r.broker(), r.customerId(), name, r.creditLimitMillicents(), now());
    store.addBroker(a, r.secret());
    learnVendors(url);
    return a;
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
    BrokerAccount a = account(normalizeBroker(brokerUrl));
    return brokers.account(a, brokerSecret(a));
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
    try {
      ScripBody.checkVendor(vendor);
    } catch (IllegalArgumentException e) {
      throw new WalletException(WalletException.Code.BAD_REQUEST, e.getMessage(), e);
    }
    if (amountMillicents < 1 || amountMillicents > ScripBody.MAX_VALUE_MILLICENTS) {
      throw new WalletException(
          WalletException.Code.BAD_REQUEST,
          "the amount must be 1.."
              + ScripBody.MAX_VALUE_MILLICENTS
              + " millicents, was "
              + amountMillicents);
    }
    BrokerAccount a = chooseBroker(vendor, broker.map(Wallet::normalizeBroker), List.of());
    return buyFrom(a, vendor, amountMillicents);
  }

  private Scrip buyFrom(BrokerAccount a, String vendor, long amount) throws InterruptedException {
    PaymentDraft draft = brokers.buyDraft(a, brokerSecret(a), vendor, amount);
    Claim claim = new Claim();
    PaymentRecord rec = claim.around(() -> store.recordBuy(draft, now(), claim));
    Outcome o = sendRecorded(rec, rec.request(), net);
    Scrip bought =
        switch (o) {
          case Accepted acc -> acc.received().getFirst();
          case Refused f ->
              throw new WalletException(
                  WalletException.Code.BROKER_REFUSED,
                  f.code(),
                  "the broker at "
                      + a.url()
                      + " would not sell "
                      + Amounts.format(amount)
                      + " of "
                      + vendor
                      + " scrip: "
                      + f.code()
                      + ": "
                      + f.detail(),
                  null);
        };
    store.sawVendor(vendor, null, List.of(a.url()), now());
    if (store.vendor(vendor).flatMap(VendorSite::origin).isEmpty()) {
      learnVendors(a.url());
    }
    return bought;
  }

  /**
   * The size of the pieces a broker sells a vendor's scrip in ({@code piece_millicents} in its
   * manifest, for warehouse supply: sales are whole multiples of it), or 1.
   */
  private long pieceSize(BrokerAccount a, String vendor) throws InterruptedException {
    try {
      for (JsonNode v : brokers.manifest(a.url()).withArray("vendors")) {
        if (vendor.equals(v.path("vendor").asText()) && v.path("piece_millicents").asLong() > 0) {
          return v.path("piece_millicents").asLong();
        }
      }
    } catch (WalletException e) {
      log.debug("no manifest at {}: {}", a.url(), e.getMessage());
    }
    return 1;
  }

  static long roundUpToPiece(long amount, long piece) {
    long pieces = (amount + piece - 1) / piece;
    return Math.min(pieces * piece, ScripBody.MAX_VALUE_MILLICENTS / piece * piece);
  }

  /** Records which vendors a broker sells and where they are, from its manifest (best effort). */
  private void learnVendors(URI broker) throws InterruptedException {
    try {
      for (JsonNode v : brokers.manifest(broker).withArray("vendors")) {
        String vendor = v.path("vendor").asText("");
        String url = v.path("url").asText("");
        if (vendor.isEmpty()) {
          continue;
        }
        String origin = url.isEmpty() ? null : Request.origin(URI.create(url));
        store.sawVendor(vendor, origin, List.of(broker), now());
      }
    } catch (WalletException | IllegalArgumentException e) {
      log.debug("could not read the manifest of {}: {}", broker, e.getMessage());
    }
  }

  private BrokerAccount chooseBroker(String vendor, Optional<URI> explicit, List<URI> named)
      throws InterruptedException {
    List<BrokerAccount> accounts = store.brokers();
    if (accounts.isEmpty()) {
      throw new WalletException(
          WalletException.Code.NOT_REGISTERED,
          "the wallet has no broker account"
              + (named.isEmpty() ? "" : "; " + vendor + "'s scrip is sold by " + list(named))
              + ": open one with `millicent wallet register --broker URL`");
    }
    if (explicit.isPresent()) {
      return account(explicit.get());
    }
    List<URI> candidates = new ArrayList<>(named);
    store.vendor(vendor).ifPresent(site -> candidates.addAll(site.brokers()));
    for (URI c : candidates) {
      for (BrokerAccount a : accounts) {
        if (a.url().equals(c)) {
          return a;
        }
      }
    }
    for (BrokerAccount a : accounts) {
      try {
        for (JsonNode v : brokers.manifest(a.url()).withArray("vendors")) {
          if (vendor.equals(v.path("vendor").asText())) {
            return a;
          }
        }
      } catch (WalletException e) {
        log.debug("broker {} did not answer: {}", a.url(), e.getMessage());
      }
    }
    throw new WalletException(
        WalletException.Code.NO_BROKER_ACCOUNT,
        (named.isEmpty()
                ? "none of the wallet's brokers sells " + vendor + "'s scrip"
                : vendor
                    + "'s scrip is sold by "
                    + list(named)
                    + ", and the wallet has no account there")
            + " (accounts at "
            + list(accounts.stream().map(BrokerAccount::url).toList())
            + "): register with `millicent wallet register --broker URL`");
  }

  private BrokerAccount account(URI url) {
    return store.brokers().stream()
        .filter(a -> a.url().equals(url))
        .findFirst()
        .orElseThrow(
            () ->
                new WalletException(
                    WalletException.Code.NOT_REGISTERED,
                    "the wallet has no account at the broker "
                        + url
                        + ": open one with `millicent wallet register --broker "
                        + url
                        + "`"));
  }

  private CustomerSecret brokerSecret(BrokerAccount a) {
    return store
        .secret(a.broker(), a.customerId())
        .orElseThrow(
            () ->
                new IllegalStateException(
                    "the wallet has an account at " + a.url() + " but lost its secret"));
  }

  private static String list(List<URI> urls) {
    return urls.isEmpty() ? "none" : String.join(", ", urls.stream().map(URI::toString).toList());
  }

  /**
   * A broker base URL without trailing slashes.
   *
   * @throws WalletException {@code bad-request} when it is not an absolute http(s) URL
   */
  static URI normalizeBroker(URI url) {
    try {
      return Offer.brokerUri(url.toString());
    } catch (URISyntaxException e) {
      throw new WalletException(
          WalletException.Code.BAD_REQUEST, "expected a broker URL, found " + url, e);
    }
  }

  // ------------------------------------------------------------------ paying

  @Override
  public Response pay(Request request, Response offerResponse, Transport next)
      throws IOException, InterruptedException {
    Offer offer = Offer.from(offerResponse);
    String vendor = offer.vendor();
    long price = offer.priceMillicents();
    Optional<VendorSite> site = store.vendor(vendor);
    if (site.isEmpty()
        || !site.get().origin().equals(Optional.of(request.origin()))
        || !site.get().brokers().containsAll(offer.brokers())) {
      store.sawVendor(vendor, request.origin(), offer.brokers(), now());
    }
    Variant variant = chooseVariant(offer);
    Budget budget = budget();
    store.checkBudget(vendor, price, budget, now());

    Optional<PaymentRecord> earlier = unansweredSameRequest(vendor, request);
    if (earlier.isPresent()) {
      log.info("re-sending unanswered payment {} for {}", earlier.get().id(), request);
      return deliver(request, sendRecorded(earlier.get(), paid(request, earlier.get()), next));
    }
    recoverQuietly(vendor);
    renewDueQuietly(vendor);

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
    return deliver(request, sendRecorded(rec.get(), paid(request, rec.get()), next));
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
        Optional<PaymentRecord> rec = reservePurchase(vendor, price, budget, variant, request);
        if (rec.isPresent()) {
          return rec;
        }
        if (!changeExpected(vendor) || System.nanoTime() > deadline) {
          break;
        }
        monitor.wait(20);
      }
      if (!mergeFor(vendor, price)) {
        BrokerAccount a = chooseBroker(vendor, Optional.empty(), offer.brokers());
        buyFrom(a, vendor, roundUpToPiece(options.buyAmountFor(price), pieceSize(a, vendor)));
      }
      return reservePurchase(vendor, price, budget, variant, request);
    }
  }

  /** Whether this process is sending a purchase or exchange at {@code vendor} right now. */
  private boolean changeExpected(String vendor) {
    return store.inFlight(vendor).stream()
        .anyMatch(p -> !p.kind().equals(PaymentRecord.BUY) && sending.contains(p.id()));
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
    Claim claim = new Claim();
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
                        secretOf(held),
                        request,
                        price,
                        options.random()),
                claim));
  }

  private CustomerSecret secretOf(HeldScrip s) {
    return store
        .secret(s.vendor(), s.customerId())
        .orElseThrow(
            () ->
                new IllegalStateException(
                    "no secret for customer "
                        + Long.toUnsignedString(s.customerId())
                        + " at "
                        + s.vendor()));
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

  /**
   * An unanswered purchase of exactly this request (same method, URL and body), claimed for this
   * thread, to re-send as it was.
   */
  private Optional<PaymentRecord> unansweredSameRequest(String vendor, Request request) {
    byte[] body = request.body();
    return store.inFlight(vendor).stream()
        .filter(p -> p.kind().equals(PaymentRecord.PURCHASE))
        .filter(
            p -> p.method().equals(request.method()) && p.url().equals(request.uri().toString()))
        .filter(p -> Arrays.equals(p.body(), body))
        .filter(p -> sending.add(p.id()))
        .findFirst();
  }

  /**
   * Sends a recorded payment the caller has claimed in {@link #sending}, once more on no answer,
   * settles what comes back and releases the claim.
   *
   * @throws WalletException {@code payment-in-flight} when neither sending got an answer
   */
  private Outcome sendRecorded(PaymentRecord rec, Request request, Transport transport)
      throws InterruptedException {
    try {
      Response r;
      try {
        store.countAttempt(rec.id());
        r = transport.send(request);
      } catch (IOException first) {
        log.info("no answer to payment {} ({}); sending it once more", rec.id(), first.toString());
        try {
          store.countAttempt(rec.id());
          r = transport.send(request);
        } catch (IOException second) {
          throw new WalletException(
              WalletException.Code.PAYMENT_IN_FLIGHT,
              "no answer to "
                  + rec.method()
                  + " "
                  + rec.url()
                  + " ("
                  + second.getMessage()
                  + "): the payment stays recorded and will be re-sent with the same scrip and"
                  + " nonce by the next recovery (`millicent wallet renew`, or any payment to "
                  + rec.vendor()
                  + "), which gets its answer (change, new scrip) back",
              second);
        }
      }
      return settler.settle(rec, r);
    } finally {
      sending.remove(rec.id());
    }
  }

  // ------------------------------------------------------------------ recovery

  /**
   * What a recovery did.
   *
   * @param settled payments that got their answer and were settled
   * @param stillInFlight payments that still got no answer (tried again next time)
   * @param lines one sentence per payment
   */
  public record RecoveryReport(int settled, int stillInFlight, List<String> lines) {}

  /**
   * Re-sends every payment left in flight (by a crash, a kill or a timeout), byte for byte, and
   * settles the answers: the vendor's idempotent retry returns the change it gave the first time.
   *
   * @throws InterruptedException when interrupted
   */
  public RecoveryReport recover() throws InterruptedException {
    return recover(null);
  }

  private RecoveryReport recover(String vendor) throws InterruptedException {
    int settled = 0;
    int still = 0;
    List<String> lines = new ArrayList<>();
    for (PaymentRecord rec : store.inFlight(vendor)) {
      if (!sending.add(rec.id())) {
        continue; // this process is sending it right now
      }
      try {
        Outcome o = sendRecorded(rec, rec.request(), net);
        settled++;
        lines.add(
            switch (o) {
              case Accepted a ->
                  "recovered "
                      + rec.kind()
                      + " "
                      + rec.id()
                      + " at "
                      + rec.vendor()
                      + ": charged "
                      + Amounts.format(a.priceMillicents())
                      + ", received "
                      + Amounts.format(
                          a.received().stream().mapToLong(Scrip::valueMillicents).sum());
              case Refused f ->
                  "settled "
                      + rec.kind()
                      + " "
                      + rec.id()
                      + " at "
                      + rec.vendor()
                      + " as refused: "
                      + f.code()
                      + " (scrip "
                      + f.scripState().wireName()
                      + ")";
            });
      } catch (WalletException e) {
        still++;
        lines.add("payment " + rec.id() + " is still in flight: " + e.getMessage());
      }
    }
    return new RecoveryReport(settled, still, lines);
  }

  private void recoverQuietly(String vendor) throws InterruptedException {
    RecoveryReport r = recover(vendor);
    r.lines().forEach(l -> log.info("{}", l));
  }

  // ------------------------------------------------------------------ exchanges

  /**
   * A piece renewed at its vendor.
   *
   * @param vendor the vendor
   * @param oldId the piece given in
   * @param newId the piece received
   * @param valueMillicents the value of both
   * @param oldExpiry when the old piece would have expired
   * @param newExpiry when the new piece expires
   */
  public record Renewal(
      String vendor,
      ScripId oldId,
      ScripId newId,
      long valueMillicents,
      Instant oldExpiry,
      Instant newExpiry) {}

  /**
   * What a renewal run did.
   *
   * @param recovery what the recovery before it did
   * @param renewed the pieces renewed
   * @param problems one sentence per piece that could not be renewed
   * @param expired how many pieces had expired already (now void)
   */
  public record RenewalReport(
      RecoveryReport recovery, List<Renewal> renewed, List<String> problems, int expired) {}

  /**
   * Recovers payments in flight, then renews at their vendors the pieces that expire within the
   * renewal window ({@code all}: every piece), each for a new piece of the same value.
   *
   * @throws InterruptedException when interrupted
   */
  public RenewalReport renew(boolean all) throws InterruptedException {
    RecoveryReport recovery = recover();
    int expired = store.voidExpired(now());
    List<Renewal> renewed = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    Instant due = now().plus(options.renewWithin());
    for (HeldScrip s : store.scrip(List.of(ScripState.AVAILABLE))) {
      if (all || s.expiresAt().isBefore(due)) {
        try {
          renewed.add(renewOne(s));
        } catch (WalletException e) {
          problems.add(s.vendor() + " " + s.id() + ": " + e.code().code() + ": " + e.getMessage());
        }
      }
    }
    return new RenewalReport(recovery, renewed, problems, expired);
  }

  private void renewDueQuietly(String vendor) throws InterruptedException {
    Instant due = now().plus(options.renewWithin());
    for (HeldScrip s : store.available(vendor)) {
      if (s.expiresAt().isBefore(due) && s.expiresAt().isAfter(now())) {
        try {
          Renewal r = renewOne(s);
          log.info("renewed {} {} until {}", vendor, r.oldId(), r.newExpiry());
        } catch (WalletException e) {
          log.info("could not renew {} {}: {}", vendor, s.id(), e.getMessage());
        }
      }
    }
  }

  private Renewal renewOne(HeldScrip s) throws InterruptedException {
    List<Scrip> out = exchange(s.vendor(), List.of(s), "renew");
    Scrip n = out.getFirst();
    return new Renewal(
        s.vendor(), s.id(), n.id(), n.valueMillicents(), s.expiresAt(), n.expiresAt());
  }

  /**
   * Merges small pieces of one customer into one that covers {@code price}, if that can be done.
   */
  private boolean mergeFor(String vendor, long price) throws InterruptedException {
    Instant limit = now().plus(options.minRemainingLife());
    Map<String, List<HeldScrip>> groups = new LinkedHashMap<>();
    for (HeldScrip s : store.available(vendor)) {
      if (s.expiresAt().isAfter(limit)) {
        String key = Long.toUnsignedString(s.customerId()) + " " + s.scrip().properties();
        groups.computeIfAbsent(key, k -> new ArrayList<>()).add(s);
      }
    }
    for (List<HeldScrip> g : groups.values()) {
      List<HeldScrip> pieces =
          g.stream()
              .sorted(Comparator.comparingLong(HeldScrip::valueMillicents).reversed())
              .limit(64)
              .toList();
      long sum = pieces.stream().mapToLong(HeldScrip::valueMillicents).sum();
      if (pieces.size() >= 2 && sum >= price) {
        try {
          exchange(vendor, pieces, "merge");
          return true;
        } catch (WalletException e) {
          log.info(
              "could not merge {} pieces of {} scrip: {}", pieces.size(), vendor, e.getMessage());
        }
      }
    }
    return false;
  }

  /**
   * Exchanges {@code inputs} at their vendor ({@code renew} or {@code merge}), paid with the first.
   *
   * @throws WalletException {@code vendor-refused}, {@code payment-in-flight}, {@code bad-request}
   *     when the wallet does not know where the vendor is
   */
  private List<Scrip> exchange(String vendor, List<HeldScrip> inputs, String operation)
      throws InterruptedException {
    URI url = exchangeUrl(vendor);
    var body = json.createObjectNode().put("operation", operation);
    var tokens = body.putArray("scrip");
    inputs.forEach(s -> tokens.add(s.token()));
    byte[] bytes;
    try {
      bytes = json.writeValueAsBytes(body);
    } catch (IOException e) {
      throw new IllegalStateException("JSON of a tree cannot fail", e);
    }
    HeldScrip first = inputs.getFirst();
    PaymentDraft draft =
        PaidRequests.payment(
            PaymentRecord.EXCHANGE,
            Variant.SIGNED,
            first.scrip(),
            secretOf(first),
            Request.post(url, JSON, bytes),
            0,
            options.random());
    Claim claim = new Claim();
    PaymentRecord rec =
        claim
            .around(() -> store.reserveExchange(inputs, draft, now(), claim))
            .orElseThrow(
                () ->
                    new WalletException(
                        WalletException.Code.BAD_REQUEST,
                        "a piece of "
                            + vendor
                            + " scrip to "
                            + operation
                            + " is no longer available"));
    return switch (sendRecorded(rec, rec.request(), net)) {
      case Accepted a -> a.received();
      case Refused f ->
          throw new WalletException(
              WalletException.Code.VENDOR_REFUSED,
              f.code(),
              vendor + " refused to " + operation + ": " + f.code() + ": " + f.detail(),
              null);
    };
  }

  private URI exchangeUrl(String vendor) throws InterruptedException {
    VendorSite site =
        store
            .vendor(vendor)
            .filter(s -> s.origin().isPresent())
            .orElseThrow(
                () ->
                    new WalletException(
                        WalletException.Code.BAD_REQUEST,
                        "the wallet does not know where "
                            + vendor
                            + " is: fetch something from it first"));
    String origin = site.origin().get();
    String path = site.exchangePath().orElse(null);
    if (path == null) {
      path = DEFAULT_EXCHANGE_PATH;
      try {
        Response m = net.send(Request.get(URI.create(origin + "/.well-known/millicent")));
        if (m.status() == 200) {
          String p = json.readTree(m.body()).path("exchange").asText("");
          if (p.startsWith("/")) {
            path = p;
          }
        }
      } catch (IOException | IllegalArgumentException e) {
        log.debug("no manifest at {}: {}", origin, e.getMessage());
      }
      store.setExchangePath(vendor, path);
    }
    return URI.create(origin + path);
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
