package org.millicent.purchase;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.millicent.bytes.ConstantTime;
import org.millicent.failure.MalformedException;
import org.millicent.failure.PaymentException;
import org.millicent.failure.SpentException;
import org.millicent.failure.WrongCustomerException;
import org.millicent.protocol.Payment;
import org.millicent.protocol.Variant;
import org.millicent.purchase.SpendRecorder.SpendRecord;
import org.millicent.scrip.Scrip;
import org.millicent.scrip.ScripId;
import org.millicent.scrip.ScripProperties;
import org.millicent.scrip.SpendMode;

/**
 * Exchanges scrip for new scrip of the same total value at one vendor (docs/HTTP-API.md, "POST
 * /millicent/exchange"): renew (same value, new expiry), split (one piece into several) and merge
 * (several into one), and a broker's reassignment of its own scrip to a named customer.
 *
 * <p>Every input passes the same read-only checks as a purchase (decode, vendor, key, certificate,
 * expiry); a customer's exchange is authenticated by a payment with the first input, whose request
 * MAC covers the list of inputs, and every input must be bound to that customer. All inputs are
 * claimed (all or none), the outputs are minted and recorded under the request's fingerprint, and
 * only then are the inputs' spends committed: an identical retry, even after a crash in between,
 * gets the recorded outputs back and never "spent". An identical request that arrives while the
 * first is still in progress waits for it (bounded by the purchase service's in-progress wait) and
 * then gets its outputs, or {@code in-progress} when it is still not done. What an operation makes
 * of its inputs, and what the inputs must share, is checked by {@link ExchangePlan}.
 *
 * <p>Thread-safe: all state lives in the purchase service's recorder and minter and in the exchange
 * recorder.
 */
public final class ExchangeService {
  /** Most inputs or outputs one exchange may have. */
  public static final int MAX_PIECES = 64;

  /** What an exchange does with its inputs. */
  public sealed interface Operation permits Renew, Split, Merge {}

  /** One piece in, one piece of the same value out with a fresh expiry. */
  public record Renew() implements Operation {}

  /**
   * One piece in, one piece per amount out; the amounts must sum to the input's value.
   *
   * @param amountsMillicents the values of the new pieces, each positive, at most {@value
   *     #MAX_PIECES}
   */
  public record Split(List<Long> amountsMillicents) implements Operation {
    /** Copies the amounts; the sum is checked against the input by the service. */
    public Split {
      amountsMillicents = List.copyOf(amountsMillicents);
    }
  }

  /** Two or more pieces in, one piece with their sum out. */
  public record Merge() implements Operation {}

  private final PaymentVerifier verifier;
  private final SpendRecorder recorder;
  private final ScripMinter minter;
  private final ExchangeRecorder exchanges;
  private final Duration lifetime;
  private final long waitNanos;

  /**
   * An exchange service sharing the vendor, secrets, spent list and minter of {@code purchases}.
   *
   * @param purchases the vendor's purchase service
   * @param exchanges remembers outputs for retries
   * @param lifetime how long new scrip stays valid
   * @throws IllegalArgumentException when the lifetime is not positive
   */
  public ExchangeService(PurchaseService purchases, ExchangeRecorder exchanges, Duration lifetime) {
    if (lifetime.isNegative() || lifetime.isZero()) {
      throw new IllegalArgumentException("scrip lifetime must be positive, was " + lifetime);
    }
    this.verifier = purchases.verifier();
    this.recorder = purchases.recorder();
    this.minter = purchases.minter();
    this.exchanges = exchanges;
    this.lifetime = lifetime;
    this.waitNanos = purchases.inProgressWait().toNanos();
  }

  /**
   * A customer's exchange, paid (at price 0) by {@code payment} with the first input.
   *
   * @param payment the signed or private payment from the request's {@code Authorization}
   * @param inputs the encodings of the input scrip in the order of the request; the first must be
   *     the scrip of the payment
   * @param operation what to do with them
   * @throws PaymentException when the payment or any input fails a check ({@code malformed} also
   *     when the operation does not fit the inputs or the clear variant is used); nothing is
   *     consumed
   * @throws RuntimeException when a store fails (nothing is consumed, or a retry completes it)
   */
  public Exchange exchange(Payment payment, List<byte[]> inputs, Operation operation) {
    if (payment instanceof Payment.Clear) {
      throw new MalformedException(
          "an exchange must be paid in the signed or private variant, which prove ownership");
    }
    PaymentVerifier.Verified paid = verifier.verify(payment);
    if (inputs.isEmpty() || !ConstantTime.equal(inputs.getFirst(), paid.encodedScrip())) {
      throw new MalformedException(
          "the first scrip of the exchange must be the scrip in the Authorization header");
    }
    List<Scrip> scrip = checkedInputs(inputs, paid.scrip().customerId());
    return run(
        paid.variant(),
        new ReplySigner(paid.variant(), paid.fingerprint(), paid.secret()),
        paid.fingerprint(),
        scrip,
        paid.scrip().customerId(),
        ExchangePlan.commonSpend(scrip),
        ExchangePlan.outputValues(scrip, operation));
  }

  /**
   * A broker's reassignment: scrip bound to the broker's own customer ID becomes one piece of the
   * same total value bound to {@code newCustomerId}. The caller has authenticated the broker.
   *
   * @param inputs the encodings of the broker's scrip
   * @param ownerCustomerId the broker's customer ID at this vendor, to which every input must be
   *     bound
   * @param newCustomerId the customer the output is for
   * @param fingerprint 16 or more bytes identifying the request, for retries
   * @throws PaymentException when an input fails a check; nothing is consumed
   */
  public Exchange reassign(
      List<byte[]> inputs, long ownerCustomerId, long newCustomerId, byte[] fingerprint) {
    List<Scrip> scrip = checkedInputs(inputs, ownerCustomerId);
    return run(
        null,
        new ReplySigner(null, fingerprint, null),
        fingerprint,
        scrip,
        newCustomerId,
        SpendMode.BOUND,
        List.of(ExchangePlan.total(scrip)));
  }

  /**
   * The scrip issued by the exchange with {@code fingerprint}, if one is on record: for a recovery
   * ({@link PurchaseService#recover}) that found an input spent by that very exchange.
   *
   * @throws RuntimeException when the store cannot answer
   */
  public Optional<List<Scrip>> outputsOf(byte[] fingerprint) {
    return exchanges.find(fingerprint);
  }

  private List<Scrip> checkedInputs(List<byte[]> inputs, long customerId) {
    if (inputs.isEmpty() || inputs.size() > MAX_PIECES) {
      throw new MalformedException(
          "an exchange takes 1.." + MAX_PIECES + " pieces of scrip, found " + inputs.size());
    }
    List<Scrip> out = new ArrayList<>(inputs.size());
    Set<ScripId> seen = new HashSet<>();
    for (byte[] encoded : inputs) {
      Scrip s = verifier.checkedScrip(encoded);
      if (s.customerId() != customerId) {
        throw new WrongCustomerException(
            "scrip "
                + s.id()
                + " is bound to customer "
                + Long.toUnsignedString(s.customerId())
                + ", the exchange is for customer "
                + Long.toUnsignedString(customerId));
      }
      if (!seen.add(s.id())) {
        throw new MalformedException("scrip " + s.id() + " is listed twice");
      }
      out.add(s);
    }
    return out;
  }

  private Exchange run(
      @Nullable Variant variant,
      ReplySigner reply,
      byte[] fingerprint,
      List<Scrip> inputs,
      long outputCustomerId,
      SpendMode spend,
      List<Long> amounts) {
    ScripProperties properties = ExchangePlan.commonProperties(inputs);
    long deadline = System.nanoTime() + waitNanos;
    while (true) {
      Optional<List<Scrip>> earlier = exchanges.find(fingerprint);
      Optional<List<Scrip>> claimed = claimAll(inputs, fingerprint, earlier.isPresent());
      if (claimed.isEmpty()) {
        // An identical exchange holds an input's claim (or just finished): wait for it, then
        // look again; its recorded outputs are then replayed.
        awaitIdentical(inputs.getFirst().id(), deadline);
        continue;
      }
      List<Scrip> outputs;
      try {
        if (earlier.isPresent()) {
          outputs = earlier.get();
        } else {
          outputs = mint(amounts, outputCustomerId, properties, spend);
          exchanges.record(fingerprint, ExchangePlan.latestExpiry(inputs), outputs);
        }
      } catch (RuntimeException | Error e) {
        releaseAll(claimed.get());
        throw e;
      }
      commitAll(claimed.get(), fingerprint);
      return new Exchange(variant, outputs, earlier.isPresent(), reply);
    }
  }

  private void awaitIdentical(ScripId id, long deadline) {
    long left = deadline - System.nanoTime();
    if (left <= 0) {
      throw PurchaseService.inProgress(id);
    }
    try {
      recorder.awaitSettled(id, Duration.ofNanos(left));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw PurchaseService.inProgress(id);
    }
  }

  /**
   * Claims every input or none; replayed claims are only accepted with a recorded outcome. Empty
   * (nothing claimed) when an identical exchange is in progress on an input, or finished between
   * the look-up of its outputs and these claims: the caller waits and looks again.
   */
  private Optional<List<Scrip>> claimAll(List<Scrip> inputs, byte[] fingerprint, boolean recorded) {
    List<Scrip> claimed = new ArrayList<>(inputs.size());
    try {
      for (Scrip s : inputs) {
        switch (recorder.claim(s.id(), s.expiresAt(), fingerprint)) {
          case SpendRecorder.Claimed c -> claimed.add(s);
          case SpendRecorder.Replayed r -> {
            if (!recorded) {
              if (exchanges.find(fingerprint).isPresent()) {
                releaseAll(claimed);
                return Optional.empty();
              }
              throw new SpentException(
                  "scrip " + s.id() + " was spent by this exchange, whose outputs are gone");
            }
          }
          case SpendRecorder.InProgress i -> {
            releaseAll(claimed);
            return Optional.empty();
          }
          case SpendRecorder.AlreadySpent a ->
              throw new SpentException("scrip " + s.id() + " has already been spent");
        }
      }
    } catch (RuntimeException | Error e) {
      releaseAll(claimed);
      throw e;
    }
    return Optional.of(claimed);
  }

  private void commitAll(List<Scrip> claimed, byte[] fingerprint) {
    for (int i = 0; i < claimed.size(); i++) {
      Scrip s = claimed.get(i);
      try {
        recorder.commit(
            new SpendRecord(
                s.id(), s.expiresAt(), fingerprint, s.valueMillicents(), Optional.empty()));
      } catch (RuntimeException | Error e) {
        // The recorder released this one; release the rest. The outputs are on record, so a
        // retry claims what was released and completes the exchange.
        releaseAll(claimed.subList(i + 1, claimed.size()));
        throw e;
      }
    }
  }

  private void releaseAll(List<Scrip> claimed) {
    for (Scrip s : claimed) {
      recorder.release(s.id());
    }
  }

  private List<Scrip> mint(
      List<Long> amounts, long customerId, ScripProperties properties, SpendMode spend) {
    Instant expires = verifier.clock().instant().plus(lifetime).truncatedTo(ChronoUnit.SECONDS);
    List<Scrip> out = new ArrayList<>(amounts.size());
    for (long a : amounts) {
      out.add(minter.mint(a, customerId, expires, properties, spend));
    }
    return out;
  }
}
