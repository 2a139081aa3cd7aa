package org.millicent.broker.store;

import java.util.List;
import org.jdbi.v3.core.Handle;
import org.millicent.storage.Database;

/**
 * Customer accounts: the {@code customers} and {@code account_payments} tables, and what a customer
 * was charged. Reads go through {@link Database}'s error translation; the inserts take the books'
 * batch transaction. Thread-safe.
 */
public final class AccountStore {
  private final Database db;

  /** A store over {@code db}, whose {@code broker} migrations have run. */
  public AccountStore(Database db) {
    this.db = db;
  }

  /** Every customer. */
  public List<CustomerRow> customers() {
    return db.withHandle(
        h ->
            h.createQuery(
                    "SELECT customer_id, name, provider, credit_limit, created_at"
                        + " FROM customers")
                .map(
                    (rs, ctx) ->
                        new CustomerRow(
                            rs.getLong(1),
                            rs.getString(2),
                            rs.getString(3),
                            rs.getLong(4),
                            rs.getLong(5)))
                .list());
  }

  /**
   * Records a new customer, whose ledger account is {@code accountId}, in the batch's transaction.
   */
  public static void insertCustomer(Handle h, CustomerRow c, long accountId) {
    h.createUpdate(
            "INSERT INTO customers (customer_id, name, provider,"
                + " credit_limit, account_id, created_at)"
                + " VALUES (?, ?, ?, ?, ?, ?)")
        .bind(0, c.id())
        .bind(1, c.name())
        .bind(2, c.provider())
        .bind(3, c.creditLimitMillicents())
        .bind(4, accountId)
        .bind(5, c.createdAtMillis())
        .execute();
  }

  /** Records a top-up in the batch's transaction. */
  public static void insertTopUp(
      Handle h, long paymentId, long customerId, long atMillis, long amount, long entryId) {
    h.createUpdate(
            "INSERT INTO account_payments (id, customer_id, at, kind,"
                + " amount, period, entry_id) VALUES (?, ?, ?, 'topup',"
                + " ?, NULL, ?)")
        .bind(0, paymentId)
        .bind(1, customerId)
        .bind(2, atMillis)
        .bind(3, amount)
        .bind(4, entryId)
        .execute();
  }

  /** Records what a provider collected for a period in the batch's transaction. */
  public static void insertCollection(
      Handle h,
      long paymentId,
      long customerId,
      long atMillis,
      long amount,
      String period,
      long entryId) {
    h.createUpdate(
            "INSERT INTO account_payments (id, customer_id, at, kind,"
                + " amount, period, entry_id) VALUES (?, ?, ?,"
                + " 'collection', ?, ?, ?)")
        .bind(0, paymentId)
        .bind(1, customerId)
        .bind(2, atMillis)
        .bind(3, amount)
        .bind(4, period)
        .bind(5, entryId)
        .execute();
  }

  /** What {@code customerId} was charged for sales issued in [{@code from}, {@code to}). */
  public long chargedIn(long customerId, long from, long to) {
    return db.withHandle(
        h ->
            h.createQuery(
                    "SELECT COALESCE(SUM(value), 0) FROM issued_scrip WHERE customer_id = ?"
                        + " AND kind = 'sale' AND issued_at >= ? AND issued_at < ?")
                .bind(0, customerId)
                .bind(1, from)
                .bind(2, to)
                .mapTo(Long.class)
                .one());
  }
}
