package org.millicent.vendor;

import java.time.Duration;
import java.time.InstantSource;
import java.util.concurrent.atomic.AtomicBoolean;
import org.millicent.scrip.Scrip;
import org.millicent.vendor.store.GatewayStore;
import org.millicent.vendor.store.ReceivedWriter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The received records of licensed scrip (docs/BROKER.md, "Settlement"): every spend of scrip a
 * licensed broker minted is recorded for that broker's settlement report. A record is queued on the
 * payment path and written in a batch off it ({@link ReceivedWriter}); one that fails, or is still
 * queued when the process dies, is not lost, because the spent list holds the spend: {@link
 * #recordMissing} repairs the records from it before a report and before expired spends are
 * dropped. Which licence minted a piece is {@link Licences#minting}'s to say.
 *
 * <p>Thread-safe: the writer's queue is concurrent, and whether a record may be missing is one
 * atomic flag.
 */
final class ReceivedRecords implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ReceivedRecords.class);

  /** How long a report waits for the received records queued before it. */
  private static final Duration FLUSH_TIMEOUT = Duration.ofSeconds(10);

  private final GatewayStore store;
  private final Licences licences;
  private final InstantSource clock;

  /** Whether a received record may be missing (true at start: see recordMissing). */
  private final AtomicBoolean mayMiss = new AtomicBoolean(true);

  /** Writes received records in batches, off the payment path. */
  private final ReceivedWriter writer;

  ReceivedRecords(GatewayStore store, Licences licences, InstantSource clock) {
    this.store = store;
    this.licences = licences;
    this.clock = clock;
    this.writer = new ReceivedWriter(store, () -> mayMiss.set(true));
  }

  /**
   * Records {@code scrip}, just spent, as received from its licensed broker if a licence minted it;
   * a no-op (one array read) for the vendor's own scrip. Never blocks or throws: the spend is
   * committed and the customer must get what they paid for. The record is queued and written in a
   * batch; one that fails, or is still queued when the process dies, is recorded by {@link
   * #recordMissing}.
   */
  void record(Scrip scrip) {
    GatewayStore.Licence l = licences.minting(scrip.id().keyId());
    if (l != null) {
      writer.offer(
          new ReceivedWriter.Pending(
              l.broker(),
              l.licenceId(),
              scrip.id().toLong(),
              scrip.valueMillicents(),
              clock.instant().getEpochSecond()));
    }
  }

  /** Writes the received records still queued; those that cannot be are left to the repair. */
  @Override
  public void close() {
    writer.close();
  }

  /**
   * Records from the spent list the licensed scrip received whose record may be missing: at the
   * first call after start (a crash may have come between a spend and its record) and after a
   * record failed; otherwise a no-op. Called before every received report and before expired spends
   * are dropped, so no charged spend leaves the spent list unrecorded.
   *
   * @throws org.millicent.storage.StorageException when the database fails (tried again next time)
   */
  void recordMissing() {
    // What was received so far is written first (a record still queued after this wait is written
    // later, with a later seq, and reported next time).
    writer.flush(FLUSH_TIMEOUT);
    if (!mayMiss.getAndSet(false)) {
      return;
    }
    try {
      int added = 0;
      for (GatewayStore.Licence l : store.licences()) {
        added += store.settlement().recordMissingReceived(l, clock.instant());
      }
      if (added > 0) {
        LOG.warn("recorded {} licensed scrip received from the spent list", added);
      }
    } catch (RuntimeException e) {
      mayMiss.set(true);
      throw e;
    }
  }
}
