package org.millicent.wallet;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.LongConsumer;
import org.millicent.failure.Causes;
import org.millicent.failure.MalformedException;
import org.millicent.keys.CustomerSecret;
import org.millicent.money.Amounts;
import org.millicent.protocol.Offer;
import org.millicent.scrip.Scrip;
import org.millicent.scrip.ScripBody;
import org.millicent.wallet.PaymentSettler.Accepted;
import org.millicent.wallet.PaymentSettler.Outcome;
import org.millicent.wallet.PaymentSettler.Refused;
import org.millicent.wallet.http.Transport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The wallet's side of its brokers (docs/WALLET.md, "Paying a 402"): opening accounts, choosing a
 * broker that sells a vendor's scrip (one the vendor named, one met before, or one whose manifest
 * lists the vendor) and buying that scrip with an account request, recorded before it leaves like
 * any payment. What each broker's manifest vouches for is kept by {@link VendorOrigins}. {@link
 * Wallet} delegates to it; its public methods document the failures.
 *
 * <p>Thread-safe.
 */
final class BrokerPurchases {
  // Logs as the wallet, the category users configure.
  private static final Logger log = LoggerFactory.getLogger(Wallet.class);

  private final WalletOptions options;
  private final WalletStore store;
  private final BrokerClient brokers;
  private final RecordedPayments payments;
  private final Transport net;
  private final VendorOrigins origins;

  BrokerPurchases(
      WalletOptions options,
      WalletStore store,
      BrokerClient brokers,
      RecordedPayments payments,
      Transport net,
      VendorOrigins origins) {
    this.options = options;
    this.store = store;
    this.brokers = brokers;
    this.payments = payments;
    this.net = net;
    this.origins = origins;
  }

  private Instant now() {
    return options.clock().instant();
  }

  /** See {@link Wallet#register}. */
  BrokerAccount register(URI brokerUrl, String name) throws InterruptedException {
    URI url = normalizeBroker(brokerUrl);
    BrokerClient.Registration r = brokers.register(url, name);
    try {
      ScripBody.checkVendor(r.broker());
    } catch (IllegalArgumentException e) {
      throw new WalletException(
          WalletException.Code.BAD_RESPONSE,
          "the broker at " + url + " gave no valid broker id: " + Causes.describe(e),
          e);
    }
    BrokerAccount a =
        new BrokerAccount(url, r.broker(), r.customerId(), name, r.creditLimitMillicents(), now());
    store.addBroker(a, r.secret());
    origins.learn(url);
    return a;
  }

  /** See {@link Wallet#brokerAccount}. */
  JsonNode brokerAccount(URI brokerUrl) throws InterruptedException {
    BrokerAccount a = account(normalizeBroker(brokerUrl));
    return brokers.account(a, brokerSecret(a));
  }

  /** See {@link Wallet#buy}. */
  Scrip buy(String vendor, long amountMillicents, Optional<URI> broker)
      throws InterruptedException {
    try {
      ScripBody.checkVendor(vendor);
    } catch (IllegalArgumentException e) {
      throw new WalletException(WalletException.Code.BAD_REQUEST, Causes.describe(e), e);
    }
    if (amountMillicents < 1 || amountMillicents > ScripBody.MAX_VALUE_MILLICENTS) {
      throw new WalletException(
          WalletException.Code.BAD_REQUEST,
          "the amount must be 1 m¢ to "
              + Amounts.format(ScripBody.MAX_VALUE_MILLICENTS)
              + ", was "
              + Amounts.format(amountMillicents));
    }
    BrokerAccount a =
        broker.isPresent()
            ? account(normalizeBroker(broker.get()))
            : chooseBroker(vendor, List.of(), Payers.ANY);
    return buyFrom(a, vendor, amountMillicents, id -> {});
  }

  /**
   * Buys {@code amount} of {@code vendor}'s scrip from {@code a}; {@code recorded} learns the id of
   * the purchase once it is recorded, before it leaves (the piece bought is acquired by it).
   */
  Scrip buyFrom(BrokerAccount a, String vendor, long amount, LongConsumer recorded)
      throws InterruptedException {
    PaymentDraft draft = brokers.buyDraft(a, brokerSecret(a), vendor, amount);
    RecordedPayments.Claim claim = payments.claim();
    PaymentRecord rec = claim.around(() -> store.recordBuy(draft, now(), claim));
    recorded.accept(rec.id());
    Outcome o = payments.send(rec, rec.request(), net);
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
    store.origins().sawVendor(vendor, null, List.of(a.url()), now());
    // Where the vendor is, as the broker that sold its scrip says now.
    origins.learn(a.url());
    return bought;
  }

  /**
   * The size of the pieces a broker sells a vendor's scrip in ({@code piece_millicents} in its
   * manifest, for warehouse supply: sales are whole multiples of it), or 1.
   */
  long pieceSize(BrokerAccount a, String vendor) throws InterruptedException {
    try {
      for (JsonNode v : brokers.manifest(a.url()).withArray("vendors")) {
        if (vendor.equals(v.path("vendor").asText()) && v.path("piece_millicents").asLong() > 0) {
          return v.path("piece_millicents").asLong();
        }
      }
    } catch (WalletException e) {
      log.debug("no manifest at {}: {}", a.url(), Causes.describe(e));
    }
    return 1;
  }

  static long roundUpToPiece(long amount, long piece) {
    long pieces = (amount + piece - 1) / piece;
    return Math.min(pieces * piece, ScripBody.MAX_VALUE_MILLICENTS / piece * piece);
  }

  /**
   * A broker to buy {@code vendor}'s scrip from, among those {@code payers} admits: one the offer
   * names, else one known to sell it, else one whose manifest lists it.
   *
   * @throws WalletException {@code not-registered}, {@code no-broker-account}
   */
  BrokerAccount chooseBroker(String vendor, List<URI> named, Payers payers)
      throws InterruptedException {
    List<BrokerAccount> accounts = store.brokers();
    if (accounts.isEmpty()) {
      throw new WalletException(
          WalletException.Code.NOT_REGISTERED,
          "the wallet has no broker account"
              + (named.isEmpty() ? "" : "; " + vendor + "'s scrip is sold by " + list(named))
              + ": open one with `millicent wallet register --broker URL`");
    }
    List<BrokerAccount> all = accounts;
    accounts = all.stream().filter(a -> payers.admits(a.url().toString())).toList();
    List<URI> candidates = new ArrayList<>(named);
    store.origins().vendor(vendor).ifPresent(site -> candidates.addAll(site.brokers()));
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
        log.debug("broker {} did not answer: {}", a.url(), Causes.describe(e));
      }
    }
    throw new WalletException(
        WalletException.Code.NO_BROKER_ACCOUNT,
        (named.isEmpty()
                ? "none of the wallet's brokers sells the scrip of \"" + vendor + "\""
                : "the scrip of \""
                    + vendor
                    + "\" is sold by "
                    + list(named)
                    + ", and the wallet has no account there")
            + " (accounts at "
            + list(all.stream().map(BrokerAccount::url).toList())
            + (payers.anyBroker()
                ? ""
                : "; for this origin only from a broker that vouches for it there: "
                    + (payers.brokers().isEmpty()
                        ? "none"
                        : String.join(", ", payers.brokers().stream().sorted().toList())))
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
        .accountSecret(a)
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
    } catch (MalformedException e) {
      throw new WalletException(
          WalletException.Code.BAD_REQUEST, "expected a broker URL, found " + url, e);
    }
  }
}
