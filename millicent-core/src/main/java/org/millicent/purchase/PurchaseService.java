package org.millicent.purchase;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.millicent.failure.InProgressException;
import org.millicent.failure.InsufficientValueException;
import org.millicent.failure.PaymentException;
import org.millicent.failure.SpentException;
import org.millicent.keys.CustomerSecret;
import org.millicent.keys.CustomerSecrets;
import org.millicent.keys.MasterSecrets;
import org.millicent.money.Amounts;
import org.millicent.protocol.Payer;
import org.millicent.protocol.Payment;
import org.millicent.protocol.Variant;
import org.millicent.scrip.Scrip;
import org.millicent.scrip.ScripId;

/**
 * The vendor's side of a purchase: validates a payment and makes change (docs/PROTOCOL.md,
 * "Validation"). The order is fixed: decode, vendor, key id active, certificate (constant time),
 * expiry, customer binding, value covers price, then the spend: {@link #begin} claims (not yet
 * spent) and mints change with a fresh serial, to be committed or released later; {@link #pay}
 * mints the change first and spends with it in one step. Every check before the claim only reads,
 * so invalid or insufficient scrip is never consumed (at most a change serial is skipped).
 *
 * <p>Thread-safe: all state lives in the thread-safe secrets, recorder and allocator.
 */
public final class PurchaseService {
  private final PaymentVerifier verifier;
  private final SpendRecorder recorder;
  private final ScripMinter minter;
  private final Duration changeLifetime;
  private final Duration inProgressWait;

  /** How long a retry waits, by default, for an identical request in progress: 5 seconds. */
  public static final Duration DEFAULT_IN_PROGRESS_WAIT = Duration.ofSeconds(5);

  /**
   * A purchase service for one vendor whose retries wait {@link #DEFAULT_IN_PROGRESS_WAIT} for an
   * identical request in progress; see the full constructor.
   */
  public PurchaseService(
      String vendor,
      MasterSecrets masters,
      CustomerSecrets customers,
      SpendRecorder recorder,
      SerialAllocator serials,
      InstantSource clock,
      Duration changeLifetime,
      Set<Variant> accepted) {
    this(
        vendor,
        masters,
        customers,
        recorder,
        serials,
        clock,
        changeLifetime,
        accepted,
        DEFAULT_IN_PROGRESS_WAIT);
  }

  /**
   * A purchase service for one vendor.
   *
   * @param vendor the vendor id scrip must carry
   * @param masters the master scrip secrets (primary mints change)
   * @param customers the customer master secrets
   * @param recorder decides and records spends
   * @param serials serials for change
   * @param clock the time used for expiry
   * @param changeLifetime how long change stays valid
   * @param accepted the variants this vendor takes
   * @param inProgressWait how long a request waits for an identical one (same scrip, same
   *     fingerprint) still in progress before it answers {@code in-progress}; zero answers at once
   * @throws IllegalArgumentException when the change lifetime is not positive or the wait negative
   */
  public PurchaseService(
      String vendor,
      MasterSecrets masters,
      CustomerSecrets customers,
      SpendRecorder recorder,
      SerialAllocator serials,
      InstantSource clock,
      Duration changeLifetime,
      Set<Variant> accepted,
      Duration inProgressWait) {
    this.recorder = recorder;
    this.minter = new ScripMinter(vendor, masters, serials);
    this.verifier = new PaymentVerifier(vendor, masters, customers, clock, accepted);
    if (changeLifetime.isNegative() || changeLifetime.isZero()) {
      throw new IllegalArgumentException("change lifetime must be positive");
    }
    this.changeLifetime = changeLifetime;
    if (inProgressWait.isNegative()) {
      throw new IllegalArgumentException("in-progress wait must not be negative");
    }
    this.inProgressWait = inProgressWait;
  }

  /** The vendor id. */
  public String vendor() {
    return verifier.vendor();
  }

  /** The minter this service uses for change, to mint other scrip consistently. */
  public ScripMinter minter() {
    return minter;
  }

  /** The variants accepted. */
  public Set<Variant> accepted() {
    return verifier.accepted();
  }

  /**
   * Opens a request body sealed by the customer of a private payment ({@code
   * Payer.sealRequestBody}), so that the vendor can read or forward it.
   *
   * @throws org.millicent.failure.ForgedException when it does not verify under that customer's key
   * @throws org.millicent.failure.UnknownKeyException when the customer ID selects no customer
   *     master secret
   */
  public byte[] openRequestBody(Payment.Private payment, byte[] sealedBody) {
    return Payer.openRequestBody(
        verifier.customerSecret(payment.customerId()),
        verifier.vendor(),
        payment.customerId(),
        sealedBody);
  }

  PaymentVerifier verifier() {
    return verifier;
  }

  SpendRecorder recorder() {
    return recorder;
  }

  /** How long a request waits for an identical one in progress. */
  public Duration inProgressWait() {
    return inProgressWait;
  }

  /**
   * Runs {@code step} (a claim or a spend) until it answers something other than {@link
   * SpendRecorder.InProgress}, waiting for the identical request in progress in between, for at
   * most {@link #inProgressWait} in all (docs/HTTP-API.md, "Retries").
   *
   * @throws InProgressException when the identical request is still in progress after the wait
   */
  SpendRecorder.Claim waitingOutInProgress(
      ScripId id, java.util.function.Supplier<SpendRecorder.Claim> step) {
    long deadline = System.nanoTime() + inProgressWait.toNanos();
    while (true) {
      SpendRecorder.Claim c = step.get();
      if (!(c instanceof SpendRecorder.InProgress)) {
        return c;
      }
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        throw inProgress(id);
      }
      try {
        recorder.awaitSettled(id, Duration.ofNanos(left));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw inProgress(id);
      }
    }
  }

  static InProgressException inProgress(ScripId id) {
    return new InProgressException(
        "an identical request with scrip "
            + id
            + " is still being paid for; send it again shortly to get its outcome (the scrip is"
            + " not lost)");
  }

  /**
   * Validates {@code payment} against the price and claims its scrip; the caller then commits or
   * releases the returned purchase.
   *
   * @throws PaymentException with the code of the first check that failed; nothing is consumed
   */
  public Purchase begin(Payment payment, Pricer pricer) {
    PaymentVerifier.Verified v = verifier.verify(payment);
    return settle(v.variant(), v.scrip(), v.fingerprint(), v.secret(), pricer);
  }

  /**
   * Validates and spends in one step, for a vendor that delivers whatever happens (static content):
   * the change is minted first, then the spend is recorded with it in one {@link
   * SpendRecorder#spend} (one round trip to a shared store). The returned purchase is committed; a
   * replay carries the change issued the first time (the serial minted for this attempt is then
   * skipped, never reused).
   *
   * @throws PaymentException as {@link #begin}
   * @throws RuntimeException (the store's own failure type) when the store failed: nothing was
   *     reported durable and the caller must not deliver
   */
  public Purchase pay(Payment payment, Pricer pricer) {
    PaymentVerifier.Verified v = verifier.verify(payment);
    Scrip scrip = v.scrip();
    long price = checkedPrice(scrip, pricer);
    ScripMinter.Minted change = mintChange(scrip, price);
    Optional<Scrip> changeScrip = change == null ? Optional.empty() : Optional.of(change.scrip());
    SpendRecorder.SpendRecord record =
        new SpendRecorder.SpendRecord(
            scrip.id(), scrip.expiresAt(), v.fingerprint(), price, changeScrip);
    SpendRecorder.Claim spend = waitingOutInProgress(scrip.id(), () -> recorder.spend(record));
    return switch (spend) {
      case SpendRecorder.InProgress i -> throw inProgress(scrip.id());
      case SpendRecorder.AlreadySpent a -> throw spent(scrip);
      case SpendRecorder.Replayed r -> replay(v.variant(), scrip, v.fingerprint(), v.secret(), r);
      case SpendRecorder.Claimed c ->
          new Purchase(
              v.variant(),
              scrip,
              price,
              changeScrip,
              v.fingerprint(),
              v.secret(),
              recorder,
              false,
              true,
              change == null ? null : change.encoding());
    };
  }

  /** The price of {@code scrip}'s purchase, checked against its value. */
  private static long checkedPrice(Scrip scrip, Pricer pricer) {
    long price = pricer.priceMillicents(scrip.body());
    if (price < 0) {
      throw new IllegalStateException("pricer returned a negative price " + price);
    }
    if (scrip.valueMillicents() < price) {
      throw new InsufficientValueException(
          "price is "
              + Amounts.format(price)
              + ", scrip "
              + scrip.id()
              + " holds "
              + Amounts.format(scrip.valueMillicents()));
    }
    return price;
  }

  private static SpentException spent(Scrip scrip) {
    return new SpentException("scrip " + scrip.id() + " has already been spent");
  }

  private Purchase replay(
      Variant variant,
      Scrip scrip,
      byte[] fingerprint,
      @Nullable CustomerSecret secret,
      SpendRecorder.Replayed r) {
    return new Purchase(
        variant,
        scrip,
        r.priceMillicents(),
        r.change(),
        fingerprint,
        secret,
        recorder,
        true,
        true,
        null);
  }

  private Purchase settle(
      Variant variant,
      Scrip scrip,
      byte[] fingerprint,
      @Nullable CustomerSecret secret,
      Pricer pricer) {
    long price = checkedPrice(scrip, pricer);
    SpendRecorder.Claim claim =
        waitingOutInProgress(
            scrip.id(), () -> recorder.claim(scrip.id(), scrip.expiresAt(), fingerprint));
    return switch (claim) {
      case SpendRecorder.InProgress i -> throw inProgress(scrip.id());
      case SpendRecorder.AlreadySpent a -> throw spent(scrip);
      case SpendRecorder.Replayed r -> replay(variant, scrip, fingerprint, secret, r);
      case SpendRecorder.Claimed c -> {
        ScripMinter.Minted change;
        try {
          change = mintChange(scrip, price);
        } catch (RuntimeException | Error e) {
          recorder.release(scrip.id());
          throw e;
        }
        yield new Purchase(
            variant,
            scrip,
            price,
            change == null ? Optional.empty() : Optional.of(change.scrip()),
            fingerprint,
            secret,
            recorder,
            false,
            false,
            change == null ? null : change.encoding());
      }
    };
  }

  /**
   * Says what became of an earlier request paid with the scrip of {@code payment}, whose
   * fingerprint (request MAC, or the private variant's sealed-payment tag) was {@code fingerprint}
   * (docs/HTTP-API.md, "POST /millicent/recover"). {@code payment} is a signed payment with that
   * scrip over the recovery request itself: it proves the asker holds the customer secret, and the
   * answer is MACed under it. Changes nothing: a scrip found free is claimed and released at once
   * (with the asked-about fingerprint, so that request, if it is still queued, is not refused).
   *
   * @throws PaymentException when the payment fails a check other than spent ({@code malformed}
   *     also for a variant other than signed), or {@code in-progress} when the asked-about request
   *     still holds its claim after the in-progress wait
   */
  public Recovery recover(Payment payment, byte[] fingerprint) {
    if (!(payment instanceof Payment.Signed)) {
      throw new org.millicent.failure.MalformedException(
          "a recovery request is paid in the signed variant, which proves ownership");
    }
    if (fingerprint.length == 0 || fingerprint.length > 64) {
      throw new org.millicent.failure.MalformedException(
          "a request fingerprint is 1..64 bytes, found " + fingerprint.length);
    }
    PaymentVerifier.Verified v = verifier.verify(payment);
    Scrip scrip = v.scrip();
    ReplySigner reply = new ReplySigner(v.variant(), v.fingerprint(), v.secret());
    SpendRecorder.Claim claim =
        waitingOutInProgress(
            scrip.id(), () -> recorder.claim(scrip.id(), scrip.expiresAt(), fingerprint));
    return switch (claim) {
      case SpendRecorder.InProgress i -> throw inProgress(scrip.id());
      case SpendRecorder.Claimed c -> {
        recorder.release(scrip.id());
        yield new Recovery(Recovery.State.UNSPENT, scrip, 0, Optional.empty(), reply);
      }
      case SpendRecorder.Replayed r ->
          new Recovery(Recovery.State.SPENT, scrip, r.priceMillicents(), r.change(), reply);
      case SpendRecorder.AlreadySpent a ->
          new Recovery(Recovery.State.SPENT_BY_ANOTHER, scrip, 0, Optional.empty(), reply);
    };
  }

  /** The change for paying {@code price} with {@code scrip}, or null when nothing is left. */
  private ScripMinter.@Nullable Minted mintChange(Scrip scrip, long price) {
    long rest = scrip.valueMillicents() - price;
    if (rest == 0) {
      return null;
    }
    Instant expires =
        verifier
            .clock()
            .instant()
            .plus(changeLifetime)
            .truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
    return minter.mintEncoded(rest, scrip.customerId(), expires, scrip.properties(), scrip.spend());
  }
}
