package org.millicent.broker;

import io.micrometer.core.instrument.MeterRegistry;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.millicent.broker.accounts.AccountView;
import org.millicent.broker.accounts.Accounts;
import org.millicent.broker.accounts.ClosedStatement;
import org.millicent.broker.accounts.Registration;
import org.millicent.broker.accounts.Statement;
import org.millicent.broker.books.BookTotals;
import org.millicent.broker.books.Books;
import org.millicent.broker.supply.Licence;
import org.millicent.broker.supply.VendorClient;
import org.millicent.keys.CustomerSecret;
import org.millicent.protocol.Payment;
import org.millicent.purchase.PurchaseService;
import org.millicent.scrip.Scrip;
import org.millicent.storage.Database;

/**
 * The broker's service, without HTTP (docs/BROKER.md): accounts, sales of broker scrip and vendor
 * scrip (charged to an account or paid with broker scrip), licences, the warehouse, settlement and
 * statements, all recorded in double-entry {@link Books}. The HTTP server and in-process users
 * (tests, benchmarks) call it alike. Every method either completes with its effects durable or
 * throws with the books unchanged.
 *
 * <p>A broker is a vendor: broker scrip is scrip whose vendor is {@link #id()}, and paying with it
 * is an ordinary Millicent purchase through the core {@link PurchaseService}, with change in broker
 * scrip.
 *
 * <p>It delegates to parts, one per concept, which {@code BrokerParts} wires together: {@code
 * Licensing}, {@code Warehouses}, {@code Sales} (with {@code SaleReplays} for retries), {@code
 * Settlements}, {@code VendorStatements} and {@code BrokerMetrics}; broker scrip is {@code
 * BrokerIssuer}'s, accounts and customers' statements are {@link Accounts}'.
 *
 * <p>Thread-safe.
 */
public final class Broker implements AutoCloseable {
  /** The migrations component of the broker's tables. */
  public static final String COMPONENT = "broker";

  /**
   * Most scrip IDs one settlement may name: 40 000 IDs of 20 digits, quoted and separated, fit the
   * server's 1 000 000-byte body limit, so a full claim is never refused as too large.
   */
  public static final int MAX_SETTLEMENT_IDS = Settlements.MAX_IDS;

  private final BrokerConfig config;
  private final BrokerParts parts;
  private final InstantSource clock;

  private Broker(BrokerConfig config, BrokerParts parts, InstantSource clock) {
    this.config = config;
    this.parts = parts;
    this.clock = clock;
  }

  /**
   * Opens the broker on {@code db}: applies the {@code broker} migrations, loads (or creates) its
   * keys and books, and loads or obtains the licences of licensed vendors. A licence that cannot be
   * obtained now (vendor down) is retried at the first sale.
   *
   * @throws org.millicent.storage.StorageException when the database cannot be used
   */
  public static Broker open(
      BrokerConfig config,
      Database db,
      InstantSource clock,
      SecureRandom random,
      MeterRegistry meters) {
    db.migrate(COMPONENT);
    Broker b =
        new Broker(
            config,
            BrokerParts.wire(
                config, db, clock, random, meters, new VendorClient(Duration.ofSeconds(10))),
            clock);
    b.parts.licensing().load();
    b.reconcileWarehouses();
    return b;
  }

  /** The broker's id: the vendor id of broker scrip. */
  public String id() {
    return config.brokerId();
  }

  /** The configuration. */
  public BrokerConfig config() {
    return config;
  }

  /**
   * The vendors whose scrip this broker sells: the configured ones, then those that joined (docs/
   * BROKER.md, "Vendors that join"). A snapshot: a vendor that joins later is not in it.
   */
  public List<VendorConfig> vendors() {
    return parts.vendors().all();
  }

  /** The entry of {@code vendor}, if this broker sells its scrip (configured or joined). */
  public Optional<VendorConfig> vendor(String vendor) {
    return parts.vendors().find(vendor);
  }

  /**
   * Makes this broker sell a vendor's scrip under the licence it brings, durably (docs/BROKER.md,
   * "Vendors that join"). Joining again with the same licence changes only the URLs, token and
   * discount.
   *
   * @return true when the vendor is new here, false when it had joined with the same licence
   * @throws BrokerException {@code bad-request} for an invalid field or a licence for another
   *     vendor or broker; {@code vendor-exists} when the name is configured or joined with other
   *     keys
   */
  public boolean join(VendorJoin join) {
    return parts.joins().join(join) == Joins.Outcome.JOINED;
  }

  /** The books. */
  public Books books() {
    return parts.books();
  }

  /** The accounts. */
  public Accounts accounts() {
    return parts.accounts();
  }

  /** The purchase service of broker scrip. */
  public PurchaseService purchases() {
    return parts.purchases();
  }

  /** The invariant's quantities, from the durable books. */
  public BookTotals totals() {
    return parts.books().totalsFromDatabase();
  }

  // ---------------------------------------------------------------- licences

  /**
   * Stores and puts in force a licence (from the vendor's admin endpoint or a licence file).
   * Installing the same licence again changes nothing.
   *
   * @throws BrokerException {@code unknown-vendor} when the vendor is not configured as licensed,
   *     {@code bad-request} when the licence names another broker
   */
  public Licence installLicence(Licence l) {
    return parts.licensing().install(l);
  }

  /** The licences in force, by vendor. */
  public Map<String, Optional<Licence>> licences() {
    return parts.licensing().licences();
  }

  // ---------------------------------------------------------------- accounts

  /** Opens an account with the configured provider; the secret is to be handed over once. */
  public Registration register(String name) {
    Registration r = parts.accounts().register(name);
    parts.metrics().count("millicent_broker_registrations_total").increment();
    return r;
  }

  /** Records money paid into an account (the prepaid provider's top-up). */
  public AccountView topUp(long customerId, long amountMillicents) {
    return parts.accounts().topUp(customerId, amountMillicents);
  }

  /** The account as its owner sees it. */
  public AccountView account(long customerId) {
    return parts.accounts().view(customerId);
  }

  /** A customer's statement for a period label (null: the current period). */
  public Statement statement(long customerId, String period) {
    return parts.accounts().statement(customerId, period);
  }

  /**
   * Closes every statement period that ended before {@code now}, after recognising the breakage due
   * by then (a failure of that is logged; the next close retries it).
   */
  public List<ClosedStatement> closeStatements(Instant now) {
    parts.breakage().recogniseLogged(now);
    return parts.accounts().closeStatements(now);
  }

  /**
   * Recognises as breakage the broker scrip that expired unspent at least five minutes before
   * {@code now} (docs/BROKER.md, "Breakage"): its value moves from {@code outstanding:<broker>} to
   * {@code breakage}.
   *
   * @return the value recognised
   * @throws BrokerException {@code storage-unavailable} when the books cannot be written
   */
  public long recogniseBreakage(Instant now) {
    return parts.breakage().recognise(now);
  }

  /** Breakage recognised so far, per statement period of the scrip's expiry. */
  public Map<String, Long> breakageByPeriod() {
    return parts.breakage().byPeriod(config.statementPeriod());
  }

  // ---------------------------------------------------------------- sales

  /**
   * Sells broker scrip charged to the customer's account. A retry with the same {@code requestKey}
   * (the account request's MAC) returns the same scrip and is charged once.
   *
   * @throws BrokerException {@code bad-amount}, {@code not-found}, {@code credit-limit}
   */
  public Scrip sellBrokerScrip(long customerId, long amountMillicents, byte[] requestKey) {
    return parts.sales().sellBrokerScrip(customerId, amountMillicents, requestKey);
  }

  /**
   * Sells vendor scrip charged to the customer's account. A retry with the same {@code requestKey}
   * returns the same scrip and is charged once. {@code vendor} may be the broker's own id: broker
   * scrip is then sold as {@link #sellBrokerScrip} does, in the answer's form of vendor scrip (the
   * "vendor" customer secret is the broker secret itself), so a wallet buys it like any scrip.
   *
   * @throws BrokerException {@code bad-amount}, {@code unknown-vendor}, {@code not-found}, {@code
   *     credit-limit}, {@code no-licence}, {@code vendor-unavailable}
   */
  public VendorScripSale sellVendorScrip(
      long customerId, String vendor, long amountMillicents, byte[] requestKey) {
    return parts.sales().sellVendorScrip(customerId, vendor, amountMillicents, requestKey);
  }

  /**
   * Sells vendor scrip paid with broker scrip: an ordinary Millicent purchase at the broker, price
   * = amount, change in broker scrip. An identical retry returns the same scrip and change. Checks
   * vendor and amount before the payment, so bad input never consumes the scrip.
   *
   * @throws org.millicent.failure.PaymentException when the broker scrip does not pay (nothing is
   *     consumed)
   * @throws BrokerException {@code bad-amount}, {@code unknown-vendor}, {@code no-licence}, {@code
   *     vendor-unavailable} (nothing is consumed)
   */
  public ScripPurchase buyVendorScrip(Payment payment, String vendor, long amountMillicents) {
    return parts.sales().buyVendorScrip(payment, vendor, amountMillicents);
  }

  /**
   * Reconciles every warehouse's exchanges (docs/BROKER.md, "Warehouse"): each exchange whose
   * answer was lost is sent again, unchanged, once; its answer is kept for the customer's retry, a
   * refusal puts its pieces back in stock or writes them off; answered exchanges never claimed
   * before their scrip expired are written off. Runs at start and on the statement schedule; never
   * throws for a vendor failure.
   *
   * @return how many exchanges are still pending
   */
  public int reconcileWarehouses() {
    return parts.warehouses().reconcile(clock.instant());
  }

  /**
   * Exchanges broker scrip at the broker, as a vendor does its own ({@code POST
   * /millicent/exchange} at the broker; docs/BROKER.md, "Renewing broker scrip"): renew, split or
   * merge, paid at price 0 with the first input, outputs bound to the same customer. An identical
   * retry gets the same outputs. The books are unchanged in total: the inputs are spent and the
   * outputs outstanding.
   *
   * @throws org.millicent.failure.PaymentException when the payment or an input fails a check
   *     (nothing is consumed)
   * @throws BrokerException {@code storage-unavailable} when the books cannot be written (nothing
   *     is consumed; a retry completes it)
   */
  public org.millicent.purchase.Exchange exchange(
      Payment payment,
      List<byte[]> inputs,
      org.millicent.purchase.ExchangeService.Operation operation) {
    return parts.exchanges().exchange(payment, inputs, operation);
  }

  // ---------------------------------------------------------------- settlement

  /**
   * Settles scrip a licensed vendor received: each ID this broker issued for the vendor and has not
   * settled is paid once, at value x (1 - the licence's discount), to the vendor's account; the
   * rest are rejected with {@code not-issued} or {@code already-settled}, and change nothing.
   *
   * @throws BrokerException {@code unknown-vendor} when the vendor is not a licensed vendor of this
   *     broker, {@code bad-request} for more than {@value #MAX_SETTLEMENT_IDS} IDs
   */
  public SettlementResult settle(String vendor, List<Long> scripIds) {
    return parts.settlements().settle(vendor, scripIds);
  }

  /**
   * Pulls a licensed vendor's received-IDs report ({@code GET /millicent/broker/received}), settles
   * it, and marks it settled at the vendor: the settlement trigger for demos and schedules.
   *
   * @throws BrokerException {@code unknown-vendor}, or {@code vendor-unavailable} when the vendor
   *     cannot be reached (nothing is settled then)
   */
  public SettlementResult pullSettlement(String vendor) {
    return parts.settlements().pull(vendor);
  }

  /**
   * A vendor's statement for a period label (null: the current period).
   *
   * @throws BrokerException {@code unknown-vendor} or {@code bad-request}
   */
  public VendorStatement vendorStatement(String vendor, @Nullable String period) {
    return parts.vendorStatements().of(vendor, period);
  }

  /** Whether the last write to the books succeeded. */
  public boolean healthy() {
    return parts.books().lastFailure() == null;
  }

  /** Writes what was submitted and stops the books' writer; the database stays open. */
  @Override
  public void close() {
    parts.books().close();
  }

  /** A customer secret, for in-process tools that registered the customer themselves. */
  CustomerSecret customerSecret(long customerId) {
    return parts.accounts().customer(customerId).secret();
  }
}
