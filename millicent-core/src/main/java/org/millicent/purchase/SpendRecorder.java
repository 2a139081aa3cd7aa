package org.millicent.purchase;

import java.time.Instant;
import java.util.Optional;
import org.millicent.scrip.Scrip;
import org.millicent.scrip.ScripId;

/**
 * Decides and records spends: the "not yet spent" half of validation. A spend is first
 * <em>claimed</em> (decided atomically, so of concurrent claims of one scrip ID exactly one wins),
 * then either <em>committed</em> (made durable, with the change it issued, so an identical retry
 * gets the same change back) or <em>released</em> (as when the origin failed and nothing was
 * delivered). Implementations are thread-safe.
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

  /** The result of a claim. */
  sealed interface Claim {}

  /** The scrip ID was free and is now claimed by the caller. */
  record Claimed() implements Claim {}

  /** The same request was already committed; here is what it issued. */
  record Replayed(long priceMillicents, Optional<Scrip> change) implements Claim {}

  /** The scrip ID is spent (or being spent) by a different request. */
  record AlreadySpent() implements Claim {}

  /**
   * Claims {@code id} for the request with {@code fingerprint}.
   *
   * @throws IllegalStateException when the store cannot decide (it is then not claimed)
   */
  Claim claim(ScripId id, Instant expiresAt, byte[] fingerprint);

  /**
   * Makes a claimed spend durable; returns only once it is.
   *
   * @throws IllegalStateException when it could not be made durable (the claim is then released)
   */
  void commit(SpendRecord record);

  /** Gives up a claim that was not committed: the scrip is spendable again. */
  void release(ScripId id);

  /**
   * Forgets spends of scrip that expired before {@code horizon}.
   *
   * @return how many blocks or records were dropped
   */
  int dropExpiredBefore(Instant horizon);
}
