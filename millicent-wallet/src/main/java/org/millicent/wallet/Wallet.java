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
import org.millicent.scrip.Scrip;
import org.millicent.storage.Database;
import org.millicent.storage.DatabaseConfig;
import org.millicent.wallet.http.MillicentHttpClient;
import org.millicent.wallet.http.PaymentHandler;
import org.millicent.wallet.http.Request;
import org.millicent.wallet.http.Response;
import org.millicent.wallet.http.Transport;

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
 * <p>It delegates to package-private parts, one per concept: {@code OfferPayer} (paying a 402),
 * {@code RecordedPayments} (sending and recovery), {@code BrokerPurchases} (accounts and buying
 * scrip) and {@code Exchanges} (renewal and merging); {@code WalletStore} keeps the file.
 *
 * <p>Thread-safe. Several processes may open one wallet folder, one at a time being best.
 */
public final class Wallet implements PaymentHandler, AutoCloseable {
  /** The wallet's database file in its folder. */
  public static final String FILE = "wallet.db";

  /** The default path of a vendor's exchange endpoint, when its manifest does not say. */
  public static final String DEFAULT_EXCHANGE_PATH = Exchanges.DEFAULT_PATH;

  private final WalletOptions options;
  private final WalletStore store;
  private final RecordedPayments payments;
  private final BrokerPurchases brokerPurchases;
  private final Exchanges exchanges;
  private final VendorOrigins origins;
  private final OfferPayer payer;

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
    this.payer =
        new OfferPayer(options, store, payments, brokerPurchases, exchanges, origins, this::budget);
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
   * vendor}'s: the wallet will pay {@code vendor}'s scrip there, whichever broker sold it, and buy
   * scrip for it from any of its brokers (docs/WALLET.md, "Vouched origins").
   *
   * @throws WalletException {@code bad-request} when the vendor id or the URL is not valid
   */
  public VouchedOrigin vouch(String vendor, URI url) {
    return origins.vouch(vendor, url, Optional.empty());
  }

  /**
   * Vouches, on the user's word, for the origin of {@code url} as {@code vendor}'s, for the scrip
   * of {@code broker} only (empty: every broker's, as {@link #vouch(String, URI)}): the wallet will
   * pay there, and buy for it, only {@code vendor} scrip sold by that broker.
   *
   * @throws WalletException {@code bad-request} when the vendor id or a URL is not valid
   */
  public VouchedOrigin vouch(String vendor, URI url, Optional<URI> broker) {
    return origins.vouch(vendor, url, broker);
  }

  /**
   * Withdraws the user's word for the origin of {@code url} (empty: every origin) as {@code
   * vendor}'s, for every broker it named. What a broker's manifest vouches for stays while the
   * manifest lists it.
   *
   * @return how many origins were withdrawn
   * @throws WalletException {@code bad-request} when the vendor id or the URL is not valid
   */
  public int unvouch(String vendor, Optional<URI> url) {
    return origins.unvouch(vendor, url);
  }

  /** The origins vouched for each vendor, by vendor, then oldest first. */
  public List<VouchedOrigin> vouchedOrigins() {
    return store.origins().vouchedOrigins(null).stream()
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
    return payer.pay(request, offerResponse, next);
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
