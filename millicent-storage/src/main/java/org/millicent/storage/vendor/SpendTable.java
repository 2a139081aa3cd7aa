package org.millicent.storage.vendor;

import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
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

  private SpendTable() {}

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
