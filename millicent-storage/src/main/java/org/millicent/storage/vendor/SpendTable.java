package org.millicent.storage.vendor;

import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.List;
import java.util.Optional;
import org.millicent.purchase.SpendRecorder.SpendRecord;
import org.millicent.scrip.Scrip;
import org.millicent.scrip.ScripCodec;
import org.millicent.scrip.ScripId;
import org.millicent.storage.Dialect;

/**
 * The SQL of the spent list ({@code vendor_spends}), in plain JDBC because it is the hot path and
 * is batched. The same statements run on SQLite and PostgreSQL. Stateless and thread-safe.
 */
final class SpendTable {
  static final String INSERT_COMMITTED =
      "INSERT INTO vendor_spends (scrip_id, expires_at, fingerprint, price_millicents, change)"
          + " VALUES (?, ?, ?, ?, ?) ON CONFLICT (scrip_id) DO NOTHING";
  static final String INSERT_CLAIM =
      "INSERT INTO vendor_spends (scrip_id, expires_at, fingerprint, claimed_at)"
          + " VALUES (?, ?, ?, ?) ON CONFLICT (scrip_id) DO NOTHING";
  static final String COMMIT_CLAIM =
      "UPDATE vendor_spends SET price_millicents = ?, change = ?, claimed_at = NULL"
          + " WHERE scrip_id = ? AND fingerprint = ? AND price_millicents IS NULL";
  static final String RELEASE_CLAIM =
      "DELETE FROM vendor_spends WHERE scrip_id = ? AND price_millicents IS NULL";
  static final String SELECT_ONE =
      "SELECT fingerprint, price_millicents, change FROM vendor_spends WHERE scrip_id = ?";

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
      "INSERT INTO vendor_spends (scrip_id, expires_at, fingerprint, claimed_at)"
          + " SELECT u.id, u.exp, u.fp, ? FROM unnest(?::bigint[], ?::bigint[], ?::bytea[])"
          + " AS u(id, exp, fp)"
          + " CROSS JOIN (SELECT set_config('synchronous_commit', 'off', true)) AS relaxed"
          + " ON CONFLICT (scrip_id) DO NOTHING RETURNING scrip_id";

  private SpendTable() {}

  /**
   * Inserts committed spends (embedded mode); for each, whether its row was written (false: a row
   * for the ID already existed). PostgreSQL gets one {@code unnest} statement per batch, SQLite a
   * JDBC batch of prepared inserts (no network round trips to save).
   */
  static boolean[] insertCommitted(Connection c, Dialect dialect, List<SpendRecord> batch)
      throws SQLException {
    int n = batch.size();
    if (dialect == Dialect.POSTGRESQL) {
      Long[] ids = new Long[n];
      Long[] exps = new Long[n];
      byte[][] fps = new byte[n][];
      Long[] prices = new Long[n];
      byte[][] changes = new byte[n][];
      for (int i = 0; i < n; i++) {
        SpendRecord r = batch.get(i);
        ids[i] = r.id().toLong();
        exps[i] = r.expiresAt().getEpochSecond();
        fps[i] = r.fingerprint();
        prices[i] = r.priceMillicents();
        changes[i] = r.change().map(ScripCodec::encode).orElse(null);
      }
      try (PreparedStatement ps = c.prepareStatement(PG_INSERT_COMMITTED)) {
        ps.setArray(1, c.createArrayOf("bigint", ids));
        ps.setArray(2, c.createArrayOf("bigint", exps));
        ps.setArray(3, c.createArrayOf("bytea", fps));
        ps.setArray(4, c.createArrayOf("bigint", prices));
        ps.setArray(5, c.createArrayOf("bytea", changes));
        return written(ps, ids);
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
   * Inserts claim rows (shared mode); for each, whether it was inserted, i.e. the claim won. Of two
   * claims of one ID in a batch only the first can win.
   */
  static boolean[] insertClaims(
      Connection c, Dialect dialect, long[] ids, long[] expiresAt, byte[][] fps, long claimedAt)
      throws SQLException {
    int n = ids.length;
    if (dialect == Dialect.POSTGRESQL) {
      Long[] boxedIds = new Long[n];
      Long[] exps = new Long[n];
      for (int i = 0; i < n; i++) {
        boxedIds[i] = ids[i];
        exps[i] = expiresAt[i];
      }
      boolean[] won;
      try (PreparedStatement ps = c.prepareStatement(PG_INSERT_CLAIMS)) {
        ps.setLong(1, claimedAt);
        ps.setArray(2, c.createArrayOf("bigint", boxedIds));
        ps.setArray(3, c.createArrayOf("bigint", exps));
        ps.setArray(4, c.createArrayOf("bytea", fps));
        won = written(ps, boxedIds);
      }
      // A duplicate ID in one statement is inserted once; only its first claim wins.
      java.util.HashSet<Long> seen = new java.util.HashSet<>();
      for (int i = 0; i < n; i++) {
        if (!seen.add(ids[i])) {
          won[i] = false;
        }
      }
      return won;
    }
    try (PreparedStatement ps = c.prepareStatement(INSERT_CLAIM)) {
      for (int i = 0; i < n; i++) {
        ps.setLong(1, ids[i]);
        ps.setLong(2, expiresAt[i]);
        ps.setBytes(3, fps[i]);
        ps.setLong(4, claimedAt);
        ps.addBatch();
      }
      return positive(ps.executeBatch());
    }
  }

  /**
   * Records price and change on claim rows (shared mode); for each, whether its claim was found
   * (false: released or swept, or already committed).
   */
  static boolean[] commitClaims(Connection c, List<SpendRecord> batch) throws SQLException {
    // One prepared UPDATE per record, sent as one JDBC batch (one round trip on PostgreSQL): each
    // finds its row through the primary key. An UPDATE ... FROM unnest(...) lets the planner
    // pick a scan of the whole table, which grows with the spent list.
    try (PreparedStatement ps = c.prepareStatement(COMMIT_CLAIM)) {
      for (SpendRecord r : batch) {
        ps.setLong(1, r.priceMillicents());
        bindChange(ps, 2, r);
        ps.setLong(3, r.id().toLong());
        ps.setBytes(4, r.fingerprint());
        ps.addBatch();
      }
      return positive(ps.executeBatch());
    }
  }

  /** Runs a {@code RETURNING scrip_id} statement: which of {@code ids} came back. */
  private static boolean[] written(PreparedStatement ps, Long[] ids) throws SQLException {
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

  private static boolean[] positive(int[] counts) {
    boolean[] out = new boolean[counts.length];
    for (int i = 0; i < counts.length; i++) {
      out[i] = counts[i] > 0;
    }
    return out;
  }

  /** A stored spend as read back: committed when the price is present. */
  record Stored(byte[] fingerprint, Long priceMillicents, byte[] change) {
    boolean committed() {
      return priceMillicents != null;
    }

    /** Whether this is the committed spend of the request with {@code fingerprint}. */
    boolean isCommittedFor(byte[] fingerprint) {
      return committed() && MessageDigest.isEqual(this.fingerprint, fingerprint);
    }

    Optional<Scrip> decodedChange() {
      return change == null || change.length == 0
          ? Optional.empty()
          : Optional.of(ScripCodec.decode(change));
    }
  }

  static Optional<Stored> select(Connection c, ScripId id) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(SELECT_ONE)) {
      ps.setLong(1, id.toLong());
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          return Optional.empty();
        }
        byte[] fp = rs.getBytes(1);
        long price = rs.getLong(2);
        Long p = rs.wasNull() ? null : price;
        return Optional.of(new Stored(fp, p, rs.getBytes(3)));
      }
    }
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
}
