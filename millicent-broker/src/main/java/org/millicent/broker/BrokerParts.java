package org.millicent.broker;

import io.micrometer.core.instrument.MeterRegistry;
import java.security.SecureRandom;
import java.time.InstantSource;
import org.millicent.broker.accounts.Accounts;
import org.millicent.broker.accounts.PaymentProvider;
import org.millicent.broker.books.Books;
import org.millicent.broker.issuing.BrokerIssuer;
import org.millicent.broker.issuing.BrokerSpendRecorder;
import org.millicent.broker.supply.VendorClient;
import org.millicent.purchase.PurchaseService;
import org.millicent.storage.Database;

/**
 * The parts a {@link Broker} delegates to, one per concept, and the one place that wires them
 * together: which part is built on which, in the order they need each other. {@code Broker} is what
 * a broker does; this is what it is made of. Immutable; the parts are thread-safe.
 */
record BrokerParts(
    Books books,
    Accounts accounts,
    PurchaseService purchases,
    BrokerMetrics metrics,
    Licensing licensing,
    VendorDirectory vendors,
    Joins joins,
    Sales sales,
    Settlements settlements,
    VendorStatements vendorStatements,
    Warehouses warehouses,
    BrokerExchanges exchanges,
    Breakage breakage) {

  /**
   * Builds the parts of a broker over {@code db}, whose {@code broker} migrations have run: its
   * books, keys and issuer, accounts, vendors, licensing, sales, exchanges, settlements and
   * statements. Licences are not loaded yet.
   *
   * @throws org.millicent.storage.StorageException when the database cannot be read
   */
  static BrokerParts wire(
      BrokerConfig config,
      Database db,
      InstantSource clock,
      SecureRandom random,
      MeterRegistry meters,
      VendorClient client) {
    BrokerMetrics metrics = new BrokerMetrics(meters);
    Books books = Books.open(db, clock);
    RequestKeys requestKeys = RequestKeys.load(db);
    BrokerIssuer issuer =
        BrokerIssuer.open(db, config.brokerId(), clock, random, config.scripLifetime());
    books.onReload(issuer::reload);
    BrokerSpendRecorder spends = issuer.spends();
    PurchaseService purchases = issuer.purchases();
    Accounts accounts =
        new Accounts(
            books,
            config.brokerId(),
            issuer.keys().customers(),
            PaymentProvider.builtIn(),
            config.provider(),
            config.creditLimitMillicents(),
            config.statementPeriod());
    VendorDirectory vendors = VendorDirectory.load(config, books);
    Warehouses warehouses = Warehouses.of(vendors.all(), books, client);
    Licensing licensing =
        new Licensing(
            config,
            vendors,
            books,
            client,
            clock,
            Licensing.vendorsOf(vendors.all(), books, random));
    Joins joins = new Joins(config, vendors, books, licensing, random, clock);
    SaleReplays replays =
        new SaleReplays(config.brokerId(), books, accounts, licensing, random, requestKeys);
    Sales sales =
        new Sales(
            config,
            vendors,
            books,
            accounts,
            purchases,
            spends,
            licensing,
            warehouses.byVendor(),
            replays,
            metrics,
            clock,
            random);
    Breakage breakage = new Breakage(config.brokerId(), books);
    BrokerExchanges exchanges =
        new BrokerExchanges(config, books, accounts, purchases, spends, clock);
    Settlements settlements = new Settlements(vendors, books, licensing, client, metrics, clock);
    VendorStatements vendorStatements = new VendorStatements(config, vendors, books, clock);
    metrics.gauges(accounts, books);
    return new BrokerParts(
        books,
        accounts,
        purchases,
        metrics,
        licensing,
        vendors,
        joins,
        sales,
        settlements,
        vendorStatements,
        warehouses,
        exchanges,
        breakage);
  }
}
