package org.millicent.broker.testing;

import org.millicent.storage.Database;

/**
 * What a test reads straight from a broker's books table {@code issued_scrip}: the value of one
 * issuer's scrip in one state (0 outstanding, 1 spent), to check the books against what happened.
 * Shipped in millicent-broker's test-jar.
 */
public final class IssuedScripTotals {
  private IssuedScripTotals() {}

  /** The total value, in millicents, of {@code issuer}'s issued scrip in {@code state}. */
  public static long inState(Database db, String issuer, int state) {
    return db.withHandle(
        h ->
            h.createQuery(
                    "SELECT COALESCE(SUM(value), 0) FROM issued_scrip WHERE issuer = ?"
                        + " AND state = ?")
                .bind(0, issuer)
                .bind(1, state)
                .mapTo(Long.class)
                .one());
  }
}
