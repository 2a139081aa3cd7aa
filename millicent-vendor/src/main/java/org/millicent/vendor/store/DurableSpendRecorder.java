package org.millicent.vendor.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.millicent.purchase.SpendRecorder;
import org.millicent.purchase.SpentSet;
import org.millicent.scrip.ScripId;
import org.millicent.storage.Database;
import org.millicent.storage.DatabaseConfig;
import org.millicent.storage.Dialect;
import org.millicent.storage.StorageException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The vendor's durable spent list (docs/PROTOCOL.md, "Spent list"; docs/STORAGE.md).
 *
 * <p>Two modes, one class each. {@link Mode#EMBEDDED} (the default on SQLite, {@link
 * EmbeddedSpendRecorder}): this process owns the spent list; claims are decided in memory by the
 * core's {@link SpentSet} (one bit per serial, rebuilt from the table at start), and {@link
 * #commit} writes the spend row by group commit: one writer thread writes everything committed
 * while the previous batch was on its way to disk in one transaction, so many concurrent spends
 * share one fsync; each commit returns only once its batch is durable. {@link Mode#SHARED} (the
 * default on PostgreSQL, {@link SharedSpendRecorder}): several processes share the table and the
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
public abstract sealed class DurableSpendRecorder implements SpendRecorder, AutoCloseable
    permits EmbeddedSpendRecorder, SharedSpendRecorder {
  static final Logger log = LoggerFactory.getLogger(DurableSpendRecorder.class);

  /** Most records written in one transaction. */
  public static final int MAX_BATCH = 4096;

  /** Claims older than this are taken as left by a crashed process and released at open. */
  public static final Duration STALE_CLAIM_AGE = Duration.ofMinutes(15);

  static final Claimed CLAIMED = new Claimed();

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

  final Database db;
  final InstantSource clock;

  DurableSpendRecorder(Database db, InstantSource clock) {
    this.db = db;
    this.clock = clock;
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
    return switch (mode) {
      case EMBEDDED -> EmbeddedSpendRecorder.open(db, clock, writers(db, mode));
      case SHARED -> {
        VendorSchema.migrate(db);
        yield new SharedSpendRecorder(db, clock, writers(db, mode));
      }
    };
  }

  /**
   * Writer threads per group committer. SQLite has one write lock per file: one writer. PostgreSQL
   * overlaps two batches (one is written while the other waits for its flush); more writers make
   * smaller batches, which cost the server more CPU per spend than the overlap gains
   * (docs/PERFORMANCE.md, "Storage"). A shared replica on PostgreSQL keeps one connection for its
   * advisory lock.
   */
  private static int writers(Database db, Mode mode) {
    return db.config() instanceof DatabaseConfig.Postgres p
        ? Math.max(1, Math.min(2, p.maxPoolSize() - (mode == Mode.SHARED ? 1 : 0)))
        : 1;
  }

  /** The mode in use. */
  public abstract Mode mode();

  /** The in-memory spent set (empty in shared mode), to inspect its size. */
  public abstract SpentSet spentSet();

  /** Counters since open; commits count spends too (each is committed in its batch). */
  public abstract Stats stats();

  /** This replica's id (0 unless shared mode on PostgreSQL). */
  public long replicaId() {
    return 0;
  }

  /**
   * The first key of this replica's advisory lock, {@code pg_advisory_lock(class, id)}, as {@code
   * pg_locks.classid} shows it (0 unless shared mode on PostgreSQL).
   */
  public long replicaLockClass() {
    return 0;
  }

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
  public final Claim spend(SpendRecord record) {
    return join(spendAsync(record));
  }

  /**
   * {@link #spend} without waiting: the future completes with the answer once it is durable, or
   * fails with a {@link StorageException} (then nothing is reported durable). For servers that keep
   * many purchases in flight per thread. In embedded mode a double spend or replay is answered
   * before this returns.
   */
  public abstract CompletableFuture<Claim> spendAsync(SpendRecord record);

  /**
   * {@inheritDoc}
   *
   * <p>Waits for the batch holding this record to be committed (and, on SQLite, fsync'd).
   *
   * @throws StorageException when the batch failed: the spend is not durable and the caller must
   *     release it and not deliver
   */
  @Override
  public final void commit(SpendRecord record) {
    join(commitAsync(record));
  }

  /**
   * Queues a claimed spend for the next batch; the future completes once it is durable, or fails
   * with a {@link StorageException} when it could not be made durable. For servers that keep many
   * purchases in flight per thread.
   */
  public abstract CompletableFuture<Void> commitAsync(SpendRecord record);

  /**
   * {@inheritDoc}
   *
   * <p>Never throws: in shared mode, a claim row that cannot be deleted now (the database is
   * unreachable) stays until the stale-claim sweep, which runs every few minutes, deletes it.
   */
  @Override
  public abstract void release(ScripId id);

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
  public final int dropExpiredBefore(Instant horizon) {
    SpendExpiry.recordHorizon(db, horizon);
    return dropExpired(horizon);
  }

  /** {@link #dropExpiredBefore} once the horizon is recorded. */
  abstract int dropExpired(Instant horizon);

  /**
   * The sweep runs every minute: only one that dropped something is worth an INFO line.
   *
   * @param blocks memory blocks dropped (embedded mode), or -1 (shared mode has none)
   */
  static void logDropped(Instant horizon, long rows, int blocks) {
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

  /** Writes every commit already queued, then stops the writer threads. Idempotent. */
  @Override
  public abstract void close();

  static SpendRecord copyOf(SpendRecord r) {
    return new SpendRecord(
        r.id(), r.expiresAt(), r.fingerprint().clone(), r.priceMillicents(), r.change());
  }

  static void checkFingerprint(byte[] fingerprint) {
    if (fingerprint == null || fingerprint.length == 0 || fingerprint.length > 64) {
      throw new IllegalArgumentException(
          "fingerprint must be 1..64 bytes, was "
              + (fingerprint == null ? "null" : fingerprint.length + " bytes"));
    }
  }

  static <R> R join(CompletableFuture<R> f) {
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
   * Inserts {@code batch} (at most {@link #MAX_BATCH}) as committed spends on {@code c}, in the
   * caller's transaction, with the statement the embedded writer batches them with; for each,
   * whether its row was written (false: a row for its ID existed, or an earlier record of the batch
   * had that ID). For tools that measure what the writer could reach ({@code millicent bench
   * storage}, through {@link Database#withConnection}); a service records spends through an open
   * recorder, which keeps the spent set too.
   *
   * @throws SQLException when the database fails
   */
  public static boolean[] insertCommitted(Connection c, Dialect dialect, List<SpendRecord> batch)
      throws SQLException {
    return SpendTable.insertCommitted(c, dialect, batch);
  }

  @Override
  public String toString() {
    return "DurableSpendRecorder[" + mode() + " " + db.describe() + "]";
  }
}
