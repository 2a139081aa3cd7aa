package org.millicent.vendor.store;

import java.time.Instant;
import org.millicent.purchase.SpentSet;
import org.millicent.scrip.ScripId;
import org.millicent.storage.Database;

/**
 * The SQL that forgets expired spends (docs/STORAGE.md, "Expiry"): the recorded horizon, and the
 * deletes, each in small transactions so that commits are not held up. Stateless.
 */
final class SpendExpiry {
  /** Rows deleted per transaction in shared mode. */
  private static final int DELETE_CHUNK = 10_000;

  /** Serials of a dropped block deleted per transaction (embedded mode). */
  private static final int DELETE_SLICE = 8_192;

  private SpendExpiry() {}

  /** Raises the stored horizon to {@code horizon}: scrip expiring before it stays refused. */
  static void recordHorizon(Database db, Instant horizon) {
    long h = horizon.getEpochSecond();
    db.inTransaction(
        t -> {
          Long old =
              t.createQuery("SELECT dropped_before FROM vendor_spend_horizon WHERE id = 1")
                  .mapTo(Long.class)
                  .findOne()
                  .orElse(null);
          if (old == null) {
            t.execute("INSERT INTO vendor_spend_horizon (id, dropped_before) VALUES (1, ?)", h);
          } else if (old < h) {
            t.execute("UPDATE vendor_spend_horizon SET dropped_before = ? WHERE id = 1", h);
          }
          return null;
        });
  }

  /**
   * Embedded mode: deletes the committed rows of one dropped memory block ({@link
   * SpentSet#BLOCK_SERIALS} serials from {@code first}) by primary-key range.
   *
   * @return rows deleted
   */
  static long deleteBlock(Database db, ScripId first) {
    long rows = 0;
    for (long from = 0; from < SpentSet.BLOCK_SERIALS; from += DELETE_SLICE) {
      long lo = first.serial() + from;
      if (lo > ScripId.MAX_SERIAL) {
        break;
      }
      long hi = Math.min(lo + DELETE_SLICE - 1, ScripId.MAX_SERIAL);
      long a = new ScripId(first.keyId(), lo).toLong();
      long b = new ScripId(first.keyId(), hi).toLong();
      rows +=
          db.withHandle(
              t ->
                  t.createUpdate(
                          "DELETE FROM vendor_spends WHERE scrip_id BETWEEN :a AND :b"
                              + " AND price_millicents IS NOT NULL")
                      .bind("a", a)
                      .bind("b", b)
                      .execute());
    }
    return rows;
  }

  /**
   * Shared mode: deletes every committed row expiring before {@code horizon}, through the {@code
   * expires_at} index.
   *
   * @return rows deleted
   */
  static long deleteExpired(Database db, Instant horizon) {
    long h = horizon.getEpochSecond();
    long rows = 0;
    while (true) {
      int n =
          db.withHandle(
              t ->
                  t.createUpdate(
                          "DELETE FROM vendor_spends WHERE scrip_id IN (SELECT scrip_id FROM"
                              + " vendor_spends WHERE expires_at < :h AND price_millicents IS NOT"
                              + " NULL LIMIT "
                              + DELETE_CHUNK
                              + ")")
                      .bind("h", h)
                      .execute());
      rows += n;
      if (n < DELETE_CHUNK) {
        return rows;
      }
    }
  }
}
