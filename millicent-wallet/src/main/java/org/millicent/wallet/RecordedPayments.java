package org.millicent.wallet;

import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import org.millicent.failure.Causes;
import org.millicent.money.Amounts;
import org.millicent.protocol.Headers;
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
  private final VendorRecovery vendorRecovery;

  /** Refusal codes that do not prove a re-sent payment lost (docs/WALLET.md, "No value lost"). */
  private static final java.util.Set<String> NOT_PROOF_ON_RESEND =
      java.util.Set.of("spent", "forged");

  /** How often an answer {@code in-progress} is waited out and the payment sent again. */
  private static final int IN_PROGRESS_TRIES = 10;

  /**
   * Payments this process owns right now (claimed when recorded, released when settled or given
   * up): recovery and other threads leave them alone.
   */
  private final Set<Long> sending = ConcurrentHashMap.newKeySet();

  /** Sends through {@code net} when recovering; settles answers with {@code settler}. */
  RecordedPayments(
      WalletStore store, PaymentSettler settler, Transport net, VendorRecovery vendorRecovery) {
    this.store = store;
    this.settler = settler;
    this.net = net;
    this.vendorRecovery = vendorRecovery;
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
        .filter(p -> p.draft().kind().equals(PaymentRecord.PURCHASE))
        .filter(
            p ->
                p.draft().method().equals(request.method())
                    && p.draft().url().equals(request.uri().toString()))
        .filter(p -> Arrays.equals(p.draft().body(), body))
        .filter(p -> sending.add(p.id()))
        .findFirst();
  }

  /** Whether this process is sending a purchase or exchange at {@code vendor} right now. */
  boolean changeExpected(String vendor) {
    return store.inFlight(vendor).stream()
        .anyMatch(p -> !p.draft().kind().equals(PaymentRecord.BUY) && sending.contains(p.id()));
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
        r = sendAgain(rec, request, transport);
      }
      // The first sending still holds its claim at the vendor: wait as told and send again.
      for (int i = 0; i < IN_PROGRESS_TRIES && isInProgress(r); i++) {
        Thread.sleep(retryAfterMillis(r));
        r = sendAgain(rec, request, transport);
      }
      if (isInProgress(r)) {
        throw inFlight(rec, "the vendor still reports the first sending in progress", null);
      }
      // Asked whether or not this process re-sent it: an HTTP client may have re-sent it unseen
      // (java.net.http retries a GET whose connection closed), so a refusal of the scrip is no
      // proof of loss for any recorded payment: the vendor's record decides.
      if (!rec.draft().kind().equals(PaymentRecord.BUY)
          && r.status() >= 400
          && r.header(Headers.RECEIPT).isEmpty()
          && NOT_PROOF_ON_RESEND.contains(Problem.of(r).code())) {
        return vendorRecovery.recover(rec, r, transport);
      }
      return settler.settle(rec, r);
    } finally {
      sending.remove(rec.id());
    }
  }

  private Response sendAgain(PaymentRecord rec, Request request, Transport transport)
      throws InterruptedException {
    try {
      store.countAttempt(rec.id());
      return transport.send(request);
    } catch (IOException e) {
      throw inFlight(rec, "no answer (" + Causes.describe(e) + ")", e);
    }
  }

  private static boolean isInProgress(Response r) {
    return r.status() == 409 && Problem.of(r).code().equals("in-progress");
  }

  /** The answer's {@code Retry-After} in seconds (1 to 5), as milliseconds; 1 s when absent. */
  private static long retryAfterMillis(Response r) {
    try {
      long s = r.header("Retry-After").map(v -> Long.parseLong(v.strip())).orElse(1L);
      return Math.clamp(s, 1, 5) * 1000L;
    } catch (NumberFormatException e) {
      return 1000;
    }
  }

  private static WalletException inFlight(
      PaymentRecord rec, String why, @Nullable Throwable cause) {
    return new WalletException(
        WalletException.Code.PAYMENT_IN_FLIGHT,
        why
            + " to "
            + rec.draft().method()
            + " "
            + rec.draft().url()
            + ": the payment stays recorded and will be re-sent with the same scrip and"
            + " nonce by the next recovery (`millicent wallet renew`, or any payment to "
            + rec.draft().vendor()
            + "), which gets its answer (change, new scrip) back",
        cause);
  }

  /**
   * Re-sends every payment left in flight (of {@code vendor}, or all when it is null) that this
   * process is not sending, and settles the answers; see {@link Wallet#recover()}.
   *
   * @throws InterruptedException when interrupted
   */
  RecoveryReport recover(@Nullable String vendor) throws InterruptedException {
    int settled = 0;
    int still = 0;
    List<String> lines = new ArrayList<>();
    for (PaymentRecord rec : store.inFlight(vendor)) {
      Optional<String> unvouched = store.origins().unvouchedPayment(rec);
      if (unvouched.isPresent()) {
        // Recorded by a wallet before vouching per broker, to an origin the broker that sold
        // its scrip does not vouch for: not sent there again until someone it trusts does.
        still++;
        lines.add(
            "payment "
                + rec.id()
                + " is still in flight, not re-sent: "
                + unvouched.get()
                + "; if it is "
                + rec.draft().vendor()
                + "'s, vouch for it with `millicent wallet vendors add "
                + rec.draft().vendor()
                + " "
                + Request.origin(URI.create(rec.draft().url()))
                + "`");
        continue;
      }
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
                      + rec.draft().kind()
                      + " "
                      + rec.id()
                      + " at "
                      + rec.draft().vendor()
                      + ": charged "
                      + Amounts.format(a.priceMillicents())
                      + ", received "
                      + Amounts.format(
                          a.received().stream().mapToLong(Scrip::valueMillicents).sum());
              case Refused f ->
                  "settled "
                      + rec.draft().kind()
                      + " "
                      + rec.id()
                      + " at "
                      + rec.draft().vendor()
                      + " as refused: "
                      + f.code()
                      + " (scrip "
                      + f.scripState().wireName()
                      + ")";
            });
      } catch (WalletException e) {
        still++;
        lines.add("payment " + rec.id() + " is still in flight: " + Causes.describe(e));
      }
    }
    return new RecoveryReport(settled, still, lines);
  }

  void recoverQuietly(@Nullable String vendor) throws InterruptedException {
    RecoveryReport r = recover(vendor);
    r.lines().forEach(l -> log.info("{}", l));
  }
}
