package org.millicent.vendor.store;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;
import org.millicent.bytes.ConstantTime;
import org.millicent.failure.Causes;
import org.millicent.purchase.SpentSet;
import org.millicent.scrip.ScripId;
import org.millicent.storage.Database;
import org.millicent.storage.DatabaseConfig;
import org.millicent.storage.Dialect;
import org.millicent.storage.ExclusiveFileLock;
import org.millicent.storage.GroupCommitter;
import org.millicent.storage.StorageException;

/**
 * The spent list in {@link Mode#EMBEDDED} mode: this process alone decides, in memory, and the
 * table makes the decisions durable (docs/STORAGE.md, "The spent list"). Claims are marks in the
 * core's {@link SpentSet}, rebuilt from the table at open; a commit or spend is one row in the next
 * group-committed batch.
 *
 * <p>A spend whose batch failed is unmarked once the table shows it was not recorded. When the
 * table cannot be read then either (the storage is down), the mark is kept, because the batch may
 * have reached the disk before failing, and the scrip is <em>in doubt</em>: refused while the table
 * cannot tell, and decided by reading it as soon as it can, at the next claim or spend of that
 * scrip or at the next expiry sweep. So a spend that became durable stays spent, and one that did
 * not is spendable again without a restart.
 *
 * <p>Thread-safe.
 */
final class EmbeddedSpendRecorder extends DurableSpendRecorder {
  /**
   * A claim made by {@link #claim} and not yet committed or released, so that an identical request
   * is answered {@link InProgress}; {@code settled} completes when it is.
   */
  private record Held(byte[] fingerprint, CompletableFuture<Void> settled) {}

  /**
   * A spend on its way to disk, so that an identical retry waits for its batch. {@code ownsMark}
   * tells whether the scrip's mark is this spend's: from the start for a commit (its claim holds
   * the mark), once it marked for a spend; a spend registered but not (yet) marked must not keep
   * another request's failed claim from being released.
   */
  private record Pending(
      SpendRecord record, CompletableFuture<Boolean> durable, AtomicBoolean ownsMark) {
    static Pending of(SpendRecord record, boolean ownsMark) {
      return new Pending(record, new CompletableFuture<>(), new AtomicBoolean(ownsMark));
    }
  }

  /** On SQLite: this process's hold on the file's spent list; null otherwise. */
  private final @Nullable ExclusiveFileLock alone;

  private final SpentSet spent = new SpentSet();
  private final ConcurrentHashMap<ScripId, Pending> pending = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<ScripId, Held> held = new ConcurrentHashMap<>();

  private final SpendDoubts doubts;

  private final GroupCommitter<SpendRecord, Boolean> commits;

  /**
   * Test hook, a no-op in production: run by {@link #spendAsync} once its spend is registered and
   * before it marks, so a test can interleave a release at that point deterministically.
   */
  volatile Runnable afterSpendRegisteredForTest = () -> {};

  private EmbeddedSpendRecorder(
      Database db, InstantSource clock, int writers, @Nullable ExclusiveFileLock alone) {
    super(db, clock);
    this.alone = alone;
    this.doubts = new SpendDoubts(db, spent);
    rebuild();
    this.commits =
        GroupCommitter.start(
            "spend-commit",
            writers,
            MAX_BATCH,
            db.dialect() == Dialect.SQLITE,
            batch -> db.withConnection(c -> SpendTable.writeCommitted(c, db.dialect(), batch)),
            db::translate);
  }

  /** Locks the file (SQLite), migrates, rebuilds the set from the table. */
  static EmbeddedSpendRecorder open(Database db, InstantSource clock, int writers) {
    @Nullable ExclusiveFileLock alone =
        db.config() instanceof DatabaseConfig.Sqlite s ? lockFile(s.file()) : null;
    try {
      VendorSchema.migrate(db);
      return new EmbeddedSpendRecorder(db, clock, writers, alone);
    } catch (RuntimeException e) {
      if (alone != null) {
        alone.close();
      }
      throw e;
    }
  }

  /**
   * Embedded mode decides spends in this process's memory, so it must be the only process spending
   * on its SQLite file: a second one would accept the same scrip again. Held until {@link #close}.
   */
  private static ExclusiveFileLock lockFile(Path file) {
    Path lock = file.resolveSibling(file.getFileName() + "-spends.lock");
    try {
      return ExclusiveFileLock.acquire(
          lock,
          "another process keeps the spent list of "
              + file
              + " (it holds "
              + lock.getFileName()
              + "): a SQLite spent list is decided in one process's memory, so two vendors on"
              + " one SQLite file would accept the same scrip twice; stop the other, or use"
              + " PostgreSQL for several replicas");
    } catch (IllegalStateException e) {
      throw new StorageException(StorageException.CONFIG, Causes.describe(e), e);
    }
  }

  @Override
  public Mode mode() {
    return Mode.EMBEDDED;
  }

  @Override
  public SpentSet spentSet() {
    return spent;
  }

  @Override
  public Stats stats() {
    return new Stats(commits.batches(), commits.items(), commits.failedBatches(), 0);
  }

  // ------------------------------------------------------------------ claim

  /**
   * {@inheritDoc}
   *
   * @throws StorageException when the table cannot be read back to tell a replay from a double
   *     spend
   */
  @Override
  public Claim claim(ScripId id, Instant expiresAt, byte[] fingerprint) {
    checkFingerprint(fingerprint);
    // Registered before marking, so an identical request never sees the mark without it.
    Held mine = new Held(fingerprint.clone(), new CompletableFuture<>());
    Held other = held.putIfAbsent(id, mine);
    if (other == null) {
      boolean marked;
      try {
        marked = doubts.markOrResolve(id, expiresAt);
      } catch (RuntimeException e) {
        settle(id, mine);
        throw e;
      }
      if (marked) {
        return CLAIMED;
      }
      settle(id, mine);
    } else if (ConstantTime.equal(other.fingerprint(), fingerprint)) {
      return new InProgress();
    }
    return replayOrSpent(id, fingerprint);
  }

  /**
   * The scrip is marked: a retry of a committed request, an identical request whose claim is in
   * progress, or a double spend.
   */
  private Claim replayOrSpent(ScripId id, byte[] fingerprint) {
    Pending p = pending.get(id);
    if (p != null) {
      if (!ConstantTime.equal(p.record().fingerprint(), fingerprint)) {
        return new AlreadySpent();
      }
      // The same request is on its way to disk: answer once it is there.
      try {
        p.durable().join();
        return new Replayed(p.record().priceMillicents(), p.record().change());
      } catch (CompletionException e) {
        // Its batch failed and its claim is being released: the caller waits and claims again.
        return new InProgress();
      } catch (CancellationException e) {
        // Not the spend of the scrip after all: asked below.
      }
    }
    Held h = held.get(id);
    if (h != null && ConstantTime.equal(h.fingerprint(), fingerprint)) {
      return new InProgress();
    }
    return db.withConnection(
        c ->
            StoredSpend.select(c, id)
                .filter(s -> s.isCommittedFor(fingerprint))
                .<Claim>map(s -> new Replayed(s.committedPrice(), s.decodedChange()))
                .orElseGet(AlreadySpent::new));
  }

  // ------------------------------------------------------------------ spend

  @Override
  public CompletableFuture<Claim> spendAsync(SpendRecord record) {
    checkFingerprint(record.fingerprint());
    SpendRecord copy = copyOf(record);
    // Registered before marking, so an identical request arriving meanwhile waits for this one.
    Pending p = Pending.of(copy, false);
    boolean marked;
    try {
      marked = pending.putIfAbsent(copy.id(), p) == null && markRegistered(p);
    } catch (RuntimeException e) {
      pending.remove(copy.id(), p);
      p.durable().cancel(false);
      return CompletableFuture.failedFuture(e);
    }
    if (!marked) {
      pending.remove(copy.id(), p);
      p.durable().cancel(false); // anyone who found it asks the table instead
      try {
        return CompletableFuture.completedFuture(replayOrSpent(copy.id(), copy.fingerprint()));
      } catch (RuntimeException e) {
        return CompletableFuture.failedFuture(e);
      }
    }
    submitPending(p);
    CompletableFuture<Claim> answer = new CompletableFuture<>();
    var unused =
        p.durable()
            .whenComplete(
                (ok, e) -> {
                  if (e == null) {
                    answer.complete(CLAIMED);
                    return;
                  }
                  // Released off the writer thread (releasing may read the table), and only on
                  // failure: an exceptionallyAsync stage would hop threads on success too.
                  ForkJoinPool.commonPool()
                      .execute(
                          () -> {
                            try {
                              releaseInMemory(copy.id());
                            } finally {
                              answer.completeExceptionally(e);
                            }
                          });
                });
    return answer;
  }

  /** Marks the scrip of a registered spend; the spend owns the mark once made. */
  private boolean markRegistered(Pending p) {
    afterSpendRegisteredForTest.run();
    boolean marked = doubts.markOrResolve(p.record().id(), p.record().expiresAt());
    if (marked) {
      p.ownsMark().set(true);
    }
    return marked;
  }

  // ----------------------------------------------------------------- commit

  @Override
  public CompletableFuture<Void> commitAsync(SpendRecord record) {
    checkFingerprint(record.fingerprint());
    SpendRecord copy = copyOf(record);
    // Registered before submitting, so a retry arriving meanwhile can wait for this batch.
    Pending p = Pending.of(copy, true);
    pending.put(copy.id(), p);
    Held h = held.get(copy.id());
    if (h != null && ConstantTime.equal(h.fingerprint(), copy.fingerprint())) {
      settle(copy.id(), h); // waiters now find the pending commit and wait for its batch
    }
    submitPending(p);
    return p.durable().thenApply(ok -> null);
  }

  /** Queues a registered spend; its future completes (after it is unregistered) once durable. */
  private void submitPending(Pending p) {
    SpendRecord copy = p.record();
    var unused =
        commits
            .submit(copy)
            .whenComplete(
                (ok, e) -> {
                  pending.remove(copy.id(), p);
                  if (e == null) {
                    p.durable().complete(ok);
                  } else {
                    p.durable().completeExceptionally(e);
                  }
                });
  }

  // ---------------------------------------------------------------- release

  @Override
  public void release(ScripId id) {
    releaseInMemory(id);
    Held h = held.get(id);
    if (h != null) {
      settle(id, h);
    }
  }

  private void settle(ScripId id, Held h) {
    held.remove(id, h);
    h.settled().complete(null);
  }

  /** {@inheritDoc} Wakes the waiter as soon as the claim is committed or released. */
  @Override
  public void awaitSettled(ScripId id, Duration timeout) throws InterruptedException {
    Held h = held.get(id);
    if (h == null) {
      super.awaitSettled(id, timeout);
      return;
    }
    try {
      h.settled().get(Math.max(1, timeout.toNanos()), TimeUnit.NANOSECONDS);
    } catch (ExecutionException | TimeoutException e) {
      // Not settled yet, or some other way: the caller claims again either way.
    }
  }

  /**
   * Unmarks a claim, unless its spend is committed (or on its way): that stays spent. When the
   * table cannot be read the mark stays and the scrip is in doubt until the table can tell.
   *
   * <p>Only a pending spend that owns the mark keeps it: another request's spend of the same scrip,
   * registered but failing to mark (the scrip is still marked), is not on its way to disk, and
   * skipping for it would leave the scrip refused, without a doubt to decide it, until a restart.
   */
  private void releaseInMemory(ScripId id) {
    Pending p = pending.get(id);
    if (p != null && p.ownsMark().get()) {
      return;
    }
    doubts.unmarkUnlessCommitted(id);
  }

  // ----------------------------------------------------------- expiry, start

  /** The rows of exactly the blocks memory forgot, found through the primary key. */
  @Override
  int dropExpired(Instant horizon) {
    // No index on expires_at to keep up on every spend (PERFORMANCE.md, "Storage").
    List<ScripId> blocks = spent.dropExpiredBlocks(horizon);
    long rows = 0;
    for (ScripId first : blocks) {
      rows += SpendExpiry.deleteBlock(db, first);
    }
    logDropped(horizon, rows, blocks.size());
    doubts.resolveAll();
    return blocks.size();
  }

  /** Restores the horizon, forgets stray claims, marks every committed spend. */
  private void rebuild() {
    long started = System.nanoTime();
    long n = db.withConnection(c -> SpendTable.markCommitted(c, spent));
    log.info(
        "Spent list of {} rebuilt: {} spends in {} ms",
        db.describe(),
        n,
        (System.nanoTime() - started) / 1_000_000);
  }

  @Override
  public void close() {
    commits.close();
    if (alone != null) {
      alone.close();
    }
  }
}
