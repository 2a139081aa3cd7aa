package org.millicent.vendor.store;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the received records of licensed spends in batches, off the payment path. A licensed
 * purchase used to write its record in its own transaction after the spend's group commit: a second
 * fsync per request, outside any batch, queued behind SQLite's one write lock. The spend is already
 * durable when the record is offered, and the spent list is the record of last resort: a batch that
 * fails, or records still queued when the process dies, are rebuilt from it before the next report
 * (see {@code Licences.recordMissingReceived}). A report first {@linkplain #flush flushes} what was
 * offered before it. Thread-safe.
 */
public final class ReceivedWriter implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ReceivedWriter.class);
  private static final int MAX_BATCH = 1_000;

  /** One record to write. */
  public record Pending(
      String broker, String licenceId, long scripId, long valueMillicents, long at) {}

  private static final Pending STOP = new Pending("", "", 0, 0, 0);

  private final GatewayStore store;
  private final Runnable onLost;
  private final LinkedBlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
  private final AtomicLong offered = new AtomicLong();
  private final Object progress = new Object();
  private long handled; // guarded by progress: written, or given up to the repair
  private final Thread thread;
  private volatile boolean closed;

  /**
   * @param onLost called when records could not be written (they are then rebuilt from the spent
   *     list)
   */
  public ReceivedWriter(GatewayStore store, Runnable onLost) {
    this.store = store;
    this.onLost = onLost;
    this.thread = Thread.ofPlatform().name("received-writer").daemon(true).start(this::run);
  }

  /** Queues a record; never blocks and never throws. */
  public void offer(Pending p) {
    if (closed) {
      onLost.run(); // rebuilt from the spent list at the next start
      return;
    }
    offered.incrementAndGet();
    queue.add(p);
  }

  /**
   * Waits until every record offered before this call is written or given up to the repair.
   *
   * @return false when {@code timeout} passed first (the rest is still written, and reported later)
   */
  public boolean flush(Duration timeout) {
    long target = offered.get();
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (progress) {
      while (handled < target) {
        long left = deadline - System.nanoTime();
        if (left <= 0 || !thread.isAlive()) {
          return handled >= target;
        }
        try {
          progress.wait(Math.max(1, left / 1_000_000));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return false;
        }
      }
      return true;
    }
  }

  private void run() {
    List<Pending> batch = new ArrayList<>(MAX_BATCH);
    boolean stop = false;
    while (!stop) {
      try {
        batch.add(queue.take());
      } catch (InterruptedException e) {
        onLost.run();
        return;
      }
      queue.drainTo(batch, MAX_BATCH - 1);
      stop = batch.remove(STOP);
      if (!batch.isEmpty()) {
        try {
          store.settlement().recordReceived(batch);
        } catch (RuntimeException e) {
          onLost.run();
          LOG.warn(
              "could not record {} licensed scrip as received; they are spent and will be recorded"
                  + " from the spent list",
              batch.size(),
              e);
        }
      }
      synchronized (progress) {
        handled += batch.size();
        progress.notifyAll();
      }
      batch.clear();
    }
  }

  /** Writes what is queued, then stops; records offered afterwards are left to the repair. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    queue.add(STOP);
    try {
      thread.join(Duration.ofSeconds(10));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (thread.isAlive() || !queue.isEmpty()) {
      onLost.run();
    }
  }
}
