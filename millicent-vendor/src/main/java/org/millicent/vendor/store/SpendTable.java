package org.millicent.vendor.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.millicent.purchase.SpendRecorder;
import org.millicent.purchase.SpendRecorder.Claim;
import org.millicent.purchase.SpendRecorder.SpendRecord;
import org.millicent.purchase.SpentSet;
import org.millicent.scrip.ScripCodec;
import org.millicent.scrip.ScripId;
import org.millicent.storage.Dialect;
import org.millicent.storage.GroupCommitter.Outcome;
import org.millicent.storage.StorageException;

/**
 * The SQL of the spent list ({@code vendor_spends}), in plain JDBC because it is the hot path and
 * is batched. The same statements run on SQLite and PostgreSQL. Stateless and thread-safe.
 */
final class SpendTable {
  static final String INSERT_COMMITTED =
      "INSERT INTO vendor_spends (scrip_id, expires_at, fingerprint, price_millicents, change)"
          + " VALUES (?, ?, ?, ?, ?) ON CONFLICT (scrip_id) DO NOTHING";
  static final String INSERT_CLAIM =
      "INSERT INTO vendor_spends (scrip_id, expires_at, fingerprint, claimed_at, claimed_by)"
          + " VALUES (?, ?, ?, ?, ?) ON CONFLICT (scrip_id) DO NOTHING";
  static final String COMMIT_CLAIM =
      "UPDATE vendor_spends SET price_millicents = ?, change = ?, claimed_at = NULL"
          + " WHERE scrip_id = ? AND fingerprint = ? AND price_millicents IS NULL"
          + " AND claimed_by = ?";
  static final String RELEASE_CLAIM =
      "DELETE FROM vendor_spends WHERE scrip_id = ? AND price_millicents IS NULL"
          + " AND claimed_by = ?";

  /** Moves a claim of a dead replica to this one; 1 row when this call took it over. */
  static final String TAKE_OVER_CLAIM =
      "UPDATE vendor_spends SET claimed_by = ?, claimed_at = ?"
          + " WHERE scrip_id = ? AND fingerprint = ? AND price_millicents IS NULL"
          + " AND claimed_by = ?";

  /**
   * The advisory-lock class (first key) of this schema's replica locks: a hash of the schema, so
   * vendors on other schemas of one database, whose replica ids repeat these, never look alive
   * here.
   */
  static final String REPLICA_LOCK_CLASS =
      "SELECT hashtext('millicent-vendor-replica:' || current_schema())";

  /** Whether a replica's advisory lock (class, id) is held, i.e. the replica is alive. */
  static final String REPLICA_ALIVE =
      "SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND granted"
          + " AND database = (SELECT oid FROM pg_database WHERE datname = current_database())"
          + " AND classid = ?::int4::oid AND objid = ?::bigint::oid AND objsubid = 2)";

  private static final String PG_INSERT_COMMITTED =
      "INSERT INTO vendor_spends (scrip_id, expires_at, fingerprint, price_millicents, change)"
          + " SELECT * FROM unnest(?::bigint[], ?::bigint[], ?::bytea[], ?::bigint[], ?::bytea[])"
          + " ON CONFLICT (scrip_id) DO NOTHING RETURNING scrip_id";

  /**
   * Claims, with {@code synchronous_commit} turned off for this transaction inside the same
   * statement (saving the round trip of a separate {@code SET LOCAL}); see {@link #relaxDurability}
   * for why that is safe for claims.
   */
  private static final String PG_INSERT_CLAIMS =
      "INSERT INTO vendor_spends (scrip_id, expires_at, fingerprint, claimed_at, claimed_by)"
          + " SELECT u.id, u.exp, u.fp, ?, ? FROM unnest(?::bigint[], ?::bigint[], ?::bytea[])"
          + " AS u(id, exp, fp)"
          + " CROSS JOIN (SELECT set_config('synchronous_commit', 'off', true)) AS relaxed"
          + " ON CONFLICT (scrip_id) DO NOTHING RETURNING scrip_id";

  private SpendTable() {}

  /**
   * Inserts committed spends; for each, whether its row was written (false: a row for the ID
   * already existed, or an earlier record of this batch had the same ID). PostgreSQL gets one
   * {@code unnest} statement per batch, SQLite a JDBC batch of prepared inserts (no network round
   * trips to save).
   */
  static boolean[] insertCommitted(Connection c, Dialect dialect, List<SpendRecord> batch)
      throws SQLException {
    int n = batch.size();
    if (dialect == Dialect.POSTGRESQL) {
      int[] order = ascending(batch.stream().mapToLong(r -> r.id().toLong()).toArray());
      long[] ids = new long[n];
      long[] exps = new long[n];
      byte[][] fps = new byte[n][];
      long[] prices = new long[n];
      byte[][] changes = new byte[n][];
      for (int i = 0; i < n; i++) {
        SpendRecord r = batch.get(order[i]);
        ids[i] = r.id().toLong();
        exps[i] = r.expiresAt().getEpochSecond();
        fps[i] = r.fingerprint();
        prices[i] = r.priceMillicents();
        changes[i] = r.change().map(ScripCodec::encode).orElse(null);
      }
      try (PreparedStatement ps = c.prepareStatement(PG_INSERT_COMMITTED)) {
        // Primitive and byte[][] arrays: the driver encodes them directly (binary where it can),
        // without boxing every element or building java.sql.Array objects.
        ps.setObject(1, ids);
        ps.setObject(2, exps);
        ps.setObject(3, fps);
        ps.setObject(4, prices);
        ps.setObject(5, changes);
        return inBatchOrder(firstOfEach(written(ps, ids), ids), order);
      }
    }
    try (PreparedStatement ps = c.prepareStatement(INSERT_COMMITTED)) {
      for (SpendRecord r : batch) {
        bindCommitted(ps, r);
        ps.addBatch();
      }
      return positive(ps.executeBatch());
    }
  }

  /**
   * Spends (shared mode): inserts committed rows; a row that conflicts is read back and answered by
   * {@link StoredSpend#conflict}. One answer per record, in order.
   */
  static List<Claim> insertSpends(Connection c, Dialect dialect, List<SpendRecord> batch)
      throws SQLException {
    boolean[] written = insertCommitted(c, dialect, batch);
    List<ScripId> conflicts = new ArrayList<>();
    for (int i = 0; i < written.length; i++) {
      if (!written[i]) {
        conflicts.add(batch.get(i).id());
      }
    }
    Map<Long, StoredSpend> stored =
        conflicts.isEmpty() ? Map.of() : StoredSpend.selectAll(c, dialect, conflicts);
    List<Claim> out = new ArrayList<>(batch.size());
    for (int i = 0; i < batch.size(); i++) {
      SpendRecord r = batch.get(i);
      StoredSpend s = written[i] ? null : stored.get(r.id().toLong());
      out.add(written[i] ? new SpendRecorder.Claimed() : StoredSpend.conflict(s, r.fingerprint()));
    }
    return out;
  }

  /**
   * Inserts claim rows (shared mode); for each, whether it was inserted, i.e. the claim won. Of two
   * claims of one ID in a batch only the first can win.
   */
  static boolean[] insertClaims(
      Connection c,
      Dialect dialect,
      long[] ids,
      long[] expiresAt,
      byte[][] fps,
      long claimedAt,
      long claimedBy)
      throws SQLException {
    int n = ids.length;
    if (dialect == Dialect.POSTGRESQL) {
      int[] order = ascending(ids);
      long[] sortedIds = new long[n];
      long[] sortedExps = new long[n];
      byte[][] sortedFps = new byte[n][];
      for (int i = 0; i < n; i++) {
        sortedIds[i] = ids[order[i]];
        sortedExps[i] = expiresAt[order[i]];
        sortedFps[i] = fps[order[i]];
      }
      try (PreparedStatement ps = c.prepareStatement(PG_INSERT_CLAIMS)) {
        ps.setLong(1, claimedAt);
        ps.setLong(2, claimedBy);
        ps.setObject(3, sortedIds);
        ps.setObject(4, sortedExps);
        ps.setObject(5, sortedFps);
        return inBatchOrder(firstOfEach(written(ps, sortedIds), sortedIds), order);
      }
    }
    try (PreparedStatement ps = c.prepareStatement(INSERT_CLAIM)) {
      for (int i = 0; i < n; i++) {
        ps.setLong(1, ids[i]);
        ps.setLong(2, expiresAt[i]);
        ps.setBytes(3, fps[i]);
        ps.setLong(4, claimedAt);
        ps.setLong(5, claimedBy);
        ps.addBatch();
      }
      return positive(ps.executeBatch());
    }
  }

  /**
   * Records price and change on claim rows (shared mode); for each, whether its claim was found
   * (false: released or swept, or already committed).
   */
  static boolean[] commitClaims(Connection c, List<SpendRecord> batch, long claimedBy)
      throws SQLException {
    // One prepared UPDATE per record, sent as one JDBC batch (one round trip on PostgreSQL): each
    // finds its row through the primary key. An UPDATE ... FROM unnest(...) lets the planner
    // pick a scan of the whole table, which grows with the spent list.
    try (PreparedStatement ps = c.prepareStatement(COMMIT_CLAIM)) {
      for (SpendRecord r : batch) {
        ps.setLong(1, r.priceMillicents());
        bindChange(ps, 2, r);
        ps.setLong(3, r.id().toLong());
        ps.setBytes(4, r.fingerprint());
        ps.setLong(5, claimedBy);
        ps.addBatch();
      }
      return positive(ps.executeBatch());
    }
  }

  /** Runs a {@code RETURNING scrip_id} statement: which of {@code ids} came back. */
  private static boolean[] written(PreparedStatement ps, long[] ids) throws SQLException {
    java.util.HashSet<Long> back = new java.util.HashSet<>();
    try (ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        back.add(rs.getLong(1));
      }
    }
    boolean[] out = new boolean[ids.length];
    for (int i = 0; i < ids.length; i++) {
      out[i] = back.contains(ids[i]);
    }
    return out;
  }

  /**
   * The positions of {@code ids} in ascending order, equal IDs in batch order. A multi-row insert
   * locks each new row until it commits, and waits for a row another transaction is inserting: two
   * replicas inserting overlapping batches in different orders can each wait for the other
   * (PostgreSQL then aborts one with a deadlock). Inserting in ascending ID order everywhere makes
   * the waits one-way.
   */
  static int[] ascending(long[] ids) {
    Integer[] boxed = new Integer[ids.length];
    for (int i = 0; i < ids.length; i++) {
      boxed[i] = i;
    }
    java.util.Arrays.sort(boxed, (x, y) -> Long.compare(ids[x], ids[y])); // stable
    int[] order = new int[ids.length];
    for (int i = 0; i < ids.length; i++) {
      order[i] = boxed[i];
    }
    return order;
  }

  /** Answers computed for the rows in {@code order}, put back at their batch positions. */
  private static boolean[] inBatchOrder(boolean[] sorted, int[] order) {
    boolean[] out = new boolean[sorted.length];
    for (int i = 0; i < sorted.length; i++) {
      out[order[i]] = sorted[i];
    }
    return out;
  }

  /**
   * A duplicate ID in one statement is inserted once, and {@code RETURNING} names it once: only its
   * first record was written.
   */
  private static boolean[] firstOfEach(boolean[] written, long[] ids) {
    java.util.HashSet<Long> seen = new java.util.HashSet<>();
    for (int i = 0; i < ids.length; i++) {
      if (!seen.add(ids[i])) {
        written[i] = false;
      }
    }
    return written;
  }

  private static boolean[] positive(int[] counts) {
    boolean[] out = new boolean[counts.length];
    for (int i = 0; i < counts.length; i++) {
      out[i] = counts[i] > 0;
    }
    return out;
  }

  static void bindCommitted(PreparedStatement ps, SpendRecord r) throws SQLException {
    ps.setLong(1, r.id().toLong());
    ps.setLong(2, r.expiresAt().getEpochSecond());
    ps.setBytes(3, r.fingerprint());
    ps.setLong(4, r.priceMillicents());
    bindChange(ps, 5, r);
  }

  static void bindChange(PreparedStatement ps, int index, SpendRecord r) throws SQLException {
    if (r.change().isPresent()) {
      ps.setBytes(index, ScripCodec.encode(r.change().get()));
    } else {
      ps.setNull(index, Types.BINARY);
    }
  }

  /**
   * Makes the rest of this transaction commit without waiting for the disk, for statements whose
   * loss in a server crash is harmless (claims and releases: a lost claim makes its commit fail,
   * which the caller reports as a failure). A no-op on SQLite, which has no such setting.
   */
  static void relaxDurability(Connection c, Dialect dialect) throws SQLException {
    if (dialect == Dialect.POSTGRESQL) {
      try (Statement st = c.createStatement()) {
        st.execute("SET LOCAL synchronous_commit = off");
      }
    }
  }

  /**
   * Embedded mode, at open: restores the drop horizon into {@code spent}, deletes stray claim rows
   * (claims are rows only in shared mode; in embedded mode nobody else can commit them), marks
   * every committed spend and deletes those that expired before the horizon. Leaves {@code c} with
   * auto-commit off.
   *
   * @return the spends marked
   */
  static long markCommitted(Connection c, SpentSet spent) throws SQLException {
    long horizon = Long.MIN_VALUE;
    try (Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery("SELECT dropped_before FROM vendor_spend_horizon WHERE id = 1")) {
      if (rs.next()) {
        horizon = rs.getLong(1);
        spent.dropExpiredBefore(Instant.ofEpochSecond(horizon));
      }
    }
    try (Statement st = c.createStatement()) {
      st.executeUpdate("DELETE FROM vendor_spends WHERE price_millicents IS NULL");
    }
    long n = 0;
    // Rows expiring before the horizon whose block memory dropped before a crash, or had already
    // dropped when they were written: nothing marks them now, so no later drop would find them.
    List<Long> forgotten = new ArrayList<>();
    c.setAutoCommit(false); // PostgreSQL streams with a fetch size only inside a transaction.
    try (Statement st = c.createStatement()) {
      st.setFetchSize(10_000);
      try (ResultSet rs = st.executeQuery("SELECT scrip_id, expires_at FROM vendor_spends")) {
        while (rs.next()) {
          long id = rs.getLong(1);
          long expires = rs.getLong(2);
          if (expires < horizon) {
            forgotten.add(id);
          } else {
            spent.mark(ScripId.fromLong(id), Instant.ofEpochSecond(expires));
            n++;
          }
        }
      }
    }
    c.commit();
    try (PreparedStatement ps =
        c.prepareStatement("DELETE FROM vendor_spends WHERE scrip_id = ?")) {
      for (int i = 0; i < forgotten.size(); i++) {
        ps.setLong(1, forgotten.get(i));
        ps.addBatch();
        if ((i + 1) % 10_000 == 0 || i + 1 == forgotten.size()) {
          ps.executeBatch();
          c.commit();
        }
      }
    }
    return n;
  }

  /** Writes the embedded list's committed spends: true once durable, failed on another's row. */
  static List<Outcome<Boolean>> writeCommitted(
      Connection c, Dialect dialect, List<SpendRecord> batch) throws SQLException {
    // On PostgreSQL one statement in autocommit is its own durable transaction: one round
    // trip per batch. SQLite writes a JDBC batch of inserts in a transaction.
    boolean oneStatement = dialect == Dialect.POSTGRESQL;
    c.setAutoCommit(oneStatement);
    boolean[] written = insertCommitted(c, dialect, batch);
    List<Outcome<Boolean>> results = new ArrayList<>(batch.size());
    for (int i = 0; i < batch.size(); i++) {
      results.add(written[i] ? Outcome.ok(true) : conflictOutcome(c, batch.get(i)));
    }
    if (!oneStatement) {
      c.commit();
    }
    return results;
  }

  /** A row already existed: fine if it is this very spend (an earlier in-doubt commit). */
  private static Outcome<Boolean> conflictOutcome(Connection c, SpendRecord r) throws SQLException {
    Optional<StoredSpend> s = StoredSpend.select(c, r.id());
    if (s.isPresent() && s.get().isCommittedFor(r.fingerprint())) {
      return Outcome.ok(true);
    }
    return Outcome.failed(
        new StorageException(
            StorageException.FAILED,
            "scrip " + r.id() + " already has a spend record of another request; not committed"));
  }
}
