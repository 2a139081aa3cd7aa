package org.millicent.purchase;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.millicent.scrip.Scrip;

/**
 * Remembers the scrip each exchange issued, by the fingerprint of the exchange request, so that an
 * identical retry gets the same scrip back (docs/HTTP-API.md, "POST /millicent/exchange"). The
 * exchange service records the outputs <em>before</em> it commits the spends of the inputs, so a
 * crash in between is repaired by the retry. Implementations are thread-safe.
 */
public interface ExchangeRecorder {
  /**
   * The scrip issued for the exchange with {@code fingerprint}, if one was recorded.
   *
   * @throws RuntimeException (the store's own failure type) when the store cannot answer
   */
  Optional<List<Scrip>> find(byte[] fingerprint);

  /**
   * Records the scrip issued for {@code fingerprint}; returns only once it is durable. Recording
   * the same fingerprint twice keeps the first record.
   *
   * @param forgetAfter after this instant the record may be dropped (the inputs have expired, so no
   *     retry can pass validation)
   * @throws RuntimeException (the store's own failure type) when it could not be made durable
   */
  void record(byte[] fingerprint, Instant forgetAfter, List<Scrip> outputs);

  /**
   * Forgets records whose {@code forgetAfter} is before {@code horizon}.
   *
   * @return how many were dropped
   */
  int dropExpiredBefore(Instant horizon);
}
