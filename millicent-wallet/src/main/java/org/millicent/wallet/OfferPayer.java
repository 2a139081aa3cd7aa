package org.millicent.wallet;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongConsumer;
import java.util.function.Supplier;
import org.millicent.money.Amounts;
import org.millicent.protocol.Headers;
import org.millicent.protocol.Offer;
import org.millicent.protocol.Variant;
import org.millicent.wallet.PaymentSettler.Accepted;
import org.millicent.wallet.PaymentSettler.Outcome;
import org.millicent.wallet.PaymentSettler.Refused;
import org.millicent.wallet.http.Request;
import org.millicent.wallet.http.Response;
import org.millicent.wallet.http.Transport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pays a vendor's 402 within the {@link Budget} (docs/WALLET.md, "Paying a 402"): checks that the
 * origin is vouched for the vendor, chooses the variant, reserves the smallest piece that covers
 * the price (merging small pieces or buying from a broker when none does), records the payment and
 * sends it once through {@link RecordedPayments}.
 *
 * <p>Thread-safe: parallel payments to one vendor top up its scrip one at a time, and the piece a
 * top-up brings (bought or merged) is held for the payment that needed it until that payment has
 * reserved it: a payment that made the wallet buy always gets to pay.
 */
final class OfferPayer {
  private static final Logger log = LoggerFactory.getLogger(Wallet.class);

  /** How long a payment waits for change from this process's payments before buying more. */
  private static final Duration CHANGE_WAIT = Duration.ofSeconds(10);

  private final WalletOptions options;
  private final WalletStore store;
  private final RecordedPayments payments;
  private final BrokerPurchases brokerPurchases;
  private final Exchanges exchanges;
  private final VendorOrigins origins;
  private final Supplier<Budget> budget;

  /** One monitor per vendor, held while its scrip is topped up (merged or bought). */
  private final Map<String, Object> toppingUp = new ConcurrentHashMap<>();

  /**
   * The purchases from brokers and merges of the top-ups running now (payment ids): the pieces they
   * acquire are held for the payment whose top-up made them, and no other payment takes them.
   */
  private final Set<Long> toppedUp = ConcurrentHashMap.newKeySet();

  OfferPayer(
      WalletOptions options,
      WalletStore store,
      RecordedPayments payments,
      BrokerPurchases brokerPurchases,
      Exchanges exchanges,
      VendorOrigins origins,
      Supplier<Budget> budget) {
    this.options = options;
    this.store = store;
    this.payments = payments;
    this.brokerPurchases = brokerPurchases;
    this.exchanges = exchanges;
    this.origins = origins;
    this.budget = budget;
  }

  private Instant now() {
    return options.clock().instant();
  }

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
  Response pay(Request request, Response offerResponse, Transport next)
      throws IOException, InterruptedException {
    Offer offer = Offers.from(offerResponse);
    String vendor = offer.vendor();
    long price = offer.priceMillicents();
    // Anyone can answer 402 in a vendor's name: pay only where the vendor is vouched to be.
    // And pay it only with scrip of a broker that vouches for it there, or buy from one: a broker
    // that lists another's vendor name at an origin of its own gets nothing of the other's.
    Payers payers = origins.check(vendor, request.origin(), offer.brokerList());
    Optional<VendorSite> site = store.origins().vendor(vendor);
    if (site.isEmpty()
        || !site.get().origin().equals(Optional.of(request.origin()))
        || !site.get().brokers().containsAll(offer.brokerList())) {
      store.origins().sawVendor(vendor, request.origin(), offer.brokerList(), now());
    }
    Variant variant = chooseVariant(offer);
    Budget budget = this.budget.get();
    store.checkBudget(vendor, price, budget, now());

    Optional<PaymentRecord> earlier =
        payments
            .unansweredSameRequest(vendor, request)
            .filter(e -> store.origins().unvouchedPayment(e).isEmpty());
    if (earlier.isPresent()) {
      log.info("re-sending unanswered payment {} for {}", earlier.get().id(), request);
      return deliver(request, payments.send(earlier.get(), paid(request, earlier.get()), next));
    }
    payments.recoverQuietly(vendor);
    exchanges.renewDueQuietly(vendor);

    Optional<PaymentRecord> rec =
        reservePurchase(vendor, price, payers, budget, variant, request, Set.of());
    if (rec.isEmpty()) {
      rec = topUpAndReserve(offer, payers, budget, variant, request);
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
   * change, so parallel requests do not each buy. The piece a merge or purchase brings is held for
   * this thread (in {@link #toppedUp}) until it has reserved: a payment that starts meanwhile and
   * finds no other piece waits for this top-up instead of taking it.
   */
  private Optional<PaymentRecord> topUpAndReserve(
      Offer offer, Payers payers, Budget budget, Variant variant, Request request)
      throws InterruptedException {
    String vendor = offer.vendor();
    long price = offer.priceMillicents();
    Object monitor = toppingUp.computeIfAbsent(vendor, v -> new Object());
    synchronized (monitor) {
      long deadline = System.nanoTime() + CHANGE_WAIT.toNanos();
      while (true) {
        // Asked before reserving: a payment that settles between a failed reservation and a
        // later look would leave its change unseen and make this thread buy needlessly.
        boolean changeExpected = payments.changeExpected(vendor);
        Optional<PaymentRecord> rec =
            reservePurchase(vendor, price, payers, budget, variant, request, Set.of());
        if (rec.isPresent()) {
          return rec;
        }
        if (!changeExpected || System.nanoTime() > deadline) {
          break;
        }
        monitor.wait(20);
      }
      Set<Long> mine = new HashSet<>();
      LongConsumer hold =
          id -> {
            mine.add(id);
            toppedUp.add(id);
          };
      try {
        if (!exchanges.mergeFor(vendor, price, payers, hold)) {
          BrokerAccount a = brokerPurchases.chooseBroker(vendor, offer.brokerList(), payers);
          brokerPurchases.buyFrom(
              a,
              vendor,
              BrokerPurchases.roundUpToPiece(
                  options.buyAmountFor(price), brokerPurchases.pieceSize(a, vendor)),
              hold);
        }
        return reservePurchase(vendor, price, payers, budget, variant, request, mine);
      } finally {
        toppedUp.removeAll(mine);
      }
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

  /**
   * Reserves the smallest piece that covers {@code price}, leaving alone the pieces that the
   * top-ups of other payments brought in: those acquired by a payment in {@link #toppedUp} that is
   * not one of {@code own}.
   */
  private Optional<PaymentRecord> reservePurchase(
      String vendor,
      long price,
      Payers payers,
      Budget budget,
      Variant variant,
      Request request,
      Set<Long> own) {
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
                payers,
                () -> toppedUp.stream().filter(id -> !own.contains(id)).toList(),
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
    Request r =
        request
            .withBody(rec.draft().body())
            .withHeader("Authorization", rec.draft().authorization());
    if (rec.draft().contentType() != null) {
      r = r.withHeader("Content-Type", rec.draft().contentType());
    }
    if (rec.draft().sealedContentType() != null) {
      r = r.withHeader(Headers.SEALED_CONTENT_TYPE, rec.draft().sealedContentType());
    }
    return r;
  }
}
