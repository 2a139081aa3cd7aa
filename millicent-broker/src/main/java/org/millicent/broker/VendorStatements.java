package org.millicent.broker;

import java.time.InstantSource;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.millicent.broker.books.Books;
import org.millicent.broker.store.IssuedScripStore;
import org.millicent.broker.store.SettlementStore;
import org.millicent.failure.Causes;

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
  VendorStatement of(String vendor, @Nullable String period) {
    vendors.require(vendor);
    StatementPeriod.Period p;
    try {
      p =
          period == null
              ? config.statementPeriod().containing(clock.instant())
              : config.statementPeriod().parse(period);
    } catch (IllegalArgumentException e) {
      throw new BrokerException(BrokerError.BAD_REQUEST, Causes.describe(e));
    }
    long from = p.start().toEpochMilli();
    long to = p.end().toEpochMilli();
    long[] sold = new IssuedScripStore(books.database()).sold(vendor, from, to);
    long[] settled = new SettlementStore(books.database()).settled(vendor, from, to);
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
