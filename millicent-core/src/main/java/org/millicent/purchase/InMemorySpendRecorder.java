package org.millicent.purchase;

import java.time.Instant;
import org.millicent.scrip.ScripId;

/**
 * A spend recorder with only the in-memory {@link SpentSet}: decisions are correct, nothing is
 * durable and no change is kept for retries (a retry of a committed spend is refused as spent). For
 * tests, benchmarks and the core's own use; services use the durable recorder of millicent-storage.
 * Thread-safe.
 */
public final class InMemorySpendRecorder implements SpendRecorder {
  private final SpentSet spent = new SpentSet();

  /** An empty recorder. */
  public InMemorySpendRecorder() {}

  @Override
  public Claim claim(ScripId id, Instant expiresAt, byte[] fingerprint) {
    return spent.mark(id, expiresAt) ? new Claimed() : new AlreadySpent();
  }

  @Override
  public void commit(SpendRecord record) {
    // Memory only: the mark made by claim is the whole record.
  }

  @Override
  public void release(ScripId id) {
    spent.unmark(id);
  }

  @Override
  public int dropExpiredBefore(Instant horizon) {
    return spent.dropExpiredBefore(horizon);
  }

  /** The spent set, for inspection. */
  public SpentSet spentSet() {
    return spent;
  }
}
