package org.millicent.broker.store;

import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.millicent.broker.accounts.Statement;
import org.millicent.broker.books.IssuedScrip;
import org.millicent.storage.Database;

/**
 * Customer statements: the {@code statements} table, the mark of the periods closed so far (in
 * {@code broker_meta}) and the figures of one period. Reads go through {@link Database}'s error
 * translation; the writes take the books' batch transaction. Thread-safe.
 */
public final class StatementStore {
  private final Database db;

  /** A store over {@code db}, whose {@code broker} migrations have run. */
  public StatementStore(Database db) {
    this.db = db;
  }

  /**
   * {@code customerId}'s statement for the period {@code label} = [{@code from}, {@code to}): the
   * sales per issuer, their total, the payments, the collection once the period is closed, and the
   * broker {@code brokerId}'s scrip that expired unspent.
   */
  public Statement statement(long customerId, String brokerId, String label, long from, long to) {
    return db.withHandle(
        h -> {
          List<Statement.VendorCharges> charges =
              h.createQuery(
                      "SELECT issuer, COUNT(*), SUM(value) FROM issued_scrip"
                          + " WHERE customer_id = ? AND kind = 'sale' AND issued_at >= ?"
                          + " AND issued_at < ? GROUP BY issuer ORDER BY issuer")
                  .bind(0, customerId)
                  .bind(1, from)
                  .bind(2, to)
                  .map(
                      (rs, ctx) ->
                          new Statement.VendorCharges(
                              rs.getString(1), rs.getLong(2), rs.getLong(3)))
                  .list();
          long payments =
              h.createQuery(
                      "SELECT COALESCE(SUM(amount), 0) FROM account_payments"
                          + " WHERE customer_id = ? AND at >= ? AND at < ?")
                  .bind(0, customerId)
                  .bind(1, from)
                  .bind(2, to)
                  .mapTo(Long.class)
                  .one();
          Optional<Long> collected =
              h.createQuery("SELECT collected FROM statements WHERE customer_id = ? AND period = ?")
                  .bind(0, customerId)
                  .bind(1, label)
                  .mapTo(Long.class)
                  .findOne();
          long expired =
              h.createQuery(
                      "SELECT COALESCE(SUM(value), 0) FROM issued_scrip WHERE customer_id = ?"
                          + " AND issuer = ? AND state = "
                          + IssuedScrip.EXPIRED
                          + " AND expires_at >= ? AND expires_at < ?")
                  .bind(0, customerId)
                  .bind(1, brokerId)
                  .bind(2, from)
                  .bind(3, to)
                  .mapTo(Long.class)
                  .one();
          long total = charges.stream().mapToLong(Statement.VendorCharges::amountMillicents).sum();
          return new Statement(
              customerId,
              label,
              from,
              to,
              charges,
              total,
              payments,
              collected.isPresent(),
              collected.orElse(0L),
              expired);
        });
  }

  /** The start of the first period not closed yet (epoch millis), once statements were closed. */
  public Optional<Long> closedBefore() {
    return db.withHandle(
        h ->
            h.createQuery("SELECT value FROM broker_meta WHERE name = 'statements_closed_before'")
                .mapTo(String.class)
                .findOne()
                .map(Long::parseLong));
  }

  /** When the first sale was issued (epoch millis), if any. */
  public Optional<Long> firstSale() {
    return db.withHandle(
        h ->
            h.createQuery("SELECT MIN(issued_at) FROM issued_scrip WHERE kind = 'sale'")
                .mapTo(Long.class)
                .findOne());
  }

  /**
   * The customers charged for sales in [{@code from}, {@code to}) whose statement for {@code label}
   * is not closed, with what they were charged, as {customer, charged}.
   */
  public List<long[]> unclosedCharges(String label, long from, long to) {
    return db.withHandle(
        h ->
            h.createQuery(
                    "SELECT s.customer_id, SUM(s.value) FROM issued_scrip s"
                        + " WHERE s.kind = 'sale' AND s.issued_at >= ? AND s.issued_at < ?"
                        + " AND NOT EXISTS (SELECT 1 FROM statements t"
                        + " WHERE t.customer_id = s.customer_id AND t.period = ?)"
                        + " GROUP BY s.customer_id")
                .bind(0, from)
                .bind(1, to)
                .bind(2, label)
                .map((rs, ctx) -> new long[] {rs.getLong(1), rs.getLong(2)})
                .list());
  }

  /** Records the closed-before mark in the batch's transaction. */
  public static void markClosedBefore(Handle h, long startMillis) {
    h.createUpdate(
            "INSERT INTO broker_meta (name, value) VALUES"
                + " ('statements_closed_before', ?) ON CONFLICT (name) DO UPDATE"
                + " SET value = excluded.value")
        .bind(0, Long.toString(startMillis))
        .execute();
  }

  /** Records a closed statement in the batch's transaction. */
  public static void insert(
      Handle h, long customerId, String label, long charged, long collected, long closedAtMillis) {
    h.createUpdate(
            "INSERT INTO statements (customer_id, period, charged, collected,"
                + " closed_at) VALUES (?, ?, ?, ?, ?)")
        .bind(0, customerId)
        .bind(1, label)
        .bind(2, charged)
        .bind(3, collected)
        .bind(4, closedAtMillis)
        .execute();
  }
}
