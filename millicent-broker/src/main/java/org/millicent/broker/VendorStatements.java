package org.millicent.broker;

import java.time.InstantSource;
import java.util.Map;
import org.millicent.broker.books.Books;

/**
 * Vendors' statements (docs/BROKER.md, "Statements"): what the broker sold of a vendor's scrip in a
 * period, what it settled, and what it owes now, read from the books. {@link Broker} delegates to
 * it. Thread-safe: it only reads.
 */
final class VendorStatements {
  private final BrokerConfig config;
  private final VendorDirectory vendors;
  private final Books books;
  private final InstantSource clock;

  VendorStatements(BrokerConfig config, VendorDirectory vendors, Books books, InstantSource clock) {
    this.config = config;
    this.vendors = vendors;
    this.books = books;
    this.clock = clock;
  }

  /** See {@link Broker#vendorStatement}. */
  VendorStatement of(String vendor, String period) {
    vendors.require(vendor);
    StatementPeriod.Period p;
    try {
      p =
          period == null
              ? config.statementPeriod().containing(clock.instant())
              : config.statementPeriod().parse(period);
    } catch (IllegalArgumentException e) {
      throw new BrokerException(BrokerError.BAD_REQUEST, e.getMessage());
    }
    long from = p.start().toEpochMilli();
    long to = p.end().toEpochMilli();
    long[] sold = new long[2];
    long[] settled = new long[3];
    books
        .database()
        .jdbi()
        .useHandle(
            h -> {
              h.createQuery(
                      "SELECT COUNT(*), COALESCE(SUM(value), 0) FROM issued_scrip WHERE issuer = ?"
                          + " AND kind IN ('sale', 'purchase') AND issued_at >= ? AND issued_at < ?")
                  .bind(0, vendor)
                  .bind(1, from)
                  .bind(2, to)
                  .map((rs, ctx) -> new long[] {rs.getLong(1), rs.getLong(2)})
                  .findOne()
                  .ifPresent(r -> System.arraycopy(r, 0, sold, 0, 2));
              h.createQuery(
                      "SELECT COALESCE(SUM(pieces), 0), COALESCE(SUM(value), 0),"
                          + " COALESCE(SUM(paid), 0) FROM settlements WHERE vendor = ? AND at >= ?"
                          + " AND at < ?")
                  .bind(0, vendor)
                  .bind(1, from)
                  .bind(2, to)
                  .map((rs, ctx) -> new long[] {rs.getLong(1), rs.getLong(2), rs.getLong(3)})
                  .findOne()
                  .ifPresent(r -> System.arraycopy(r, 0, settled, 0, 3));
            });
    Map<String, Long> balances = books.balances();
    return new VendorStatement(
        vendor,
        p.label(),
        sold[0],
        sold[1],
        settled[0],
        settled[1],
        settled[2],
        -balances.getOrDefault("payable:" + vendor, 0L),
        -balances.getOrDefault("outstanding:" + vendor, 0L));
  }
}
