package org.millicent.vendor.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;
import org.millicent.bytes.ConstantTime;
import org.millicent.failure.Causes;
import org.millicent.purchase.SpentSet;
import org.millicent.scrip.ScripCodec;
import org.millicent.scrip.ScripId;
import org.millicent.storage.Database;
import org.millicent.storage.DatabaseConfig;
import org.millicent.storage.Dialect;
import org.millicent.storage.GroupCommitter;
import org.millicent.storage.GroupCommitter.Outcome;
import org.millicent.storage.StorageException;

/**
 * The spent list in {@link Mode#SHARED} mode: several processes share the table and the database
 * decides (docs/STORAGE.md, "The spent list"). Claims, commits and spends are group-committed
 * statements whose conflicts tell a replay from a double spend; on PostgreSQL each replica holds an
 * advisory lock for its lifetime, so a claim left by a replica that died is taken over at once.
 * Thread-safe.
 */
final class SharedSpendRecorder extends DurableSpendRecorder {
  private record ClaimRequest(ScripId id, Instant expiresAt, byte[] fingerprint) {}

  /** A replica's id and the connection holding its advisory lock. */
  private record ReplicaLock(Connection connection, int lockClass, long id) {}

  private final SpentSet none = new SpentSet(); // never marked: the database decides

  private final GroupCommitter<ClaimRequest, Claim> claims;
  private final GroupCommitter<SpendRecord, Boolean> commits;
  private final GroupCommitter<SpendRecord, Claim> spends;
  private final ScheduledExecutorService sweeper;

  /**
   * On PostgreSQL: this replica's id, stamped on its claims, the connection that holds its advisory
   * lock for as long as the recorder is open, and the lock's class; 0 and null otherwise.
   */
  private final long replicaId;

  private final @Nullable Connection replicaLock;
  private final int lockClass;
  private final AtomicBoolean closed = new AtomicBoolean();

  /** Opens the spent list of a migrated {@code db}. */
  SharedSpendRecorder(Database db, InstantSource clock, int writers) {
    super(db, clock);
    if (db.config() instanceof DatabaseConfig.Postgres p && p.maxPoolSize() < 2) {
      throw new IllegalArgumentException(
          "a shared spent list needs a pool of at least 2 connections (one holds the replica's"
              + " lock), found "
              + p.maxPoolSize());
    }
    if (db.dialect() == Dialect.POSTGRESQL) {
      ReplicaLock lock = lockReplica(db);
      this.replicaLock = lock.connection();
      this.replicaId = lock.id();
      this.lockClass = lock.lockClass();
    } else {
      this.replicaLock = null;
      this.replicaId = 0;
      this.lockClass = 0;
    }
    releaseStaleClaims(clock.instant().minus(STALE_CLAIM_AGE));
    this.sweeper =
        Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("spend-claim-sweep").daemon(true).factory());
    long period = STALE_CLAIM_AGE.toSeconds() / 3;
    var unused =
        sweeper.scheduleWithFixedDelay(this::sweepQuietly, period, period, TimeUnit.SECONDS);
    this.claims =
        GroupCommitter.start(
            "spend-claim", writers, MAX_BATCH, false, this::writeClaims, db::translate);
    this.commits =
        GroupCommitter.start(
            "spend-commit", writers, MAX_BATCH, false, this::writeCommitUpdates, db::translate);
    this.spends =
        GroupCommitter.start("spend", writers, MAX_BATCH, false, this::writeSpends, db::translate);
  }

  /**
   * Takes a new replica id and holds its session-level advisory lock on a connection of its own,
   * for the recorder's lifetime: while it is held the replica is alive, and its claims are its own.
   */
  private static ReplicaLock lockReplica(Database db) {
    Connection c = db.openConnection();
    try {
      c.setAutoCommit(true);
      long id;
      try (PreparedStatement ps = c.prepareStatement("SELECT nextval('vendor_replica_ids')");
          ResultSet rs = ps.executeQuery()) {
        rs.next();
        id = rs.getLong(1);
      }
      if (id > Integer.MAX_VALUE) {
        throw new IllegalStateException("replica ids exhausted: " + id);
      }
      int lockClass;
      try (PreparedStatement ps = c.prepareStatement(SpendTable.REPLICA_LOCK_CLASS);
          ResultSet rs = ps.executeQuery()) {
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
      db.discard(c);
      throw db.translate(e);
    }
  }

  @Override
  public Mode mode() {
    return Mode.SHARED;
  }

  @Override
  public SpentSet spentSet() {
    return none;
  }

  @Override
  public long replicaId() {
    return replicaId;
  }

  @Override
  public long replicaLockClass() {
    return Integer.toUnsignedLong(lockClass);
  }

  @Override
  public Stats stats() {
    return new Stats(
        commits.batches() + spends.batches(),
        commits.items() + spends.items(),
        commits.failedBatches() + claims.failedBatches() + spends.failedBatches(),
        claims.batches());
  }

  // ------------------------------------------------------------------ claim

  /**
   * {@inheritDoc}
   *
   * @throws StorageException when the database cannot decide
   */
  @Override
  public Claim claim(ScripId id, Instant expiresAt, byte[] fingerprint) {
    checkFingerprint(fingerprint);
    return join(claims.submit(new ClaimRequest(id, expiresAt, fingerprint.clone())));
  }

  private List<Outcome<Claim>> writeClaims(List<ClaimRequest> batch) {
    return db.withConnection(
        c -> {
          c.setAutoCommit(false);
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
          List<Outcome<Claim>> results = new ArrayList<>(n);
          for (int i = 0; i < n; i++) {
            ClaimRequest e = batch.get(i);
            if (won[i]) {
              results.add(Outcome.ok(new Claimed()));
            } else {
              StoredSpend s = StoredSpend.select(c, e.id()).orElse(null);
              Claim answer = StoredSpend.conflict(s, e.fingerprint());
              if (answer instanceof InProgress && s != null && takeOverIfOwnerDied(c, e, s, now)) {
                answer = new Claimed();
              }
              results.add(Outcome.ok(answer));
            }
          }
          c.commit();
          return results;
        });
  }

  /**
   * An identical request's claim whose replica died (its advisory lock is free) is taken over by
   * this replica: the retry then completes here instead of waiting for the stale-claim sweep. Of
   * several replicas taking over one claim, the conditional update lets exactly one win.
   */
  private boolean takeOverIfOwnerDied(Connection c, ClaimRequest e, StoredSpend s, long now)
      throws SQLException {
    if (replicaLock == null || s.claimedBy() == null || s.claimedBy() == replicaId) {
      return false;
    }
    try (PreparedStatement ps = c.prepareStatement(SpendTable.REPLICA_ALIVE)) {
      ps.setInt(1, lockClass);
      ps.setLong(2, s.claimedBy());
      try (ResultSet rs = ps.executeQuery()) {
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

  @Override
  public CompletableFuture<Claim> spendAsync(SpendRecord record) {
    checkFingerprint(record.fingerprint());
    return spends.submit(copyOf(record));
  }

  /**
   * Inserts the batch's committed rows in one durable transaction; a row that conflicts is read
   * back: the committed spend of the same request is a replay, anything else (another request's
   * spend, or a claim in flight on another replica) is spent.
   */
  private List<Outcome<Claim>> writeSpends(List<SpendRecord> batch) {
    return db.withConnection(
        c -> {
          // PostgreSQL inserts a batch in one statement, so in autocommit it is its own durable
          // transaction: one round trip per batch, where BEGIN ... COMMIT needs two. Conflicts are
          // read afterwards, from committed rows. SQLite writes a JDBC batch in a transaction.
          boolean oneStatement = db.dialect() == Dialect.POSTGRESQL;
          c.setAutoCommit(oneStatement);
          List<Outcome<Claim>> results = new ArrayList<>(batch.size());
          for (Claim claim : SpendTable.insertSpends(c, db.dialect(), batch)) {
            results.add(Outcome.ok(claim));
          }
          if (!oneStatement) {
            c.commit();
          }
          return results;
        });
  }

  // ----------------------------------------------------------------- commit

  @Override
  public CompletableFuture<Void> commitAsync(SpendRecord record) {
    checkFingerprint(record.fingerprint());
    return commits.submit(copyOf(record)).thenApply(ok -> null);
  }

  private List<Outcome<Boolean>> writeCommitUpdates(List<SpendRecord> batch) {
    return db.withConnection(
        c -> {
          c.setAutoCommit(false);
          boolean[] found = SpendTable.commitClaims(c, batch, replicaId);
          List<Outcome<Boolean>> results = new ArrayList<>(batch.size());
          for (int i = 0; i < batch.size(); i++) {
            SpendRecord r = batch.get(i);
            if (found[i]) {
              results.add(Outcome.ok(true));
            } else {
              Optional<StoredSpend> s = StoredSpend.select(c, r.id());
              results.add(
                  s.isPresent() && isThisCommit(s.get(), r)
                      ? Outcome.ok(true)
                      : Outcome.failed(
                          new StorageException(
                              StorageException.FAILED,
                              "the claim of scrip "
                                  + r.id()
                                  + " was not found (released, or swept as stale); not"
                                  + " committed")));
            }
          }
          c.commit();
          return results;
        });
  }

  /**
   * Whether a committed row is this very record (an earlier in-doubt commit of it), not the commit
   * of a replica that took the claim over and issued other change: then this one must not deliver.
   */
  private static boolean isThisCommit(StoredSpend s, SpendRecord r) {
    return s.isCommittedFor(r.fingerprint())
        && ConstantTime.equal(s.change(), r.change().map(ScripCodec::encode).orElse(null));
  }

  // ---------------------------------------------------------------- release

  @Override
  public void release(ScripId id) {
    try {
      db.withConnection(
          c -> {
            c.setAutoCommit(false);
            SpendTable.relaxDurability(c, db.dialect());
            try (PreparedStatement ps = c.prepareStatement(SpendTable.RELEASE_CLAIM)) {
              ps.setLong(1, id.toLong());
              ps.setLong(2, replicaId);
              ps.executeUpdate();
            }
            c.commit();
            return Boolean.TRUE; // nothing to answer: the claim is released or was not ours
          });
    } catch (StorageException e) {
      // Safe to leave: the claim blocks only this scrip, until the stale-claim sweep frees it.
      log.warn(
          "Claim of scrip {} could not be released now and will be swept after {}: {}",
          id,
          STALE_CLAIM_AGE,
          e.getMessage());
    }
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

  /** Every committed row expiring before the horizon, through the {@code expires_at} index. */
  @Override
  int dropExpired(Instant horizon) {
    long rows = SpendExpiry.deleteExpired(db, horizon);
    logDropped(horizon, rows, -1);
    return (int) Math.min(Integer.MAX_VALUE, rows);
  }

  @Override
  public void close() {
    sweeper.shutdownNow();
    claims.close();
    spends.close();
    commits.close();
    if (replicaLock != null && closed.compareAndSet(false, true)) {
      // Unlocked first: the pool closes a discarded connection on a thread of its own, so the
      // session (and with it the lock) may outlive close() by a moment, and an identical retry on
      // another replica would find this one still alive. Then closed, not returned to the pool.
      try (PreparedStatement ps = replicaLock.prepareStatement("SELECT pg_advisory_unlock(?, ?)")) {
        ps.setInt(1, lockClass);
        ps.setInt(2, (int) replicaId);
        ps.execute();
      } catch (SQLException e) {
        log.debug(
            "Could not release replica {}'s lock; its session's end will: {}",
            replicaId,
            e.toString());
      }
      db.discard(replicaLock);
    }
  }
}
