package org.millicent.broker.store;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.millicent.storage.Database;

/**
 * The reads behind the operator's dashboard (docs/BROKER.md, "Dashboard"), each one aggregate query
 * over the durable books, so the figures survive restarts. Read-only. Thread-safe.
 */
public final class DashboardStore {
  /** Charges in one time bucket: how many pieces were sold on account, and their value. */
  public record Bucket(long index, long pieces, long millicents) {}

  /** The closed statements of one period: how many customers, charged and collected. */
  public record ClosedPeriod(String period, long customers, long charged, long collected) {}

  /** One settlement paid to a licensed vendor. */
  public record SettlementRow(String vendor, long atMillis, long pieces, long value, long paid) {}

  /** The postings of one day (epoch day) to the accounts of one kind, summed. */
  public record DayMovement(long day, String kind, long amount) {}

  private final Database db;

  /** A store over {@code db}, whose {@code broker} migrations have run. */
  public DashboardStore(Database db) {
    this.db = db;
  }

  /** How many customers each payment provider has. */
  public Map<String, Long> customersByProvider() {
    return db.withHandle(
        h -> {
          Map<String, Long> out = new TreeMap<>();
          h.createQuery("SELECT provider, COUNT(*) FROM customers GROUP BY provider")
              .map((rs, ctx) -> Map.entry(rs.getString(1), rs.getLong(2)))
              .forEach(e -> out.put(e.getKey(), e.getValue()));
          return out;
        });
  }

  /**
   * What customers owe in total (positive balances) and have paid in and not spent (negative
   * balances, as a positive number), as {owed, prepaid}.
   */
  public long[] customerBalances() {
    return db.withHandle(
        h ->
            h.createQuery(
                    "SELECT COALESCE(SUM(CASE WHEN balance > 0 THEN balance ELSE 0 END), 0),"
                        + " COALESCE(SUM(CASE WHEN balance < 0 THEN -balance ELSE 0 END), 0)"
                        + " FROM ledger_accounts WHERE kind = 'CUSTOMER'")
                .map((rs, ctx) -> new long[] {rs.getLong(1), rs.getLong(2)})
                .one());
  }

  /**
   * Sales on account (the charges of statements) issued in [{@code from}, {@code to}) (epoch
   * millis), per bucket of {@code bucketMillis}: the bucket's index is {@code issued_at /
   * bucketMillis}. Buckets without a sale are absent.
   */
  public List<Bucket> charges(long bucketMillis, long from, long to) {
    return perBucket(
        "SELECT issued_at / :b AS bucket, COUNT(*), SUM(value) FROM issued_scrip"
            + " WHERE kind = 'sale' AND issued_at >= :from AND issued_at < :to"
            + " GROUP BY 1 ORDER BY 1",
        bucketMillis,
        from,
        to);
  }

  /** Customers registered in [{@code from}, {@code to}), per bucket of {@code bucketMillis}. */
  public List<Bucket> registrations(long bucketMillis, long from, long to) {
    return perBucket(
        "SELECT created_at / :b AS bucket, COUNT(*), 0 FROM customers"
            + " WHERE created_at >= :from AND created_at < :to"
            + " GROUP BY 1 ORDER BY 1",
        bucketMillis,
        from,
        to);
  }

  /**
   * The buckets {@code sql} selects (index, pieces, millicents), given the bucket width {@code :b}
   * and the range [{@code :from}, {@code :to}).
   */
  private List<Bucket> perBucket(String sql, long bucketMillis, long from, long to) {
    return db.withHandle(
        h ->
            h.createQuery(sql)
                .bind("b", bucketMillis)
                .bind("from", from)
                .bind("to", to)
                .map((rs, ctx) -> new Bucket(rs.getLong(1), rs.getLong(2), rs.getLong(3)))
                .list());
  }

  /** The sales on account in [{@code from}, {@code to}), per issuer (the broker, each vendor). */
  public Map<String, Bucket> chargesByIssuer(long from, long to) {
    return db.withHandle(
        h -> {
          Map<String, Bucket> out = new TreeMap<>();
          h.createQuery(
                  "SELECT issuer, COUNT(*), SUM(value) FROM issued_scrip WHERE kind = 'sale'"
                      + " AND issued_at >= ? AND issued_at < ? GROUP BY issuer")
              .bind(0, from)
              .bind(1, to)
              .map(
                  (rs, ctx) ->
                      Map.entry(rs.getString(1), new Bucket(0, rs.getLong(2), rs.getLong(3))))
              .forEach(e -> out.put(e.getKey(), e.getValue()));
          return out;
        });
  }

  /** The closed statements of the latest {@code limit} periods, newest first. */
  public List<ClosedPeriod> closedPeriods(int limit) {
    return db.withHandle(
        h ->
            h.createQuery(
                    "SELECT period, COUNT(*), SUM(charged), SUM(collected) FROM statements"
                        + " GROUP BY period ORDER BY period DESC LIMIT ?")
                .bind(0, limit)
                .map(
                    (rs, ctx) ->
                        new ClosedPeriod(
                            rs.getString(1), rs.getLong(2), rs.getLong(3), rs.getLong(4)))
                .list());
  }

  /** The latest {@code limit} settlements, newest first. */
  public List<SettlementRow> settlements(int limit) {
    return db.withHandle(
        h ->
            h.createQuery(
                    "SELECT vendor, at, pieces, value, paid FROM settlements"
                        + " ORDER BY at DESC, id DESC LIMIT ?")
                .bind(0, limit)
                .map(
                    (rs, ctx) ->
                        new SettlementRow(
                            rs.getString(1),
                            rs.getLong(2),
                            rs.getLong(3),
                            rs.getLong(4),
                            rs.getLong(5)))
                .list());
  }

  /** The balance of each ledger account of {@code kind} (an account kind's name), by name. */
  public Map<String, Long> balances(String kind) {
    return db.withHandle(
        h -> {
          Map<String, Long> out = new TreeMap<>();
          h.createQuery("SELECT name, balance FROM ledger_accounts WHERE kind = ?")
              .bind(0, kind)
              .map((rs, ctx) -> Map.entry(rs.getString(1), rs.getLong(2)))
              .forEach(e -> out.put(e.getKey(), e.getValue()));
          return out;
        });
  }

  /**
   * Every posting summed per day (epoch day of its entry, UTC) and account kind, oldest first: the
   * books' history, from which each day's closing totals follow.
   */
  public List<DayMovement> movementsPerDay() {
    return db.withHandle(
        h ->
            h.createQuery(
                    "SELECT e.at / 86400000 AS day, a.kind, SUM(p.amount) FROM ledger_postings p"
                        + " JOIN ledger_entries e ON e.id = p.entry_id"
                        + " JOIN ledger_accounts a ON a.id = p.account_id"
                        + " GROUP BY 1, 2 ORDER BY 1")
                .map((rs, ctx) -> new DayMovement(rs.getLong(1), rs.getString(2), rs.getLong(3)))
                .list());
  }
}
