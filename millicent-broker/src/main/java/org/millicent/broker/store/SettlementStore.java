package org.millicent.broker.store;

import org.jdbi.v3.core.Handle;
import org.millicent.storage.Database;

/**
 * The {@code settlements} table: one row per settlement paid to a licensed vendor. Reads go through
 * {@link Database}'s error translation; the insert takes the books' batch transaction. Thread-safe.
 */
public final class SettlementStore {
  private final Database db;

  /** A store over {@code db}, whose {@code broker} migrations have run. */
  public SettlementStore(Database db) {
    this.db = db;
  }

  /** Records a settlement in the batch's transaction. */
  public static void insert(
      Handle h,
      long id,
      String vendor,
      long atMillis,
      int pieces,
      long valueMillicents,
      long paidMillicents,
      long entryId) {
    h.createUpdate(
            "INSERT INTO settlements (id, vendor, at, pieces, value, paid,"
                + " entry_id) VALUES (?, ?, ?, ?, ?, ?, ?)")
        .bind(0, id)
        .bind(1, vendor)
        .bind(2, atMillis)
        .bind(3, pieces)
        .bind(4, valueMillicents)
        .bind(5, paidMillicents)
        .bind(6, entryId)
        .execute();
  }

  /**
   * The pieces, value and amount paid of {@code vendor}'s settlements in [{@code from}, {@code
   * to}), as {pieces, value, paid}.
   */
  public long[] settled(String vendor, long from, long to) {
    return db.withHandle(
        h ->
            h.createQuery(
                    "SELECT COALESCE(SUM(pieces), 0), COALESCE(SUM(value), 0),"
                        + " COALESCE(SUM(paid), 0) FROM settlements WHERE vendor = ? AND at >= ?"
                        + " AND at < ?")
                .bind(0, vendor)
                .bind(1, from)
                .bind(2, to)
                .map((rs, ctx) -> new long[] {rs.getLong(1), rs.getLong(2), rs.getLong(3)})
                .findOne()
                .orElse(new long[3]));
  }
}
