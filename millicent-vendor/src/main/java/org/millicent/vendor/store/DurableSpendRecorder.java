package org.millicent.vendor.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.millicent.bytes.ConstantTime;
import org.millicent.failure.Causes;
import org.millicent.purchase.SpendRecorder;
import org.millicent.purchase.SpentSet;
import org.millicent.scrip.ScripId;
import org.millicent.storage.Database;
import org.millicent.storage.DatabaseConfig;
import org.millicent.storage.Dialect;
import org.millicent.storage.ExclusiveFileLock;
import org.millicent.storage.GroupCommitter;
import org.millicent.storage.GroupCommitter.Outcome;
import org.millicent.storage.StorageException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The vendor's durable spent list (docs/PROTOCOL.md, "Spent list"; docs/STORAGE.md).
 *
 * <p>Two modes. {@link Mode#EMBEDDED} (the default on SQLite): this process owns the spent list;
 * claims are decided in memory by the core's {@link SpentSet} (one bit per serial, rebuilt from the
 * table at start), and {@link #commit} writes the spend row by group commit: one writer thread
 * writes everything committed while the previous batch was on its way to disk in one transaction,
 * so many concurrent spends share one fsync; each commit returns only once its batch is durable.
 * {@link Mode#SHARED} (the default on PostgreSQL): several processes share the table and the
 * database decides: claims are group-committed {@code INSERT ... ON CONFLICT DO NOTHING} of a claim
 * row (a conflict means spent), commits group-commit an {@code UPDATE} that records price and
 * change, releases delete the claim row. So two vendor replicas never accept one scrip twice.
 *
 * <p>{@link #spend} claims and commits at once: in embedded mode a memory mark and the group
 * commit; in shared mode one group-committed, durable {@code INSERT} of the committed row, whose
 * conflicts are read back to tell a replay from a double spend: one round trip instead of two.
 *
 * <p>Either way a committed spend keeps the request fingerprint, price and encoded change, so an
 * identical retry gets {@link Replayed} with the same change. A batch that fails (disk full, lost
 * connection) fails every commit in it; nothing is reported durable that is not, and later batches
 * try again, so the recorder recovers when the database does.
 *
 * <p>Thread-safe.
 */
public final class DurableSpendRecorder implements SpendRecorder, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(DurableSpendRecorder.class);

  /** Most records written in one transaction. */
  public static final int MAX_BATCH = 4096;

  /** Claims older than this are taken as left by a crashed process and released at open. */
  public static final Duration STALE_CLAIM_AGE = Duration.ofMinutes(15);

  private static final Claimed CLAIMED = new Claimed();

  /** Who decides whether a scrip is spent. */
  public enum Mode {
    /** This process alone uses the spent list: memory decides, the table makes it durable. */
    EMBEDDED,
    /** Several processes share the table: the database decides. */
    SHARED
  }

  /** Counters for monitoring and benchmarks. */
  public record Stats(long commitBatches, long commits, long failedBatches, long claimBatches) {
    /** Mean spends per commit batch (per fsync). */
    public double meanBatchSize() {
      return commitBatches == 0 ? 0 : (double) commits / commitBatches;
    }
  }

  private record ClaimRequest(ScripId id, Instant expiresAt, byte[] fingerprint) {}

  private final Database db;

  /** Embedded mode on SQLite: this process's hold on the file's spent list; null otherwise. */
  private final ExclusiveFileLock alone;

  private final Mode mode;
  private final InstantSource clock;
  private final SpentSet spent = new SpentSet();
  private final ConcurrentHashMap<ScripId, Pending> pending = new ConcurrentHashMap<>();
  private final GroupCommitter<SpendRecord, Boolean> commits;
  private final GroupCommitter<ClaimRequest, Claim> claims;
  private final GroupCommitter<SpendRecord, Claim> spends;
  private final ScheduledExecutorService sweeper;

  /**
   * Shared mode on PostgreSQL: this replica's id, stamped on its claims, and the connection that
   * holds its advisory lock for as long as the recorder is open; 0 and null otherwise.
   */
  private final long replicaId;

  private final Connection replicaLock;

  private final java.util.concurrent.atomic.AtomicBoolean closed =
      new java.util.concurrent.atomic.AtomicBoolean();

  /** A replica's id and the connection holding its advisory lock. */
  private record ReplicaLock(Connection connection, int lockClass, long id) {}

  /** The advisory-lock class of this schema's replica locks (0 unless shared on PostgreSQL). */
  private final int lockClass;

  private record Pending(SpendRecord record, CompletableFuture<Boolean> durable) {}

  /**
   * Embedded mode: a claim made by {@link #claim} and not yet committed or released, so that an
   * identical request is answered {@link InProgress}; {@code settled} completes when it is.
   */
  private record Held(byte[] fingerprint, CompletableFuture<Void> settled) {}

  private final ConcurrentHashMap<ScripId, Held> held = new ConcurrentHashMap<>();

  private DurableSpendRecorder(
      Database db, Mode mode, InstantSource clock, ExclusiveFileLock alone) {
    this.db = db;
    this.alone = alone;
    this.mode = mode;
    this.clock = clock;
    // SQLite has one write lock per file: one writer. PostgreSQL overlaps two batches (one is
    // written while the other waits for its flush); more writers make smaller batches, which cost
    // the server more CPU per spend than the overlap gains (docs/PERFORMANCE.md, "Storage").
    // A shared replica on PostgreSQL keeps one connection for its advisory lock (below).
    int writers =
        db.config() instanceof DatabaseConfig.Postgres p
            ? Math.max(1, Math.min(2, p.maxPoolSize() - (mode == Mode.SHARED ? 1 : 0)))
            : 1;
    if (mode == Mode.SHARED
        && db.config() instanceof DatabaseConfig.Postgres p
        && p.maxPoolSize() < 2) {
      throw new IllegalArgumentException(
          "a shared spent list needs a pool of at least 2 connections (one holds the replica's"
              + " lock), found "
              + p.maxPoolSize());
    }
    if (mode == Mode.SHARED && db.dialect() == Dialect.POSTGRESQL) {
      ReplicaLock lock = lockReplica(db);
      this.replicaLock = lock.connection();
      this.replicaId = lock.id();
      this.lockClass = lock.lockClass();
    } else {
      this.replicaLock = null;
      this.replicaId = 0;
      this.lockClass = 0;
    }
    if (mode == Mode.EMBEDDED) {
      rebuild();
      this.claims = null;
      this.spends = null;
      this.sweeper = null;
      this.commits =
          GroupCommitter.start(
              "spend-commit",
              writers,
              MAX_BATCH,
              db.dialect() == Dialect.SQLITE,
              this::writeCommitted,
              db::translate);
    } else {
      releaseStaleClaims(clock.instant().minus(STALE_CLAIM_AGE));
      this.sweeper =
          Executors.newSingleThreadScheduledExecutor(
              Thread.ofPlatform().name("spend-claim-sweep").daemon(true).factory());
      long period = STALE_CLAIM_AGE.toSeconds() / 3;
      sweeper.scheduleWithFixedDelay(this::sweepQuietly, period, period, TimeUnit.SECONDS);
      this.claims =
          GroupCommitter.start(
              "spend-claim", writers, MAX_BATCH, false, this::writeClaims, db::translate);
      this.commits =
          GroupCommitter.start(
              "spend-commit", writers, MAX_BATCH, false, this::writeCommitUpdates, db::translate);
      this.spends =
          GroupCommitter.start(
              "spend", writers, MAX_BATCH, false, this::writeSpends, db::translate);
    }
  }

  /**
   * Takes a new replica id and holds its session-level advisory lock on a connection of its own,
   * for the recorder's lifetime: while it is held the replica is alive, and its claims are its own.
   */
  private static ReplicaLock lockReplica(Database db) {
    Connection c = null;
    try {
      c = db.dataSource().getConnection();
      c.setAutoCommit(true);
      long id;
      try (PreparedStatement ps = c.prepareStatement("SELECT nextval('vendor_replica_ids')");
          java.sql.ResultSet rs = ps.executeQuery()) {
        rs.next();
        id = rs.getLong(1);
      }
      if (id > Integer.MAX_VALUE) {
        throw new IllegalStateException("replica ids exhausted: " + id);
      }
      int lockClass;
      try (PreparedStatement ps = c.prepareStatement(SpendTable.REPLICA_LOCK_CLASS);
          java.sql.ResultSet rs = ps.executeQuery()) {
        rs.next();
        lockClass = rs.getInt(1);
      }
      try (PreparedStatement ps = c.prepareStatement("SELECT pg_advisory_lock(?, ?)")) {
        ps.setInt(1, lockClass);
        ps.setInt(2, (int) id);
        ps.execute();
      }
      return new ReplicaLock(c, lockClass, id);
    } catch (SQLException e) {
      if (c != null) {
        db.discard(c);
      }
      throw db.translate(e);
    }
  }

  /** This replica's id (0 unless shared mode on PostgreSQL). */
  public long replicaId() {
    return replicaId;
  }

  /**
   * The first key of this replica's advisory lock, {@code pg_advisory_lock(class, id)}, as {@code
   * pg_locks.classid} shows it (0 unless shared mode on PostgreSQL).
   */
  public long replicaLockClass() {
    return Integer.toUnsignedLong(lockClass);
  }

  /**
   * Opens the spent list of {@code db} (migrating the vendor schema): embedded on SQLite, shared on
   * PostgreSQL. In embedded mode the in-memory set is rebuilt from the table first.
   *
   * @throws StorageException when the database fails
   */
  public static DurableSpendRecorder open(Database db) {
    return open(
        db, db.dialect() == Dialect.SQLITE ? Mode.EMBEDDED : Mode.SHARED, InstantSource.system());
  }

  /**
   * Opens the spent list in the given mode.
   *
   * @param clock stamps claims (shared mode), to release those left by a crashed process
   * @throws StorageException when the database fails
   */
  public static DurableSpendRecorder open(Database db, Mode mode, InstantSource clock) {
    ExclusiveFileLock alone =
        mode == Mode.EMBEDDED && db.config() instanceof DatabaseConfig.Sqlite s
            ? lockFile(s.file())
            : null;
    try {
      VendorSchema.migrate(db);
      return new DurableSpendRecorder(db, mode, clock, alone);
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
  private static ExclusiveFileLock lockFile(java.nio.file.Path file) {
    java.nio.file.Path lock = file.resolveSibling(file.getFileName() + "-spends.lock");
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

  /** The mode in use. */
  public Mode mode() {
    return mode;
  }

  /** The in-memory spent set (empty in shared mode), to inspect its size. */
  public SpentSet spentSet() {
    return spent;
  }

  /** Counters since open; commits count spends too (each is committed in its batch). */
  public Stats stats() {
    return new Stats(
        commits.batches() + (spends == null ? 0 : spends.batches()),
        commits.items() + (spends == null ? 0 : spends.items()),
        commits.failedBatches()
            + (claims == null ? 0 : claims.failedBatches() + spends.failedBatches()),
        claims == null ? 0 : claims.batches());
  }

  // ------------------------------------------------------------------ claim

  /**
   * {@inheritDoc}
   *
   * @throws StorageException when the database cannot decide (shared mode) or cannot read back a
   *     spend to tell a replay from a double spend
   */
  @Override
  public Claim claim(ScripId id, Instant expiresAt, byte[] fingerprint) {
    checkFingerprint(fingerprint);
    if (mode == Mode.SHARED) {
      return join(claims.submit(new ClaimRequest(id, expiresAt, fingerprint.clone())));
    }
    // Registered before marking, so an identical request never sees the mark without it.
    Held mine = new Held(fingerprint.clone(), new CompletableFuture<>());
    Held other = held.putIfAbsent(id, mine);
    if (other == null) {
      if (spent.mark(id, expiresAt)) {
        return CLAIMED;
      }
      settle(id, mine);
    } else if (ConstantTime.equal(other.fingerprint(), fingerprint)) {
      return new InProgress();
    }
    return replayOrSpent(id, fingerprint);
  }

  /**
   * Embedded mode, the scrip is marked: a retry of a committed request, an identical request whose
   * claim is in progress, or a double spend.
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
      } catch (java.util.concurrent.CancellationException e) {
        // Not the spend of the scrip after all: asked below.
      }
    }
    Held h = held.get(id);
    if (h != null && ConstantTime.equal(h.fingerprint(), fingerprint)) {
      return new InProgress();
    }
    try (Connection c = db.dataSource().getConnection()) {
      return SpendTable.select(c, id)
          .filter(s -> s.isCommittedFor(fingerprint))
          .<Claim>map(s -> new Replayed(s.priceMillicents(), s.decodedChange()))
          .orElseGet(AlreadySpent::new);
    } catch (SQLException e) {
      throw db.translate(e);
    }
  }

  private List<Outcome<Claim>> writeClaims(List<ClaimRequest> batch) throws SQLException {
    try (Connection c = db.dataSource().getConnection()) {
      c.setAutoCommit(false);
      try {
        // insertClaims relaxes durability itself, in the same statement (claims may be lost).
        long now = clock.instant().getEpochSecond();
        int n = batch.size();
        long[] ids = new long[n];
        long[] exps = new long[n];
        byte[][] fps = new byte[n][];
        for (int i = 0; i < n; i++) {
          ids[i] = batch.get(i).id().toLong();
          exps[i] = batch.get(i).expiresAt().getEpochSecond();
          fps[i] = batch.get(i).fingerprint();
        }
        boolean[] won = SpendTable.insertClaims(c, db.dialect(), ids, exps, fps, now, replicaId);
        List<Outcome<Claim>> results = new ArrayList<>(batch.size());
        for (int i = 0; i < batch.size(); i++) {
          ClaimRequest e = batch.get(i);
          if (won[i]) {
            results.add(Outcome.ok(new Claimed()));
          } else {
            SpendTable.Stored s = SpendTable.select(c, e.id()).orElse(null);
            Claim answer = SpendTable.conflict(s, e.fingerprint());
            if (answer instanceof InProgress && takeOverIfOwnerDied(c, e, s, now)) {
              answer = new Claimed();
            }
            results.add(Outcome.ok(answer));
          }
        }
        c.commit();
        return results;
      } catch (SQLException | RuntimeException e) {
        abandon(db, c);
        throw e;
      }
    }
  }

  /**
   * An identical request's claim whose replica died (its advisory lock is free) is taken over by
   * this replica: the retry then completes here instead of waiting for the stale-claim sweep. Of
   * several replicas taking over one claim, the conditional update lets exactly one win.
   */
  private boolean takeOverIfOwnerDied(Connection c, ClaimRequest e, SpendTable.Stored s, long now)
      throws SQLException {
    if (replicaLock == null || s.claimedBy() == null || s.claimedBy() == replicaId) {
      return false;
    }
    try (PreparedStatement ps = c.prepareStatement(SpendTable.REPLICA_ALIVE)) {
      ps.setInt(1, lockClass);
      ps.setLong(2, s.claimedBy());
      try (java.sql.ResultSet rs = ps.executeQuery()) {
        if (rs.next() && rs.getBoolean(1)) {
          return false;
        }
      }
    }
    try (PreparedStatement ps = c.prepareStatement(SpendTable.TAKE_OVER_CLAIM)) {
      ps.setLong(1, replicaId);
      ps.setLong(2, now);
      ps.setLong(3, e.id().toLong());
      ps.setBytes(4, e.fingerprint());
      ps.setLong(5, s.claimedBy());
      if (ps.executeUpdate() != 1) {
        return false;
      }
    }
    log.info(
        "Took over the claim of scrip {} from replica {}, which died before committing it",
        e.id(),
        s.claimedBy());
    return true;
  }

  // ------------------------------------------------------------------ spend

  /**
   * {@inheritDoc}
   *
   * <p>Shared mode: one group-committed, durable insert of the committed row. Embedded mode: the
   * memory mark, then the group commit; the mark is taken back when the batch fails.
   *
   * @throws StorageException when the batch failed or the store cannot decide: nothing is reported
   *     durable and the caller must not deliver
   */
  @Override
  public Claim spend(SpendRecord record) {
    return join(spendAsync(record));
  }

  /**
   * {@link #spend} without waiting: the future completes with the answer once it is durable, or
   * fails with a {@link StorageException} (then nothing is reported durable). For servers that keep
   * many purchases in flight per thread. In embedded mode a double spend or replay is answered
   * before this returns.
   */
  public CompletableFuture<Claim> spendAsync(SpendRecord record) {
    checkFingerprint(record.fingerprint());
    SpendRecord copy = copyOf(record);
    if (mode == Mode.SHARED) {
      return spends.submit(copy);
    }
    // Registered before marking, so an identical request arriving meanwhile waits for this one.
    Pending p = new Pending(copy, new CompletableFuture<>());
    if (pending.putIfAbsent(copy.id(), p) != null || !spent.mark(copy.id(), copy.expiresAt())) {
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

  /**
   * Shared mode: inserts the batch's committed rows in one durable transaction; a row that
   * conflicts is read back: the committed spend of the same request is a replay, anything else
   * (another request's spend, or a claim in flight on another replica) is spent.
   */
  private List<Outcome<Claim>> writeSpends(List<SpendRecord> batch) throws SQLException {
    try (Connection c = db.dataSource().getConnection()) {
      // PostgreSQL inserts a batch in one statement, so in autocommit it is its own durable
      // transaction: one round trip per batch, where BEGIN ... COMMIT needs two. Conflicts are read
      // afterwards, from committed rows. SQLite writes a JDBC batch of inserts in a transaction.
      boolean oneStatement = db.dialect() == Dialect.POSTGRESQL;
      c.setAutoCommit(oneStatement);
      try {
        List<Outcome<Claim>> results = new ArrayList<>(batch.size());
        for (Claim claim : SpendTable.insertSpends(c, db.dialect(), batch)) {
          results.add(Outcome.ok(claim));
        }
        if (!oneStatement) {
          c.commit();
        }
        return results;
      } catch (SQLException | RuntimeException e) {
        abandon(db, c);
        throw e;
      }
    }
  }

  // ----------------------------------------------------------------- commit

  /**
   * {@inheritDoc}
   *
   * <p>Waits for the batch holding this record to be committed (and, on SQLite, fsync'd).
   *
   * @throws StorageException when the batch failed: the spend is not durable and the caller must
   *     release it and not deliver
   */
  @Override
  public void commit(SpendRecord record) {
    join(commitAsync(record));
  }

  /**
   * Queues a claimed spend for the next batch; the future completes once it is durable, or fails
   * with a {@link StorageException} when it could not be made durable. For servers that keep many
   * purchases in flight per thread.
   */
  public CompletableFuture<Void> commitAsync(SpendRecord record) {
    checkFingerprint(record.fingerprint());
    SpendRecord copy = copyOf(record);
    if (mode == Mode.SHARED) {
      return commits.submit(copy).thenApply(ok -> null);
    }
    return commitMarked(copy).thenApply(ok -> null);
  }

  private static SpendRecord copyOf(SpendRecord r) {
    return new SpendRecord(
        r.id(), r.expiresAt(), r.fingerprint().clone(), r.priceMillicents(), r.change());
  }

  /** Embedded mode: queues the spend of a marked scrip; completes once its batch is durable. */
  private CompletableFuture<Boolean> commitMarked(SpendRecord copy) {
    // Registered before submitting, so a retry arriving meanwhile can wait for this batch.
    Pending p = new Pending(copy, new CompletableFuture<>());
    pending.put(copy.id(), p);
    Held h = held.get(copy.id());
    if (h != null && ConstantTime.equal(h.fingerprint(), copy.fingerprint())) {
      settle(copy.id(), h); // waiters now find the pending commit and wait for its batch
    }
    submitPending(p);
    return p.durable();
  }

  /** Queues a registered spend; its future completes (after it is unregistered) once durable. */
  private void submitPending(Pending p) {
    SpendRecord copy = p.record();
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

  private List<Outcome<Boolean>> writeCommitted(List<SpendRecord> batch) throws SQLException {
    try (Connection c = db.dataSource().getConnection()) {
      // As in writeSpends: on PostgreSQL one statement in autocommit, one round trip per batch.
      boolean oneStatement = db.dialect() == Dialect.POSTGRESQL;
      c.setAutoCommit(oneStatement);
      try {
        boolean[] written = SpendTable.insertCommitted(c, db.dialect(), batch);
        List<Outcome<Boolean>> results = new ArrayList<>(batch.size());
        for (int i = 0; i < batch.size(); i++) {
          results.add(written[i] ? Outcome.ok(true) : conflictOutcome(c, batch.get(i)));
        }
        if (!oneStatement) {
          c.commit();
        }
        return results;
      } catch (SQLException | RuntimeException e) {
        abandon(db, c);
        throw e;
      }
    }
  }

  /**
   * Whether a committed row is this very record (an earlier in-doubt commit of it), not the commit
   * of a replica that took the claim over and issued other change: then this one must not deliver.
   */
  private static boolean isThisCommit(SpendTable.Stored s, SpendRecord r) {
    return s.isCommittedFor(r.fingerprint())
        && ConstantTime.equal(
            s.change(), r.change().map(org.millicent.scrip.ScripCodec::encode).orElse(null));
  }

  /** A row already existed: fine if it is this very spend (an earlier in-doubt commit). */
  private static Outcome<Boolean> conflictOutcome(Connection c, SpendRecord r) throws SQLException {
    Optional<SpendTable.Stored> s = SpendTable.select(c, r.id());
    if (s.isPresent() && s.get().isCommittedFor(r.fingerprint())) {
      return Outcome.ok(true);
    }
    return Outcome.failed(
        new StorageException(
            StorageException.FAILED,
            "scrip " + r.id() + " already has a spend record of another request; not committed"));
  }

  private List<Outcome<Boolean>> writeCommitUpdates(List<SpendRecord> batch) throws SQLException {
    try (Connection c = db.dataSource().getConnection()) {
      c.setAutoCommit(false);
      try {
        boolean[] found = SpendTable.commitClaims(c, batch, replicaId);
        List<Outcome<Boolean>> results = new ArrayList<>(batch.size());
        for (int i = 0; i < batch.size(); i++) {
          SpendRecord r = batch.get(i);
          if (found[i]) {
            results.add(Outcome.ok(true));
          } else {
            Optional<SpendTable.Stored> s = SpendTable.select(c, r.id());
            results.add(
                s.isPresent() && isThisCommit(s.get(), r)
                    ? Outcome.ok(true)
                    : Outcome.failed(
                        new StorageException(
                            StorageException.FAILED,
                            "the claim of scrip "
                                + r.id()
                                + " was not found (released, or swept as stale); not committed")));
          }
        }
        c.commit();
        return results;
      } catch (SQLException | RuntimeException e) {
        abandon(db, c);
        throw e;
      }
    }
  }

  // ---------------------------------------------------------------- release

  /**
   * {@inheritDoc}
   *
   * <p>Never throws: in shared mode, a claim row that cannot be deleted now (the database is
   * unreachable) stays until the stale-claim sweep, which runs every few minutes, deletes it.
   */
  @Override
  public void release(ScripId id) {
    if (mode == Mode.EMBEDDED) {
      releaseInMemory(id);
      Held h = held.get(id);
      if (h != null) {
        settle(id, h);
      }
      return;
    }
    try (Connection c = db.dataSource().getConnection()) {
      c.setAutoCommit(false);
      try {
        SpendTable.relaxDurability(c, db.dialect());
        try (PreparedStatement ps = c.prepareStatement(SpendTable.RELEASE_CLAIM)) {
          ps.setLong(1, id.toLong());
          ps.setLong(2, replicaId);
          ps.executeUpdate();
        }
        c.commit();
      } catch (SQLException e) {
        abandon(db, c);
        throw e;
      }
    } catch (SQLException e) {
      // Safe to leave: the claim blocks only this scrip, until the stale-claim sweep frees it.
      log.warn(
          "Claim of scrip {} could not be released now and will be swept after {}: {}",
          id,
          STALE_CLAIM_AGE,
          db.translate(e).getMessage());
    }
  }

  private void settle(ScripId id, Held h) {
    held.remove(id, h);
    h.settled().complete(null);
  }

  /**
   * {@inheritDoc}
   *
   * <p>Embedded mode wakes the waiter as soon as the claim is committed or released; shared mode
   * polls, as the claim may be held by another replica.
   */
  @Override
  public void awaitSettled(ScripId id, Duration timeout) throws InterruptedException {
    Held h = mode == Mode.EMBEDDED ? held.get(id) : null;
    if (h == null) {
      SpendRecorder.super.awaitSettled(id, timeout);
      return;
    }
    try {
      h.settled().get(Math.max(1, timeout.toNanos()), TimeUnit.NANOSECONDS);
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      // Not settled yet, or some other way: the caller claims again either way.
    }
  }

  /**
   * Unmarks a claim, unless its spend is committed (or on its way): that stays spent. When the
   * table cannot be read the mark stays too: the scrip is refused until the next start rebuilds the
   * set from disk, which is safe.
   */
  private void releaseInMemory(ScripId id) {
    if (pending.containsKey(id)) {
      return;
    }
    try (Connection c = db.dataSource().getConnection()) {
      if (SpendTable.select(c, id).filter(SpendTable.Stored::committed).isPresent()) {
        return;
      }
    } catch (SQLException e) {
      log.warn(
          "Scrip {} stays marked until restart: cannot tell whether it was committed: {}",
          id,
          db.translate(e).getMessage());
      return;
    }
    spent.unmark(id);
  }

  /**
   * Shared mode: deletes claims made before {@code before} and never committed, as left by a
   * process that crashed mid-purchase (nothing was delivered for them).
   *
   * @return the number of claims released
   * @throws StorageException when the database fails
   */
  public int releaseStaleClaims(Instant before) {
    return db.withHandle(
        h ->
            h.createUpdate(
                    "DELETE FROM vendor_spends WHERE price_millicents IS NULL AND claimed_at < :t")
                .bind("t", before.getEpochSecond())
                .execute());
  }

  private void sweepQuietly() {
    try {
      int n = releaseStaleClaims(clock.instant().minus(STALE_CLAIM_AGE));
      if (n > 0) {
        log.info("Released {} stale claims in {}", n, db.describe());
      }
    } catch (RuntimeException e) {
      log.warn("Stale-claim sweep of {} failed, will retry: {}", db.describe(), Causes.describe(e));
    }
  }

  // --------------------------------------------------------------- expiry

  /**
   * {@inheritDoc}
   *
   * <p>Records the horizon first (so that a restart still refuses scrip expiring before it), then
   * drops the memory blocks, then deletes the rows in chunks so that commits are not held up. In
   * embedded mode the rows deleted are those of the dropped blocks (by primary-key range; a row
   * expired in a block that still holds unexpired scrip stays until the block goes, as in memory);
   * in shared mode every committed row expiring before the horizon.
   *
   * @return memory blocks dropped in embedded mode, rows deleted in shared mode
   * @throws StorageException when the database fails
   */
  @Override
  public int dropExpiredBefore(Instant horizon) {
    SpendExpiry.recordHorizon(db, horizon);
    if (mode == Mode.EMBEDDED) {
      // The rows of exactly the blocks memory forgot, found through the primary key: no index on
      // expires_at to keep up on every spend (PERFORMANCE.md, "Storage").
      List<ScripId> blocks = spent.dropExpiredBlocks(horizon);
      long rows = 0;
      for (ScripId first : blocks) {
        rows += SpendExpiry.deleteBlock(db, first);
      }
      logDropped(horizon, rows, blocks.size());
      return blocks.size();
    }
    long rows = SpendExpiry.deleteExpired(db, horizon);
    logDropped(horizon, rows, -1);
    return (int) Math.min(Integer.MAX_VALUE, rows);
  }

  /**
   * The sweep runs every minute: only one that dropped something is worth an INFO line.
   *
   * @param blocks memory blocks dropped (embedded mode), or -1 (shared mode has none)
   */
  private static void logDropped(Instant horizon, long rows, int blocks) {
    if (rows == 0 && blocks <= 0) {
      log.debug("No spends expiring before {} to drop", horizon);
      return;
    }
    log.info(
        "Dropped {} expiring before {}{}",
        rows == 1 ? "1 spend" : rows + " spends",
        horizon,
        blocks < 0 ? "" : blocks == 1 ? " (1 block)" : " (" + blocks + " blocks)");
  }

  // ----------------------------------------------------------------- start

  /** Embedded mode: restores the horizon, forgets stray claims, marks every committed spend. */
  private void rebuild() {
    long started = System.nanoTime();
    long n = 0;
    try (Connection c = db.dataSource().getConnection()) {
      n = SpendTable.markCommitted(c, spent);
    } catch (SQLException e) {
      throw db.translate(e);
    }
    log.info(
        "Spent list of {} rebuilt: {} spends in {} ms",
        db.describe(),
        n,
        (System.nanoTime() - started) / 1_000_000);
  }

  // ------------------------------------------------------------------ misc

  /** Writes every commit already queued, then stops the writer threads. Idempotent. */
  @Override
  public void close() {
    if (sweeper != null) {
      sweeper.shutdownNow();
    }
    if (claims != null) {
      claims.close();
      spends.close();
    }
    commits.close();
    if (alone != null) {
      alone.close();
    }
    if (replicaLock != null && closed.compareAndSet(false, true)) {
      // Closed, not returned to the pool, so the session and its advisory lock end now.
      db.discard(replicaLock);
    }
  }

  private static void checkFingerprint(byte[] fingerprint) {
    if (fingerprint == null || fingerprint.length == 0 || fingerprint.length > 64) {
      throw new IllegalArgumentException(
          "fingerprint must be 1..64 bytes, was "
              + (fingerprint == null ? "null" : fingerprint.length + " bytes"));
    }
  }

  private static <R> R join(CompletableFuture<R> f) {
    try {
      return f.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw e;
    }
  }

  /**
   * Rolls back and discards a connection after a failed transaction, so that no transaction state
   * in doubt (an automatic rollback the driver missed) leaks into the next batch.
   */
  static void abandon(Database db, Connection c) {
    try {
      c.rollback();
    } catch (SQLException ignored) {
      // The connection is broken or the transaction already gone; the first error is reported.
    }
    db.discard(c);
  }

  /**
   * Inserts {@code batch} (at most {@link #MAX_BATCH}) as committed spends on {@code c}, in the
   * caller's transaction, with the statement this writer batches them with; for each, whether its
   * row was written (false: a row for its ID existed, or an earlier record of the batch had that
   * ID). For tools that measure what the writer could reach ({@code millicent bench storage}); a
   * service records spends through an open recorder, which keeps the spent set too.
   *
   * @throws SQLException when the database fails
   */
  public static boolean[] insertCommitted(Connection c, Dialect dialect, List<SpendRecord> batch)
      throws SQLException {
    return SpendTable.insertCommitted(c, dialect, batch);
  }

  @Override
  public String toString() {
    return "DurableSpendRecorder[" + mode + " " + db.describe() + "]";
  }
}
