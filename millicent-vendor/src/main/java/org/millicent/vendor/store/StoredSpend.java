package org.millicent.vendor.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.millicent.bytes.ConstantTime;
import org.millicent.purchase.SpendRecorder;
import org.millicent.purchase.SpendRecorder.Claim;
import org.millicent.scrip.Scrip;
import org.millicent.scrip.ScripCodec;
import org.millicent.scrip.ScripId;
import org.millicent.storage.Dialect;

/**
 * A spend of the spent list ({@code vendor_spends}) as read back, and the reads that find it: one
 * row, or a batch's rows in one statement on PostgreSQL. Committed when the price is present;
 * {@code claimedBy} is the replica holding a claim (null: not recorded). The writes are {@link
 * SpendTable}'s.
 */
record StoredSpend(
    byte[] fingerprint,
    @Nullable Long priceMillicents,
    byte @Nullable [] change,
    @Nullable Long claimedBy) {
  private static final String SELECT_ONE =
      "SELECT fingerprint, price_millicents, change, claimed_by FROM vendor_spends"
          + " WHERE scrip_id = ?";

  private static final String PG_SELECT_ANY =
      "SELECT scrip_id, fingerprint, price_millicents, change, claimed_by FROM vendor_spends"
          + " WHERE scrip_id = ANY(?::bigint[])";

  /** The price of the committed spend; only for a row that is {@link #committed()}. */
  long committedPrice() {
    Long p = priceMillicents;
    if (p == null) {
      throw new IllegalStateException("the spend is claimed, not committed: it has no price yet");
    }
    return p;
  }

  boolean committed() {
    return priceMillicents != null;
  }

  /** Whether this is the committed spend of the request with {@code fingerprint}. */
  boolean isCommittedFor(byte[] fingerprint) {
    return committed() && ConstantTime.equal(this.fingerprint, fingerprint);
  }

  Optional<Scrip> decodedChange() {
    return change == null || change.length == 0
        ? Optional.empty()
        : Optional.of(ScripCodec.decode(change));
  }

  /**
   * The answer to a claim or spend of a scrip that already has row {@code s} (null: the row went
   * meanwhile, which is answered as spent, as before): a replay when it is the committed spend of
   * the same request, in progress when it is that request's claim not yet committed, else spent.
   */
  static Claim conflict(@Nullable StoredSpend s, byte[] fingerprint) {
    if (s == null || !ConstantTime.equal(s.fingerprint(), fingerprint)) {
      return new SpendRecorder.AlreadySpent();
    }
    return s.committed()
        ? new SpendRecorder.Replayed(s.committedPrice(), s.decodedChange())
        : new SpendRecorder.InProgress();
  }

  static Optional<StoredSpend> select(Connection c, ScripId id) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(SELECT_ONE)) {
      ps.setLong(1, id.toLong());
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          return Optional.empty();
        }
        byte[] fp = rs.getBytes(1);
        long price = rs.getLong(2);
        Long p = rs.wasNull() ? null : price;
        byte[] change = rs.getBytes(3);
        long by = rs.getLong(4);
        return Optional.of(new StoredSpend(fp, p, change, rs.wasNull() ? null : by));
      }
    }
  }

  /**
   * The stored spends of {@code ids} (those that have a row), read in one statement on PostgreSQL
   * (an {@code = ANY} of the array) and one by one on SQLite (no round trips to save).
   */
  static Map<Long, StoredSpend> selectAll(Connection c, Dialect dialect, List<ScripId> ids)
      throws SQLException {
    Map<Long, StoredSpend> found = new HashMap<>();
    if (dialect != Dialect.POSTGRESQL) {
      for (ScripId id : ids) {
        select(c, id).ifPresent(s -> found.put(id.toLong(), s));
      }
      return found;
    }
    Long[] keys = new Long[ids.size()];
    for (int i = 0; i < keys.length; i++) {
      keys[i] = ids.get(i).toLong();
    }
    try (PreparedStatement ps = c.prepareStatement(PG_SELECT_ANY)) {
      ps.setArray(1, c.createArrayOf("bigint", keys));
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          long price = rs.getLong(3);
          Long p = rs.wasNull() ? null : price;
          byte[] change = rs.getBytes(4);
          long by = rs.getLong(5);
          found.put(
              rs.getLong(1), new StoredSpend(rs.getBytes(2), p, change, rs.wasNull() ? null : by));
        }
      }
    }
    return found;
  }
}
