package org.millicent.wallet;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongConsumer;
import org.millicent.failure.Causes;
import org.millicent.protocol.Variant;
import org.millicent.scrip.Scrip;
import org.millicent.wallet.PaymentSettler.Accepted;
import org.millicent.wallet.PaymentSettler.Refused;
import org.millicent.wallet.http.Request;
import org.millicent.wallet.http.Response;
import org.millicent.wallet.http.Transport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Exchanges at vendors (docs/WALLET.md, "Renewal"): renewing pieces before they expire and merging
 * small pieces of one customer into one that covers a price, each an exchange request paid with the
 * first piece and recorded before it leaves like any payment. {@link Wallet} delegates to it.
 *
 * <p>Thread-safe.
 */
final class Exchanges {
  // Logs as the wallet, the category users configure.
  private static final Logger log = LoggerFactory.getLogger(Wallet.class);

  /** The default path of a vendor's exchange endpoint, when its manifest does not say. */
  static final String DEFAULT_PATH = "/millicent/exchange";

  private static final String JSON = "application/json";

  private final WalletOptions options;
  private final WalletStore store;
  private final RecordedPayments payments;
  private final Transport net;
  private final ObjectMapper json;
  private final VendorOrigins origins;

  Exchanges(
      WalletOptions options,
      WalletStore store,
      RecordedPayments payments,
      Transport net,
      ObjectMapper json,
      VendorOrigins origins) {
    this.options = options;
    this.store = store;
    this.payments = payments;
    this.net = net;
    this.json = json;
    this.origins = origins;
  }

  private Instant now() {
    return options.clock().instant();
  }

  /**
   * Renews at their vendors the pieces that expire within the renewal window ({@code all}: every
   * piece), each for a new piece of the same value, after {@code recovery}; see {@link
   * Wallet#renew}.
   *
   * @throws InterruptedException when interrupted
   */
  RenewalReport renew(RecoveryReport recovery, boolean all) throws InterruptedException {
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

  void renewDueQuietly(String vendor) throws InterruptedException {
    Instant due = now().plus(options.renewWithin());
    for (HeldScrip s : store.available(vendor, Payers.ANY)) {
      if (s.expiresAt().isBefore(due) && s.expiresAt().isAfter(now())) {
        try {
          Renewal r = renewOne(s);
          log.info("renewed {} {} until {}", vendor, r.oldId(), r.newExpiry());
        } catch (WalletException e) {
          log.info("could not renew {} {}: {}", vendor, s.id(), Causes.describe(e));
        }
      }
    }
  }

  private Renewal renewOne(HeldScrip s) throws InterruptedException {
    List<Scrip> out = exchange(s.vendor(), List.of(s), "renew", id -> {});
    Scrip n = out.getFirst();
    return new Renewal(
        s.vendor(), s.id(), n.id(), n.valueMillicents(), s.expiresAt(), n.expiresAt());
  }

  /**
   * Merges small pieces of one customer (of one broker that {@code payers} admits) into one that
   * covers {@code price}, if that can be done; at an origin that broker vouches for. {@code
   * recorded} learns the id of each merge once it is recorded, before it leaves (the merged piece
   * is acquired by it).
   */
  boolean mergeFor(String vendor, long price, Payers payers, LongConsumer recorded)
      throws InterruptedException {
    Instant limit = now().plus(options.minRemainingLife());
    Map<String, List<HeldScrip>> groups = new LinkedHashMap<>();
    for (HeldScrip s : store.available(vendor, payers)) {
      if (s.expiresAt().isAfter(limit)) {
        String key =
            s.broker() + " " + Long.toUnsignedString(s.customerId()) + " " + s.scrip().properties();
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
          exchange(vendor, pieces, "merge", recorded);
          return true;
        } catch (WalletException e) {
          log.info(
              "could not merge {} pieces of {} scrip: {}",
              pieces.size(),
              vendor,
              Causes.describe(e));
        }
      }
    }
    return false;
  }

  /**
   * Exchanges {@code inputs} at their vendor ({@code renew} or {@code merge}), paid with the first;
   * {@code recorded} learns the exchange's id once it is recorded.
   *
   * @throws WalletException {@code vendor-refused}, {@code payment-in-flight}, {@code
   *     unvouched-origin} when no origin is vouched for the vendor
   */
  private List<Scrip> exchange(
      String vendor, List<HeldScrip> inputs, String operation, LongConsumer recorded)
      throws InterruptedException {
    HeldScrip first = inputs.getFirst();
    URI url = exchangeUrl(vendor, first.broker());
    var body = json.createObjectNode().put("operation", operation);
    var tokens = body.putArray("scrip");
    inputs.forEach(s -> tokens.add(s.token()));
    byte[] bytes;
    try {
      bytes = json.writeValueAsBytes(body);
    } catch (IOException e) {
      throw new IllegalStateException("JSON of a tree cannot fail", e);
    }
    PaymentDraft draft =
        PaidRequests.payment(
            PaymentRecord.EXCHANGE,
            Variant.SIGNED,
            first.scrip(),
            store.secretOf(first),
            Request.post(url, JSON, bytes),
            0,
            options.random());
    RecordedPayments.Claim claim = payments.claim();
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
    recorded.accept(rec.id());
    return switch (payments.send(rec, rec.request(), net)) {
      case Accepted a -> a.received();
      case Refused f ->
          throw new WalletException(
              WalletException.Code.VENDOR_REFUSED,
              f.code(),
              vendor + " refused to " + operation + ": " + f.code() + ": " + f.detail(),
              null);
    };
  }

  private static String withoutTrailingSlash(String url) {
    String u = url;
    while (u.endsWith("/")) {
      u = u.substring(0, u.length() - 1);
    }
    return u;
  }

  /** Where to exchange scrip of {@code vendor} sold by the broker at {@code soldBy}. */
  private URI exchangeUrl(String vendor, String soldBy) throws InterruptedException {
    // Broker scrip: the broker is the vendor of its own scrip, at the URL where the wallet holds
    // its account (vouched by that: docs/WALLET.md, "Renewal").
    Optional<String> broker =
        store.brokers().stream()
            .filter(
                b ->
                    b.broker().equals(vendor)
                        && (soldBy.isEmpty() || b.url().toString().equals(soldBy)))
            .map(b -> withoutTrailingSlash(b.url().toString()))
            .findFirst();
    String origin;
    String path;
    if (broker.isPresent()) {
      origin = broker.get();
      path = null;
    } else {
      VendorSite site = origins.exchangeSite(vendor, soldBy);
      origin = site.origin().get();
      path = site.exchangePath().orElse(null);
    }
    if (path == null) {
      path = DEFAULT_PATH;
      try {
        Response m = net.send(Request.get(URI.create(origin + "/.well-known/millicent")));
        if (m.status() == 200) {
          String p = json.readTree(m.body()).path("exchange").asText("");
          if (p.startsWith("/")) {
            path = p;
          }
        }
      } catch (IOException | IllegalArgumentException e) {
        log.debug("no manifest at {}: {}", origin, Causes.describe(e));
      }
      store.origins().setExchangePath(vendor, origin, path);
    }
    return URI.create(origin + path);
  }
}
