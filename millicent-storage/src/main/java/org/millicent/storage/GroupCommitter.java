package org.millicent.storage;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.millicent.failure.Causes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writer threads that each take everything submitted while the previous batch was being written and
 * write it as the next batch, in one transaction: many concurrent callers share one commit (and one
 * fsync). One writer suits SQLite (one write lock per file); a few let PostgreSQL overlap the
 * network round trips and disk flushes of several batches. A caller's future completes only after
 * the batch holding its item is committed, or fails with the batch's error, so nothing is reported
 * durable that is not.
 *
 * <p>The one group commit of the project: the vendor's spent list (claims, commits, spends), the
 * broker's books and the vendor's received records all write through it. It is written here, not
 * taken from a library, because it is the core of what our storage promises (an acknowledgement
 * means durable; a batch that fails fails exactly its callers; a batch rolled back to break a
 * deadlock is written again) and because its tuning (writers per dialect, completing off the
 * writer) follows our measurements (docs/PERFORMANCE.md, "Storage").
 *
 * <p>A writer that keeps per-thread state (a connection kept warm across batches) needs {@code
 * writers == 1}: its {@link BatchWriter} is then only ever called on that thread, and after {@link
 * #close} returns, never again.
 *
 * <p>Thread-safe. Items submitted after {@link #close} fail with {@code storage-closed}.
 *
 * @param <T> the item written
 * @param <R> the result each item's future completes with
 */
public final class GroupCommitter<T, R> implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(GroupCommitter.class);
  private static final int ROLLBACK_RETRIES = 3;

  /**
   * Writes one batch in one transaction and returns one outcome per item, in order; throws when the
   * whole batch failed (nothing of it is durable).
   */
  @FunctionalInterface
  public interface BatchWriter<T, R> {
    /** Writes {@code batch}; one outcome per item, in order. */
    List<Outcome<R>> write(List<T> batch) throws Exception;
  }

  /**
   * What became of one item of a batch that was committed: a value, or its own failure.
   *
   * @param value what the item's future completes with; null when it failed, and the one value of
   *     {@code R = Void}
   * @param failure what the item's future fails with; null when it was written
   */
  public record Outcome<R>(@Nullable R value, @Nullable RuntimeException failure) {
    /**
     * The item was written: its future completes with {@code value} (null only for {@code R =
     * Void}).
     */
    public static <R> Outcome<R> ok(@Nullable R value) {
      return new Outcome<>(value, null);
    }

    /** The item alone failed: its future fails with {@code failure}. */
    public static <R> Outcome<R> failed(RuntimeException failure) {
      return new Outcome<>(null, failure);
    }
  }

  /** An item and the future its submitter waits on; a close marker has no item. */
  private static final class Entry<T, R> {
    final @Nullable T item;
    final CompletableFuture<R> done = new CompletableFuture<>();

    Entry(@Nullable T item) {
      this.item = item;
    }

    /** The marker {@link #close} queues to stop one writer. */
    static <T, R> Entry<T, R> closeMarker() {
      return new Entry<>(null);
    }
  }

  @SuppressWarnings("UnnecessaryLambda") // a sentinel, compared by identity
  private static final Runnable STOP = () -> {};

  private final LinkedBlockingQueue<Entry<T, R>> queue = new LinkedBlockingQueue<>();
  private final LinkedBlockingQueue<Runnable> completions = new LinkedBlockingQueue<>();

  /** Completes the written batches' futures; null when the writers do it (see {@link #start}). */
  private final @Nullable Thread completer;

  private final BatchWriter<T, R> writer;
  private final Function<Exception, StorageException> translate;
  private final int maxBatch;
  private final List<Thread> threads = new ArrayList<>();
  private final AtomicLong batches = new AtomicLong();
  private final AtomicLong items = new AtomicLong();
  private final AtomicLong failedBatches = new AtomicLong();
  private volatile boolean closed;

  private GroupCommitter(
      String name,
      int writers,
      int maxBatch,
      boolean completeOffWriters,
      BatchWriter<T, R> writer,
      Function<Exception, StorageException> translate) {
    this.writer = writer;
    this.translate = translate;
    this.maxBatch = maxBatch;
    for (int i = 0; i < writers; i++) {
      threads.add(Thread.ofPlatform().name(name + "-" + i).daemon(true).unstarted(this::run));
    }
    completer =
        completeOffWriters
            ? Thread.ofPlatform().name(name + "-done").daemon(true).unstarted(this::runCompletions)
            : null;
  }

  /**
   * Starts a committer with {@code writers} threads named after {@code name}.
   *
   * @param completeOffWriters whether a separate thread completes the written batches' futures, so
   *     that a writer starts its next batch at once. Pays when the writer is the bottleneck (one
   *     SQLite writer waiting on fsync: 77 000 -> 86 000 spends/s, and 55 -> 43 us of vendor CPU
   *     per paid request). Where the database's cost is per batch and it shares the CPUs
   *     (PostgreSQL), quicker writers make smaller batches and cost more than they gain.
   */
  public static <T, R> GroupCommitter<T, R> start(
      String name,
      int writers,
      int maxBatch,
      boolean completeOffWriters,
      BatchWriter<T, R> writer,
      Function<Exception, StorageException> translate) {
    if (writers < 1) {
      throw new IllegalArgumentException("writers must be >= 1, was " + writers);
    }
    GroupCommitter<T, R> g =
        new GroupCommitter<>(name, writers, maxBatch, completeOffWriters, writer, translate);
    if (g.completer != null) {
      g.completer.start();
    }
    g.threads.forEach(Thread::start);
    return g;
  }

  /** Queues {@code item} for the next batch. */
  public CompletableFuture<R> submit(T item) {
    Entry<T, R> e = new Entry<>(item);
    if (closed) {
      e.done.completeExceptionally(closedException());
      return e.done;
    }
    queue.add(e);
    if (closed && queue.remove(e)) {
      e.done.completeExceptionally(closedException());
    }
    return e.done;
  }

  /** Batches written so far. */
  public long batches() {
    return batches.get();
  }

  /** Items written so far (in successful batches). */
  public long items() {
    return items.get();
  }

  /** Batches that failed. */
  public long failedBatches() {
    return failedBatches.get();
  }

  private void run() {
    List<Entry<T, R>> batch = new ArrayList<>(maxBatch);
    while (true) {
      try {
        Entry<T, R> first = queue.take();
        if (first.item == null) {
          // A close marker: everything queued before it has been taken by some writer.
          return;
        }
        batch.add(first);
        queue.drainTo(batch, maxBatch - 1);
        Entry<T, R> marker = null;
        for (int i = 0; i < batch.size(); i++) {
          if (batch.get(i).item == null) {
            // Keep the marker for after this batch; nothing follows it.
            marker = batch.remove(i);
            break;
          }
        }
        writeBatch(batch);
        batch.clear();
        if (marker != null) {
          return;
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        failAll(batch, closedException());
        return;
      }
    }
  }

  private void writeBatch(List<Entry<T, R>> batch) {
    List<T> list = new ArrayList<>(batch.size());
    for (Entry<T, R> e : batch) {
      list.add(e.item);
    }
    try {
      List<Outcome<R>> outcomes = writeRetryingRollbacks(list);
      if (outcomes.size() != batch.size()) {
        throw new IllegalStateException(
            "batch writer returned "
                + outcomes.size()
                + " outcomes for "
                + batch.size()
                + " items");
      }
      batches.incrementAndGet();
      items.addAndGet(batch.size());
      if (completer == null) {
        complete(batch, outcomes);
      } else {
        List<Entry<T, R>> written = List.copyOf(batch);
        completions.add(() -> complete(written, outcomes));
      }
    } catch (Exception e) {
      failedBatches.incrementAndGet();
      StorageException s = translate.apply(e);
      log.warn(
          "A batch of {} failed and was reported to its callers: {}",
          batch.size(),
          Causes.describe(s));
      failAll(batch, s);
    }
  }

  /**
   * Writes a batch, again (at most {@value #ROLLBACK_RETRIES} times) when the database rolled it
   * back to break a deadlock or a serialisation conflict with another process: such a batch wrote
   * nothing, and every writer is an idempotent insert or update, so running it again is safe.
   */
  private List<Outcome<R>> writeRetryingRollbacks(List<T> list) throws Exception {
    for (int attempt = 1; ; attempt++) {
      try {
        return writer.write(list);
      } catch (Exception e) {
        String state = sqlState(e);
        boolean rolledBack = "40P01".equals(state) || "40001".equals(state);
        if (!rolledBack || attempt > ROLLBACK_RETRIES) {
          throw e;
        }
        log.debug("A batch of {} was rolled back ({}); writing it again", list.size(), state);
      }
    }
  }

  /** The SQLSTATE of the first {@link java.sql.SQLException} among {@code e} and its causes. */
  private static @Nullable String sqlState(Throwable e) {
    for (Throwable c = e; c != null; c = c.getCause() == c ? null : c.getCause()) {
      if (c instanceof java.sql.SQLException s) {
        return s.getSQLState();
      }
    }
    return null;
  }

  private static <T, R> void complete(List<Entry<T, R>> batch, List<Outcome<R>> outcomes) {
    for (int i = 0; i < batch.size(); i++) {
      Outcome<R> o = outcomes.get(i);
      RuntimeException failure = o.failure();
      if (failure == null) {
        batch.get(i).done.complete(o.value());
      } else {
        batch.get(i).done.completeExceptionally(failure);
      }
    }
  }

  /**
   * Completes written batches' futures, off the writer (see {@link #start}): waking dozens of
   * waiting threads costs a writer about as much CPU as writing the batch (a futex wake and, on a
   * VM, an inter-processor interrupt each), and a writer that does it starts the next batch that
   * much later.
   */
  private void runCompletions() {
    while (true) {
      Runnable r;
      try {
        r = completions.take();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      if (r == STOP) {
        return;
      }
      try {
        r.run();
      } catch (RuntimeException e) {
        log.error("A completion stage failed", e);
      }
    }
  }

  private static <T, R> void failAll(List<Entry<T, R>> batch, RuntimeException e) {
    for (Entry<T, R> x : batch) {
      x.done.completeExceptionally(e);
    }
  }

  private static StorageException closedException() {
    return new StorageException(StorageException.CLOSED, "the group committer is closed");
  }

  /** Writes everything already queued, then stops the thread. Idempotent. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    boolean interrupted = false;
    for (Thread t : threads) {
      // One marker per writer still running; a writer that drained two leaves one for the next.
      while (t.isAlive()) {
        queue.add(Entry.closeMarker());
        try {
          t.join(100);
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
    }
    // The written batches' futures are completed before close returns.
    if (completer != null) {
      completions.add(STOP);
      while (completer.isAlive()) {
        try {
          completer.join();
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
    }
    // Anything that slipped in after the markers is refused; spare markers go too.
    List<Entry<T, R>> rest = new ArrayList<>();
    queue.drainTo(rest);
    failAll(rest, closedException());
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }
}
