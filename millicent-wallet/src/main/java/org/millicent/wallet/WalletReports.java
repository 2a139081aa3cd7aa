package org.millicent.wallet;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/**
 * The wallet's reports from its tables: the payment history and the books over the wallet's life.
 * Queries only, on a {@link Handle} {@link WalletStore} opens. Stateless and thread-safe.
 */
final class WalletReports {
  private WalletReports() {}

  /** The last {@code limit} payments, oldest first. */
  static List<HistoryEntry> history(Handle h, int limit) {
    return h.createQuery(
            "SELECT id, kind, vendor, method, url, state, offered_price, price,"
                + " change_value, outcome, detail, started_at, finished_at FROM payments"
                + " ORDER BY id DESC LIMIT ?")
        .bind(0, limit)
        .map(
            (rs, ctx) ->
                new HistoryEntry(
                    rs.getLong(1),
                    rs.getString(2),
                    rs.getString(3),
                    rs.getString(4),
                    rs.getString(5),
                    rs.getString(6),
                    rs.getLong(7),
                    optionalLong(rs, 8),
                    optionalLong(rs, 9),
                    Optional.ofNullable(rs.getString(10)),
                    Optional.ofNullable(rs.getString(11)),
                    Instant.ofEpochMilli(rs.getLong(12)),
                    optionalLong(rs, 13).map(Instant::ofEpochMilli)))
        .list()
        .reversed();
  }

  private static Optional<Long> optionalLong(java.sql.ResultSet rs, int column)
      throws java.sql.SQLException {
    long v = rs.getLong(column);
    return rs.wasNull() ? Optional.empty() : Optional.of(v);
  }

  /** The wallet's books: bought, paid, held, in flight and lost. */
  static WalletTotals totals(Handle h) {
    long bought =
        h.createQuery(
                "SELECT COALESCE(SUM(price), 0) FROM payments WHERE kind = 'buy'"
                    + " AND state = 'done'")
            .mapTo(Long.class)
            .one();
    long paid =
        h.createQuery(
                "SELECT COALESCE(SUM(price), 0) FROM payments WHERE kind = 'purchase'"
                    + " AND state = 'done'")
            .mapTo(Long.class)
            .one();
    long purchases =
        h.createQuery("SELECT COUNT(*) FROM payments WHERE kind = 'purchase' AND state = 'done'")
            .mapTo(Long.class)
            .one();
    long held = stateValue(h, "available");
    long inFlight = stateValue(h, "in-flight");
    long lost =
        stateValue(h, "void")
            + h.createQuery(
                    "SELECT COALESCE(SUM(value), 0) FROM scrip WHERE state = 'spent'"
                        + " AND payment_id IN (SELECT id FROM payments"
                        + " WHERE state = 'failed')")
                .mapTo(Long.class)
                .one();
    return new WalletTotals(bought, paid, held, inFlight, lost, purchases);
  }

  private static long stateValue(Handle h, String state) {
    return h.createQuery("SELECT COALESCE(SUM(value), 0) FROM scrip WHERE state = ?")
        .bind(0, state)
        .mapTo(Long.class)
        .one();
  }
}
