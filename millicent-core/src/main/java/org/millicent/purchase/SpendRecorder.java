package org.millicent.purchase;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.millicent.scrip.Scrip;
import org.millicent.scrip.ScripId;

/**
 * Decides and records spends: the "not yet spent" half of validation. A spend is first
 * <em>claimed</em> (decided atomically, so of concurrent claims of one scrip ID exactly one wins),
 * then either <em>committed</em> (made durable, with the change it issued, so an identical retry
 * gets the same change back) or <em>released</em> (as when the origin failed and nothing was
 * delivered). A vendor that delivers whatever happens (static content) does both at once with
 * {@link #spend}, which a store can make one round trip. Implementations are thread-safe.
 */
public interface SpendRecorder {

  /**
   * What an idempotent retry needs: the request's fingerprint and the change issued for it.
   *
   * @param id the spent scrip's ID
   * @param expiresAt the spent scrip's expiry (the record may be forgotten after it)
   * @param fingerprint 16 bytes identifying the paying request (its MAC or digest)
   * @param priceMillicents what was charged
   * @param change the change issued, if any
   */
  record SpendRecord(
      ScripId id,
      Instant expiresAt,
      byte[] fingerprint,
      long priceMillicents,
      Optional<Scrip> change) {}

  /** The result of a claim or a spend. */
  sealed interface Claim {}

  /**
   * The scrip ID was free and is now claimed by the caller; after {@link #spend}, the spend is
   * committed (durable, with the record's price and change).
   */
  record Claimed() implements Claim {}

  /** The same request was already committed; here is what it issued. */
  record Replayed(long priceMillicents, Optional<Scrip> change) implements Claim {}

  /** The scrip ID is spent (or being spent) by a different request. */
  record AlreadySpent() implements Claim {}

  /**
   * The scrip ID is claimed by an identical request (same fingerprint) whose spend is neither
   * committed nor released yet: not a double spend. The caller waits ({@link #awaitSettled}) and
   * claims again, which then answers {@link Replayed} (the first attempt committed) or {@link
   * Claimed} (it was released, or its owner died and the claim was taken over); nothing is changed
   * by this answer.
   */
  record InProgress() implements Claim {}

  /**
   * Claims {@code id} for the request with {@code fingerprint}: {@link Claimed} when it was free;
   * {@link Replayed} when the same request (same fingerprint) committed it before; {@link
   * InProgress} when the same request holds the claim and has not yet committed or released it;
   * {@link AlreadySpent} when another request spent or is spending it.
   *
   * @throws RuntimeException (the store's own failure type) when the store cannot decide (it is
   *     then not claimed)
   */
  Claim claim(ScripId id, Instant expiresAt, byte[] fingerprint);

  /**
   * Makes a claimed spend durable; returns only once it is.
   *
   * @throws RuntimeException (the store's own failure type) when it could not be made durable (the
   *     caller then releases the claim and does not deliver)
   */
  void commit(SpendRecord record);

  /**
   * Claims and commits {@code record} in one step: {@link Claimed} once it is durable with the
   * record's price and change; {@link Replayed} with what was stored when an identical request
   * (same fingerprint) was committed before; {@link InProgress} when an identical request holds an
   * uncommitted claim; {@link AlreadySpent} when another request spent or is spending the scrip.
   * Nothing is changed unless the answer is {@link Claimed}.
   *
   * <p>The default claims, commits, and releases the claim when the commit fails; stores override
   * it to spend in one round trip.
   *
   * @throws RuntimeException (the store's own failure type) when the store failed: the spend is not
   *     reported durable and the caller must not deliver (if the failure hid a commit that did
   *     happen, an identical retry gets {@link Replayed})
   */
  default Claim spend(SpendRecord record) {
    Claim claim = claim(record.id(), record.expiresAt(), record.fingerprint());
    if (!(claim instanceof Claimed)) {
      return claim;
    }
    try {
      commit(record);
    } catch (RuntimeException | Error e) {
      release(record.id());
      throw e;
    }
    return claim;
  }

  /** Gives up a claim that was not committed: the scrip is spendable again. */
  void release(ScripId id);

  /**
   * Waits until the claim of {@code id} that answered {@link InProgress} may have been committed or
   * released, at most {@code timeout}; the caller then claims again. May return early (a spurious
   * wake-up costs one more claim). The default sleeps a short while; recorders that see the outcome
   * in memory wake the waiter as soon as it is known.
   *
   * @throws InterruptedException when the waiting thread is interrupted
   */
  default void awaitSettled(ScripId id, Duration timeout) throws InterruptedException {
    long millis = Math.min(timeout.toMillis(), 50);
    if (millis > 0) {
      Thread.sleep(millis);
    }
  }

  /**
   * Forgets spends of scrip that expired before {@code horizon}.
   *
   * @return how many blocks or records were dropped
   */
  int dropExpiredBefore(Instant horizon);
}
