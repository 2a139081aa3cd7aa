package org.millicent.wallet;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.millicent.scrip.Scrip;
import org.millicent.wallet.PaymentSettler.Accepted;
import org.millicent.wallet.PaymentSettler.Outcome;
import org.millicent.wallet.PaymentSettler.Refused;
import org.millicent.wallet.http.Request;
import org.millicent.wallet.http.Response;
import org.millicent.wallet.http.Transport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends the payments the wallet has recorded and recovers those left in flight (docs/WALLET.md, "No
 * value lost"): a payment is recorded, claimed by the thread that records it, sent (once more on no
 * answer), settled from the answer and released; a payment nobody in this process holds is re-sent
 * byte for byte by a recovery, and the vendor's idempotent retry gives back the same change.
 *
 * <p>Thread-safe: the claims keep two threads of this process from sending one payment at once.
 */
final class RecordedPayments {
  // Logs as the wallet, the category users configure.
  private static final Logger log = LoggerFactory.getLogger(Wallet.class);

  private final WalletStore store;
  private final PaymentSettler settler;
  private final Transport net;

  /**
   * Payments this process owns right now (claimed when recorded, released when settled or given
   * up): recovery and other threads leave them alone.
   */
  private final Set<Long> sending = ConcurrentHashMap.newKeySet();

  /** Sends through {@code net} when recovering; settles answers with {@code settler}. */
  RecordedPayments(WalletStore store, PaymentSettler settler, Transport net) {
    this.store = store;
    this.settler = settler;
    this.net = net;
  }

  /**
   * Claims a payment for this thread as soon as the store assigns its id, inside the recording
   * transaction; gives the claim back if that transaction fails. Not thread-safe: one per record.
   */
  final class Claim implements java.util.function.LongConsumer {
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

  /** A new claim, for one payment to record. */
  Claim claim() {
    return new Claim();
  }

  /**
   * An unanswered purchase of exactly this request (same method, URL and body), claimed for this
   * thread, to re-send as it was.
   */
  Optional<PaymentRecord> unansweredSameRequest(String vendor, Request request) {
    byte[] body = request.body();
    return store.inFlight(vendor).stream()
        .filter(p -> p.kind().equals(PaymentRecord.PURCHASE))
        .filter(
            p -> p.method().equals(request.method()) && p.url().equals(request.uri().toString()))
        .filter(p -> Arrays.equals(p.body(), body))
        .filter(p -> sending.add(p.id()))
        .findFirst();
  }

  /** Whether this process is sending a purchase or exchange at {@code vendor} right now. */
  boolean changeExpected(String vendor) {
    return store.inFlight(vendor).stream()
        .anyMatch(p -> !p.kind().equals(PaymentRecord.BUY) && sending.contains(p.id()));
  }

  /**
   * Sends a recorded payment the caller has claimed in {@code sending}, once more on no answer,
   * settles what comes back and releases the claim.
   *
   * @throws WalletException {@code payment-in-flight} when neither sending got an answer
   */
  Outcome send(PaymentRecord rec, Request request, Transport transport)
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

  /**
   * Re-sends every payment left in flight (of {@code vendor}, or all when it is null) that this
   * process is not sending, and settles the answers; see {@link Wallet#recover()}.
   *
   * @throws InterruptedException when interrupted
   */
  Wallet.RecoveryReport recover(String vendor) throws InterruptedException {
    int settled = 0;
    int still = 0;
    List<String> lines = new ArrayList<>();
    for (PaymentRecord rec : store.inFlight(vendor)) {
      if (!sending.add(rec.id())) {
        continue; // this process is sending it right now
      }
      try {
        Outcome o = send(rec, rec.request(), net);
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
    return new Wallet.RecoveryReport(settled, still, lines);
  }

  void recoverQuietly(String vendor) throws InterruptedException {
    Wallet.RecoveryReport r = recover(vendor);
    r.lines().forEach(l -> log.info("{}", l));
  }
}
