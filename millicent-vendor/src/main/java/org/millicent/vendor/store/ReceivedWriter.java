package org.millicent.vendor.store;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.millicent.storage.GroupCommitter;
import org.millicent.storage.GroupCommitter.Outcome;
import org.millicent.storage.StorageException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the received records of licensed spends in batches, off the payment path. A licensed
 * purchase used to write its record in its own transaction after the spend's group commit: a second
 * fsync per request, outside any batch, queued behind SQLite's one write lock. The spend is already
 * durable when the record is offered, and the spent list is the record of last resort: a batch that
 * fails, or records still queued when the process dies, are rebuilt from it before the next report
 * (see {@code ReceivedRecords.recordMissing}). A report first {@linkplain #flush flushes} what was
 * offered before it. Thread-safe.
 */
public final class ReceivedWriter implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ReceivedWriter.class);
  private static final int MAX_BATCH = 1_000;

  /** One record to write. */
  public record Pending(
      String broker, String licenceId, long scripId, long valueMillicents, long at) {}

  /** Offered by {@link #flush}: written by no one, done once everything before it is handled. */
  private static final Pending FLUSH = new Pending("", "", 0, 0, 0);

  private final GatewayStore store;
  private final Runnable onLost;
  private final GroupCommitter<Pending, Void> writer;
  private volatile boolean closed;

  /**
   * @param onLost called when records could not be written (they are then rebuilt from the spent
   *     list)
   */
  public ReceivedWriter(GatewayStore store, Runnable onLost) {
    this.store = store;
    this.onLost = onLost;
    this.writer =
        GroupCommitter.start(
            "received-writer",
            1,
            MAX_BATCH,
            false,
            this::write,
            e ->
                new StorageException(
                    StorageException.FAILED, "writing received records failed", e));
  }

  /** Queues a record; never blocks and never throws. */
  public void offer(Pending p) {
    if (closed) {
      onLost.run(); // rebuilt from the spent list at the next start
      return;
    }
    var unused =
        writer
            .submit(p)
            .whenComplete(
                (ok, failure) -> {
                  if (failure != null) {
                    onLost.run(); // refused by a closing writer: the repair records it
                  }
                });
  }

  /**
   * Waits until every record offered before this call is written or given up to the repair.
   *
   * @return false when {@code timeout} passed first (the rest is still written, and reported later)
   */
  public boolean flush(Duration timeout) {
    try {
      writer.submit(FLUSH).get(timeout.toNanos(), TimeUnit.NANOSECONDS);
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    } catch (ExecutionException | TimeoutException e) {
      return false;
    }
  }

  /**
   * Writes one batch (on the writer thread). A failure is handed to the repair, never to the
   * offerers: their spends are durable already.
   */
  @SuppressWarnings("ReferenceEquality") // FLUSH is a sentinel, compared by identity
  private List<Outcome<Void>> write(List<Pending> batch) {
    List<Pending> records = new ArrayList<>(batch.size());
    for (Pending p : batch) {
      if (p != FLUSH) {
        records.add(p);
      }
    }
    if (!records.isEmpty()) {
      try {
        store.settlement().recordReceived(records);
      } catch (RuntimeException e) {
        onLost.run();
        LOG.warn(
            "could not record {} licensed scrip as received; they are spent and will be recorded"
                + " from the spent list",
            records.size(),
            e);
      }
    }
    return Collections.nCopies(batch.size(), Outcome.ok(null));
  }

  /** Writes what is queued, then stops; records offered afterwards are left to the repair. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    writer.close();
  }
}
