package org.millicent.broker;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Files;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.millicent.broker.accounts.AccountView;
import org.millicent.broker.accounts.Accounts;
import org.millicent.broker.accounts.AggregatingProvider;
import org.millicent.broker.accounts.Customer;
import org.millicent.broker.accounts.PaymentProvider;
import org.millicent.broker.accounts.PrepaidProvider;
import org.millicent.broker.accounts.Registration;
import org.millicent.broker.accounts.Statement;
import org.millicent.broker.books.AccountKind;
import org.millicent.broker.books.BookTotals;
import org.millicent.broker.books.Books;
import org.millicent.broker.books.Entry;
import org.millicent.broker.books.IssuedRow;
import org.millicent.broker.books.LedgerAccount;
import org.millicent.broker.issuing.BrokerKeys;
import org.millicent.broker.issuing.BrokerSpendRecorder;
import org.millicent.broker.issuing.IssuerSerials;
import org.millicent.broker.supply.Licence;
import org.millicent.broker.supply.LicensedVendor;
import org.millicent.broker.supply.VendorClient;
import org.millicent.broker.supply.WarehouseVendor;
import org.millicent.keys.CustomerSecret;
import org.millicent.protocol.Payer;
import org.millicent.protocol.Payment;
import org.millicent.protocol.Variant;
import org.millicent.purchase.ExchangeService;
import org.millicent.purchase.Pricer;
import org.millicent.purchase.Purchase;
import org.millicent.purchase.PurchaseService;
import org.millicent.scrip.Scrip;
import org.millicent.scrip.ScripCodec;
import org.millicent.scrip.ScripId;
import org.millicent.scrip.ScripProperties;
import org.millicent.storage.Database;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
 * <p>Thread-safe.
 */
public final class Broker implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Broker.class);

  /** The migrations component of the broker's tables. */
  public static final String COMPONENT = "broker";

  /** Most scrip IDs one settlement may name. */
  public static final int MAX_SETTLEMENT_IDS = 100_000;

  private static final String SUPPLY_BROKER = "broker";

  private final BrokerConfig config;
  private final Books books;
  private final BrokerKeys keys;
  private final Accounts accounts;
  private final BrokerSpendRecorder spends;
  private final PurchaseService purchases;
  private final Map<String, LicensedVendor> licensed = new LinkedHashMap<>();
  private final Map<String, WarehouseVendor> warehouses = new LinkedHashMap<>();
  private final VendorClient client;
  private final InstantSource clock;
  private final SecureRandom random;
  private final Map<String, CompletableFuture<Object>> pendingRequests = new ConcurrentHashMap<>();
  private final RequestKeys requestKeys;
  private final Set<String> settling = new HashSet<>();
  private final MeterRegistry meters;
  private final Map<String, Counter> counters = new ConcurrentHashMap<>();

  private Broker(
      BrokerConfig config,
      Database db,
      InstantSource clock,
      SecureRandom random,
      MeterRegistry meters,
      VendorClient client) {
    this.config = config;
    this.clock = clock;
    this.random = random;
    this.meters = meters;
    this.client = client;
    this.books = Books.open(db, clock);
    this.requestKeys = RequestKeys.load(db);
    this.keys = BrokerKeys.loadOrCreate(db, random);
    Map<String, PaymentProvider> providers =
        Map.of(
            AggregatingProvider.NAME, new AggregatingProvider(),
            PrepaidProvider.NAME, new PrepaidProvider());
    this.accounts =
        new Accounts(
            books,
            config.brokerId(),
            keys.customers(),
            providers,
            config.provider(),
            config.creditLimitMillicents(),
            config.statementPeriod());
    this.spends = new BrokerSpendRecorder(db, config.brokerId(), clock);
    IssuerSerials serials = new IssuerSerials(db, config.brokerId());
    books.onReload(spends::reload);
    books.onReload(serials::reload);
    this.purchases =
        new PurchaseService(
            config.brokerId(),
            keys.masters(),
            keys.customers(),
            spends,
            serials,
            clock,
            config.scripLifetime(),
            Set.of(Variant.SIGNED));
    for (VendorConfig v : config.vendors()) {
      switch (v.supply()) {
        case LICENSED -> licensed.put(v.vendor(), new LicensedVendor(v.vendor(), books, random));
        case WAREHOUSE -> warehouses.put(v.vendor(), new WarehouseVendor(v, books, client));
      }
    }
    Gauge.builder("millicent_broker_accounts", accounts, Accounts::count)
        .description("customer accounts")
        .register(meters);
    Gauge.builder(
            "millicent_broker_scrip_outstanding_millicents",
            books,
            b -> b.totals().outstandingMillicents())
        .description("scrip issued and not redeemed")
        .register(meters);
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
        new Broker(config, db, clock, random, meters, new VendorClient(Duration.ofSeconds(10)));
    b.loadLicences();
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

  /** The books. */
  public Books books() {
    return books;
  }

  /** The accounts. */
  public Accounts accounts() {
    return accounts;
  }

  /** The purchase service of broker scrip. */
  public PurchaseService purchases() {
    return purchases;
  }

  /** The invariant's quantities, from the durable books. */
  public BookTotals totals() {
    return books.totalsFromDatabase();
  }

  // ---------------------------------------------------------------- licences

  private void loadLicences() {
    for (LicensedVendor lv : licensed.values()) {
      List<Licence> stored = storedLicences(lv.vendor());
      for (Licence l : stored) {
        lv.remember(l);
      }
      if (!stored.isEmpty()) {
        lv.use(stored.getLast());
        continue;
      }
      try {
        ensureLicence(lv);
      } catch (BrokerException e) {
        if (e.error() == BrokerError.NO_LICENCE) {
          log.info("broker: {}", e.getMessage());
        } else {
          log.warn("broker: no licence for {} yet: {}", lv.vendor(), e.getMessage());
        }
      }
    }
  }

  private List<Licence> storedLicences(String vendor) {
    return books
        .database()
        .jdbi()
        .withHandle(
            h -> {
              List<Licence> out = new ArrayList<>();
              var rows =
                  h.createQuery(
                          "SELECT licence_id, customer_selector, customer_master_secret,"
                              + " discount_bps, scrip_lifetime_seconds FROM licences"
                              + " WHERE vendor = ? AND revoked_at IS NULL"
                              + " ORDER BY obtained_at, licence_id")
                      .bind(0, vendor)
                      .map(
                          (rs, ctx) ->
                              new Object[] {
                                rs.getString(1),
                                rs.getInt(2),
                                rs.getBytes(3),
                                rs.getInt(4),
                                rs.getLong(5)
                              })
                      .list();
              for (Object[] r : rows) {
                Map<Integer, org.millicent.keys.SecretBytes> ks = new LinkedHashMap<>();
                h.createQuery("SELECT key_id, master_secret FROM licence_keys WHERE licence_id = ?")
                    .bind(0, (String) r[0])
                    .map((rs, ctx) -> Map.entry(rs.getInt(1), rs.getBytes(2)))
                    .forEach(
                        e ->
                            ks.put(
                                e.getKey(), org.millicent.keys.SecretBytes.copyOf(e.getValue())));
                out.add(
                    new Licence(
                        (String) r[0],
                        vendor,
                        id(),
                        ks,
                        (Integer) r[1],
                        org.millicent.keys.SecretBytes.copyOf((byte[]) r[2]),
                        (Integer) r[3],
                        (Long) r[4]));
              }
              return out;
            });
  }

  private Licence ensureLicence(LicensedVendor lv) {
    synchronized (lv) {
      Optional<Licence> have = lv.licence();
      if (have.isPresent()) {
        return have.get();
      }
      VendorConfig vc = config.vendor(lv.vendor()).orElseThrow();
      Licence l;
      if (vc.licenceFile().isPresent()) {
        try {
          l =
              Licence.fromJson(
                  new com.fasterxml.jackson.databind.ObjectMapper()
                      .readTree(Files.readAllBytes(vc.licenceFile().get())));
        } catch (java.io.IOException e) {
          throw new BrokerException(
              BrokerError.NO_LICENCE,
              "cannot read the licence file " + vc.licenceFile().get() + ": " + e.getMessage(),
              e);
        }
      } else if (vc.licenceAdminToken().isPresent()) {
        l =
            client.obtainLicence(
                vc.url(), vc.licenceAdminToken().get(), id(), vc.licenceKeyIds(), vc.discountBps());
      } else {
        throw new BrokerException(
            BrokerError.NO_LICENCE,
            "no licence for vendor "
                + lv.vendor()
                + ": configure licence.admin_token or licence.file, or import one with"
                + " `millicent broker licences import`");
      }
      return installLicence(l);
    }
  }

  /**
   * Stores and puts in force a licence (from the vendor's admin endpoint or a licence file).
   * Installing the same licence again changes nothing.
   *
   * @throws BrokerException {@code unknown-vendor} when the vendor is not configured as licensed,
   *     {@code bad-request} when the licence names another broker
   */
  public Licence installLicence(Licence l) {
    LicensedVendor lv = licensed.get(l.vendor());
    if (lv == null) {
      throw new BrokerException(
          BrokerError.UNKNOWN_VENDOR,
          "vendor " + l.vendor() + " is not configured as a licensed vendor of this broker");
    }
    if (!l.broker().isEmpty() && !l.broker().equals(id())) {
      throw new BrokerException(
          BrokerError.BAD_REQUEST,
          "licence " + l.licenceId() + " is for broker " + l.broker() + ", this is " + id());
    }
    boolean known =
        books
            .database()
            .jdbi()
            .withHandle(
                h ->
                    h.createQuery("SELECT COUNT(*) FROM licences WHERE licence_id = ?")
                            .bind(0, l.licenceId())
                            .mapTo(Long.class)
                            .one()
                        > 0);
    if (!known) {
      long now = clock.millis();
      books.submitAndAwait(
          new Entry("licence")
              .write(
                  (h, entryId) -> {
                    h.createUpdate(
                            "INSERT INTO licences (licence_id, vendor, customer_selector,"
                                + " customer_master_secret, discount_bps, scrip_lifetime_seconds,"
                                + " obtained_at) VALUES (?, ?, ?, ?, ?, ?, ?)")
                        .bind(0, l.licenceId())
                        .bind(1, l.vendor())
                        .bind(2, l.customerSelector())
                        .bind(3, l.customerMasterSecret().toByteArray())
                        .bind(4, l.discountBps())
                        .bind(5, l.scripLifetimeSeconds())
                        .bind(6, now)
                        .execute();
                    for (var k : l.keys().entrySet()) {
                      h.createUpdate(
                              "INSERT INTO licence_keys (licence_id, key_id, master_secret)"
                                  + " VALUES (?, ?, ?)")
                          .bind(0, l.licenceId())
                          .bind(1, k.getKey())
                          .bind(2, k.getValue().toByteArray())
                          .execute();
                    }
                  }));
    }
    lv.use(l);
    log.info("broker: licence {} in force", l);
    return l;
  }

  /** The licences in force, by vendor. */
  public Map<String, Optional<Licence>> licences() {
    Map<String, Optional<Licence>> out = new LinkedHashMap<>();
    licensed.forEach((v, lv) -> out.put(v, lv.licence()));
    return out;
  }

  // ---------------------------------------------------------------- accounts

  /** Opens an account with the configured provider; the secret is to be handed over once. */
  public Registration register(String name) {
    Registration r = accounts.register(name);
    count("millicent_broker_registrations_total").increment();
    return r;
  }

  /** Records money paid into an account (the prepaid provider's top-up). */
  public AccountView topUp(long customerId, long amountMillicents) {
    return accounts.topUp(customerId, amountMillicents);
  }

  /** The account as its owner sees it. */
  public AccountView account(long customerId) {
    return accounts.view(customerId);
  }

  /** A customer's statement for a period label (null: the current period). */
  public Statement statement(long customerId, String period) {
    return accounts.statement(customerId, period);
  }

  /** Closes every statement period that ended before {@code now}. */
  public List<Accounts.ClosedStatement> closeStatements(Instant now) {
    return accounts.closeStatements(now);
  }

  // ---------------------------------------------------------------- sales

  /** How a sale is paid for. */
  private sealed interface Funding {
    Customer customer();
  }

  private record OnAccount(Customer customer, byte[] requestKey) implements Funding {}

  private record WithScrip(Customer customer, Purchase purchase) implements Funding {}

  /**
   * Sells broker scrip charged to the customer's account. A retry with the same {@code requestKey}
   * (the account request's MAC) returns the same scrip and is charged once.
   *
   * @throws BrokerException {@code bad-amount}, {@code not-found}, {@code credit-limit}
   */
  public Scrip sellBrokerScrip(long customerId, long amountMillicents, byte[] requestKey) {
    Accounts.checkAmount(amountMillicents);
    Customer c = accounts.customer(customerId);
    return idempotent(
        customerId,
        requestKey,
        Scrip.class,
        () -> {
          long now = clock.millis();
          Instant expires =
              clock
                  .instant()
                  .plus(config.scripLifetime())
                  .truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
          Scrip[] out = new Scrip[1];
          books.await(
              books.decide(
                  () -> {
                    Entry e = new Entry("sale");
                    accounts.charge(e, c, amountMillicents);
                    Scrip s =
                        purchases
                            .minter()
                            .mint(amountMillicents, c.id(), expires, ScripProperties.NONE);
                    e.post(outstanding(id()), -amountMillicents)
                        .issue(
                            row(
                                s,
                                "sale",
                                SUPPLY_BROKER,
                                c,
                                now,
                                requestKey,
                                null,
                                IssuedRow.OUTSTANDING,
                                null));
                    out[0] = s;
                    return books.submit(e);
                  }));
          sold(id(), "sale", amountMillicents);
          return out[0];
        });
  }

  /**
   * Sells vendor scrip charged to the customer's account. A retry with the same {@code requestKey}
   * returns the same scrip and is charged once.
   *
   * @throws BrokerException {@code bad-amount}, {@code unknown-vendor}, {@code not-found}, {@code
   *     credit-limit}, {@code no-licence}, {@code vendor-unavailable}
   */
  public VendorScripSale sellVendorScrip(
      long customerId, String vendor, long amountMillicents, byte[] requestKey) {
    Accounts.checkAmount(amountMillicents);
    VendorConfig vc = vendorConfig(vendor);
    Customer c = accounts.customer(customerId);
    return idempotent(
        customerId,
        requestKey,
        VendorScripSale.class,
        () -> sell(vc, amountMillicents, new OnAccount(c, requestKey)));
  }

  /**
   * Vendor scrip bought with broker scrip: the sale and the purchase that paid (for the receipt).
   */
  public record ScripPurchase(VendorScripSale sale, Purchase purchase) {}

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
    Accounts.checkAmount(amountMillicents);
    VendorConfig vc = vendorConfig(vendor);
    if (vc.supply() == Supply.LICENSED) {
      requireLicence(vendor);
    }
    Purchase p = purchases.begin(payment, Pricer.fixed(amountMillicents));
    if (p.isReplay()) {
      VendorScripSale sale =
          books
              .database()
              .jdbi()
              .withHandle(
                  h ->
                      h.createQuery(
                              "SELECT issuer, token, supply, sealed_secret, customer_id"
                                  + " FROM issued_scrip WHERE paid_by = ? AND kind = 'purchase'")
                          .bind(0, p.scrip().id().toLong())
                          .map(
                              (rs, ctx) ->
                                  saleFromRow(
                                      rs.getString(1),
                                      rs.getBytes(2),
                                      rs.getString(3),
                                      rs.getBytes(4),
                                      rs.getLong(5)))
                          .findOne())
              .orElseThrow(
                  () ->
                      new BrokerException(
                          BrokerError.STORAGE_UNAVAILABLE,
                          "broker scrip "
                              + p.scrip().id()
                              + " is spent but its purchase is not in the books"));
      return new ScripPurchase(sale, p);
    }
    try {
      Customer c = accounts.customer(p.scrip().customerId());
      VendorScripSale sale = sell(vc, amountMillicents, new WithScrip(c, p));
      spends.markDurable(p.scrip().id());
      p.commit();
      return new ScripPurchase(sale, p);
    } catch (RuntimeException e) {
      p.release();
      throw e;
    }
  }

  private VendorScripSale sell(VendorConfig vc, long amount, Funding f) {
    return switch (vc.supply()) {
      case LICENSED -> sellLicensed(requireLicensed(vc.vendor()), amount, f);
      case WAREHOUSE -> sellWarehouse(warehouses.get(vc.vendor()), amount, f);
    };
  }

  private VendorScripSale sellLicensed(LicensedVendor lv, long amount, Funding f) {
    ensureLicence(lv);
    Customer c = f.customer();
    long now = clock.millis();
    String kind = f instanceof OnAccount ? "sale" : "purchase";
    byte[] requestKey = f instanceof OnAccount a ? a.requestKey() : null;
    Long paidBy = f instanceof WithScrip w ? w.purchase().scrip().id().toLong() : null;
    // Minting reads only lock-free state, so a returning customer's scrip is made before the
    // decision lock; a serial wasted when the charge is refused was never handed to anyone.
    OptionalLong known = lv.knownCustomerIdAtVendor(c.id());
    Scrip early = known.isPresent() ? lv.mint(amount, known.getAsLong(), clock.instant()) : null;
    IssuedRow earlyRow =
        early == null
            ? null
            : row(early, kind, Supply.LICENSED.wireName(), c, now, requestKey, paidBy, 0, null);
    Scrip[] out = new Scrip[1];
    books.await(
        books.decide(
            () -> {
              Entry e = new Entry(kind);
              long vcid = lv.customerIdAtVendor(c.id(), e);
              fund(e, f, amount);
              Scrip s = early;
              IssuedRow r = earlyRow;
              if (s == null || s.customerId() != vcid) {
                s = lv.mint(amount, vcid, clock.instant());
                r = row(s, kind, Supply.LICENSED.wireName(), c, now, requestKey, paidBy, 0, null);
              }
              e.post(outstanding(lv.vendor()), -amount).issue(r);
              out[0] = s;
              return books.submit(e);
            }));
    Scrip s = out[0];
    sold(lv.vendor(), kind, amount);
    byte[] sealed =
        Payer.sealSecret(
            c.secret(), lv.vendor(), s.customerId(), lv.customerSecret(s.customerId()), random);
    return new VendorScripSale(lv.vendor(), s, s.customerId(), sealed, Supply.LICENSED, false);
  }

  private VendorScripSale sellWarehouse(WarehouseVendor wv, long amount, Funding f) {
    long piece = wv.pieceValueMillicents();
    if (amount % piece != 0 || amount / piece > ExchangeService.MAX_PIECES) {
      throw new BrokerException(
          BrokerError.BAD_AMOUNT,
          "vendor "
              + wv.vendor()
              + " is sold in whole pieces of "
              + piece
              + " millicents, at most "
              + ExchangeService.MAX_PIECES
              + " at once (one exchange at the vendor), found "
              + amount);
    }
    Customer c = f.customer();
    if (f instanceof OnAccount) {
      books.decide(() -> accounts.reserve(c, amount));
    }
    List<WarehouseVendor.Piece> pieces;
    WarehouseVendor.Exchanged ex;
    try {
      pieces = wv.take((int) (amount / piece), clock.instant());
      try {
        ex = wv.exchange(pieces, wv.customerRef(c.secret()), amount);
      } catch (RuntimeException e) {
        // The vendor may or may not have consumed the pieces; they are kept out of stock until a
        // lot reconciliation, never handed out twice.
        log.warn("broker: warehouse exchange at {} failed: {}", wv.vendor(), e.getMessage());
        throw e;
      }
    } catch (RuntimeException e) {
      if (f instanceof OnAccount) {
        books.decide(() -> accounts.release(c, amount));
      }
      throw e;
    }
    Scrip s = ex.scrip();
    byte[] sealed = Payer.sealSecret(c.secret(), wv.vendor(), s.customerId(), ex.secret(), random);
    long now = clock.millis();
    books.await(
        books.decide(
            () -> {
              Entry e = new Entry(f instanceof OnAccount ? "sale" : "purchase");
              if (f instanceof OnAccount) {
                accounts.chargeReserved(e, c, amount);
              } else {
                fund(e, f, amount);
              }
              wv.markUsed(e, pieces, now);
              e.post(books.account("inventory:" + wv.vendor(), AccountKind.INVENTORY), -amount)
                  .issue(
                      row(
                          s,
                          f instanceof OnAccount ? "sale" : "purchase",
                          Supply.WAREHOUSE.wireName(),
                          c,
                          now,
                          f instanceof OnAccount a ? a.requestKey() : null,
                          f instanceof WithScrip w ? w.purchase().scrip().id().toLong() : null,
                          IssuedRow.REDEEMED_AT_ISSUE,
                          sealed));
              return books.submit(e);
            }));
    sold(wv.vendor(), f instanceof OnAccount ? "sale" : "purchase", amount);
    return new VendorScripSale(wv.vendor(), s, s.customerId(), sealed, Supply.WAREHOUSE, false);
  }

  /** Posts the paying side of a sale: the account charge, or the broker scrip spent and change. */
  private void fund(Entry e, Funding f, long amount) {
    switch (f) {
      case OnAccount a -> accounts.charge(e, a.customer(), amount);
      case WithScrip w -> {
        Purchase p = w.purchase();
        Scrip paid = p.scrip();
        LedgerAccount brokerScrip = outstanding(id());
        e.post(brokerScrip, paid.valueMillicents());
        p.change()
            .ifPresent(
                ch -> {
                  e.post(brokerScrip, -ch.valueMillicents());
                  e.issue(
                      row(
                          ch,
                          "change",
                          SUPPLY_BROKER,
                          w.customer(),
                          clock.millis(),
                          null,
                          paid.id().toLong(),
                          IssuedRow.OUTSTANDING,
                          null));
                });
        byte[] fp = p.fingerprint();
        long now = clock.millis();
        e.write(
            (h, entryId) -> {
              int n =
                  h.createUpdate(
                          "UPDATE issued_scrip SET state = 1, closed_at = ?, closed_entry = ?,"
                              + " spend_fingerprint = ?, spend_price = ? WHERE issuer = ?"
                              + " AND key_id = ? AND serial = ? AND state = 0")
                      .bind(0, now)
                      .bind(1, entryId)
                      .bind(2, fp)
                      .bind(3, amount)
                      .bind(4, id())
                      .bind(5, paid.id().keyId())
                      .bind(6, paid.id().serial())
                      .execute();
              if (n != 1) {
                throw new IllegalStateException(
                    "broker scrip " + paid.id() + " is not outstanding in the books");
              }
            });
      }
    }
  }

  private IssuedRow row(
      Scrip s,
      String kind,
      String supply,
      Customer c,
      long now,
      byte[] requestKey,
      Long paidBy,
      int state,
      byte[] sealed) {
    return new IssuedRow(
        s.vendor(),
        s.id().keyId(),
        s.id().serial(),
        kind,
        supply,
        c.id(),
        s.valueMillicents(),
        now,
        s.expiresAt().toEpochMilli(),
        requestKey,
        paidBy,
        ScripCodec.encode(s),
        state,
        sealed);
  }

  private LedgerAccount outstanding(String issuer) {
    return books.account("outstanding:" + issuer, AccountKind.OUTSTANDING);
  }

  private VendorConfig vendorConfig(String vendor) {
    return config
        .vendor(vendor == null ? "" : vendor)
        .orElseThrow(
            () ->
                new BrokerException(
                    BrokerError.UNKNOWN_VENDOR,
                    "this broker does not sell scrip of vendor \""
                        + vendor
                        + "\"; it sells "
                        + config.vendors().stream().map(VendorConfig::vendor).toList()));
  }

  private LicensedVendor requireLicensed(String vendor) {
    return licensed.get(vendor);
  }

  private void requireLicence(String vendor) {
    ensureLicence(licensed.get(vendor));
  }

  /**
   * Runs a charged sale once per (customer, request key): a retry whose sale is durable gets the
   * recorded scrip; a retry racing the first waits for it.
   */
  private <T> T idempotent(long customerId, byte[] requestKey, Class<T> type, Supplier<T> action) {
    if (requestKey == null) {
      return action.get();
    }
    String key =
        Long.toUnsignedString(customerId) + ":" + Base64.getEncoder().encodeToString(requestKey);
    CompletableFuture<Object> mine = new CompletableFuture<>();
    CompletableFuture<Object> other = pendingRequests.putIfAbsent(key, mine);
    if (other != null) {
      try {
        return as(type, other.join());
      } catch (CompletionException e) {
        if (e.getCause() instanceof RuntimeException re) {
          throw re;
        }
        throw e;
      }
    }
    try {
      if (requestKeys.add(RequestKeys.fingerprint(customerId, requestKey))) {
        Optional<Object> recorded = recordedSale(customerId, requestKey);
        if (recorded.isPresent()) {
          T t = as(type, recorded.get());
          mine.complete(t);
          return t;
        }
      }
      T t = action.get();
      mine.complete(t);
      return t;
    } catch (RuntimeException e) {
      mine.completeExceptionally(e);
      throw e;
    } finally {
      pendingRequests.remove(key);
    }
  }

  private static <T> T as(Class<T> type, Object o) {
    if (!type.isInstance(o)) {
      throw new BrokerException(
          BrokerError.BAD_REQUEST, "this request was already served as a different kind of sale");
    }
    if (o instanceof VendorScripSale v) {
      return type.cast(
          new VendorScripSale(
              v.vendor(),
              v.scrip(),
              v.customerIdAtVendor(),
              v.sealedCustomerSecret(),
              v.supply(),
              true));
    }
    return type.cast(o);
  }

  private Optional<Object> recordedSale(long customerId, byte[] requestKey) {
    return books
        .database()
        .jdbi()
        .withHandle(
            h ->
                h.createQuery(
                        "SELECT issuer, token, supply, sealed_secret FROM issued_scrip"
                            + " WHERE customer_id = ? AND request_key = ?"
                            + " ORDER BY issued_at DESC LIMIT 1")
                    .bind(0, customerId)
                    .bind(1, requestKey)
                    .map(
                        (rs, ctx) -> {
                          String issuer = rs.getString(1);
                          if (issuer.equals(id())) {
                            return (Object) ScripCodec.decode(rs.getBytes(2));
                          }
                          return saleFromRow(
                              issuer, rs.getBytes(2), rs.getString(3), rs.getBytes(4), customerId);
                        })
                    .findOne());
  }

  private VendorScripSale saleFromRow(
      String vendor, byte[] token, String supply, byte[] sealed, long brokerCustomerId) {
    Scrip s = ScripCodec.decode(token);
    Supply sup = Supply.fromWireName(supply);
    byte[] seal = sealed;
    if (sup == Supply.LICENSED) {
      LicensedVendor lv = licensed.get(vendor);
      Customer c = accounts.customer(brokerCustomerId);
      seal =
          Payer.sealSecret(
              c.secret(), vendor, s.customerId(), lv.customerSecret(s.customerId()), random);
    }
    return new VendorScripSale(vendor, s, s.customerId(), seal, sup, true);
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
    if (!licensed.containsKey(vendor)) {
      vendorConfig(vendor);
      throw new BrokerException(
          BrokerError.UNKNOWN_VENDOR,
          "vendor " + vendor + " is a warehouse vendor: its scrip is paid for when bought");
    }
    if (scripIds.size() > MAX_SETTLEMENT_IDS) {
      throw new BrokerException(
          BrokerError.BAD_REQUEST,
          "at most " + MAX_SETTLEMENT_IDS + " scrip IDs per settlement, found " + scripIds.size());
    }
    LicensedVendor lv = licensed.get(vendor);
    List<Long> accepted = new ArrayList<>();
    List<SettlementResult.Rejection> rejected = new ArrayList<>();
    List<String> claimed = new ArrayList<>();
    long[] totals = new long[2];
    CompletableFuture<Void> done =
        books.decide(
            () -> {
              Set<Long> seen = new HashSet<>();
              Map<Long, long[]> state = issuedState(vendor, scripIds);
              for (long id : scripIds) {
                String key = vendor + ":" + id;
                long[] st = state.get(id);
                if (!seen.add(id) || settling.contains(key)) {
                  rejected.add(new SettlementResult.Rejection(id, BrokerError.ALREADY_SETTLED));
                } else if (st == null) {
                  rejected.add(new SettlementResult.Rejection(id, BrokerError.NOT_ISSUED));
                } else if (st[1] != IssuedRow.OUTSTANDING) {
                  rejected.add(new SettlementResult.Rejection(id, BrokerError.ALREADY_SETTLED));
                } else {
                  int bps =
                      lv.licenceOfKey(ScripId.fromLong(id).keyId())
                          .map(Licence::discountBps)
                          .orElse(0);
                  long value = st[0];
                  // value <= 10^12, so value x 10^4 cannot overflow.
                  long paid = value * (10_000 - bps) / 10_000;
                  totals[0] += value;
                  totals[1] += paid;
                  accepted.add(id);
                }
              }
              if (accepted.isEmpty()) {
                return null;
              }
              for (long id : accepted) {
                String key = vendor + ":" + id;
                settling.add(key);
                claimed.add(key);
              }
              long now = clock.millis();
              long value = totals[0];
              long paid = totals[1];
              long settlementId = books.nextId("settlements");
              List<Long> ids = List.copyOf(accepted);
              Entry e =
                  new Entry("settlement")
                      .post(outstanding(vendor), value)
                      .post(books.account("payable:" + vendor, AccountKind.VENDOR_PAYABLE), -paid)
                      .post(books.account("commission", AccountKind.COMMISSION), paid - value)
                      .write(
                          (h, entryId) -> {
                            var b =
                                h.prepareBatch(
                                    "UPDATE issued_scrip SET state = 2, closed_at = ?,"
                                        + " closed_entry = ? WHERE issuer = ? AND key_id = ?"
                                        + " AND serial = ? AND state = 0");
                            for (long id : ids) {
                              ScripId sid = ScripId.fromLong(id);
                              b.bind(0, now)
                                  .bind(1, entryId)
                                  .bind(2, vendor)
                                  .bind(3, sid.keyId())
                                  .bind(4, sid.serial())
                                  .add();
                            }
                            for (int n : b.execute()) {
                              if (n != 1) {
                                throw new IllegalStateException(
                                    "settled scrip of " + vendor + " is not outstanding");
                              }
                            }
                            h.createUpdate(
                                    "INSERT INTO settlements (id, vendor, at, pieces, value, paid,"
                                        + " entry_id) VALUES (?, ?, ?, ?, ?, ?, ?)")
                                .bind(0, settlementId)
                                .bind(1, vendor)
                                .bind(2, now)
                                .bind(3, ids.size())
                                .bind(4, value)
                                .bind(5, paid)
                                .bind(6, entryId)
                                .execute();
                          });
              return books.submit(e);
            });
    try {
      if (done != null) {
        books.await(done);
      }
    } finally {
      if (!claimed.isEmpty()) {
        books.decide(() -> claimed.forEach(settling::remove));
      }
    }
    count("millicent_broker_settled_scrip_total", "vendor", vendor).increment(accepted.size());
    count("millicent_broker_settlement_rejections_total", "vendor", vendor)
        .increment(rejected.size());
    return new SettlementResult(vendor, totals[1], accepted, rejected);
  }

  /**
   * The value and state of each of {@code ids} the broker issued as licensed scrip of {@code
   * vendor}.
   */
  private Map<Long, long[]> issuedState(String vendor, List<Long> ids) {
    Map<Long, long[]> out = new java.util.HashMap<>();
    if (ids.isEmpty()) {
      return out;
    }
    books
        .database()
        .jdbi()
        .useHandle(
            h -> {
              var q =
                  h.createQuery(
                      "SELECT value, state FROM issued_scrip WHERE issuer = :issuer"
                          + " AND key_id = :key AND serial = :serial AND supply = 'licensed'");
              for (long id : new HashSet<>(ids)) {
                ScripId sid = ScripId.fromLong(id);
                q.bind("issuer", vendor)
                    .bind("key", sid.keyId())
                    .bind("serial", sid.serial())
                    .map((rs, ctx) -> new long[] {rs.getLong(1), rs.getInt(2)})
                    .findOne()
                    .ifPresent(v -> out.put(id, v));
              }
            });
    return out;
  }

  /**
   * Pulls a licensed vendor's received-IDs report ({@code GET /millicent/broker/received}), settles
   * it, and marks it settled at the vendor: the settlement trigger for demos and schedules.
   *
   * @throws BrokerException {@code unknown-vendor}, or {@code vendor-unavailable} when the vendor
   *     cannot be reached (nothing is settled then)
   */
  public SettlementResult pullSettlement(String vendor) {
    VendorConfig vc = vendorConfig(vendor);
    if (vc.supply() != Supply.LICENSED) {
      throw new BrokerException(
          BrokerError.UNKNOWN_VENDOR, "vendor " + vendor + " is not a licensed vendor");
    }
    String token =
        vc.token()
            .orElseThrow(
                () ->
                    new BrokerException(
                        BrokerError.BAD_REQUEST,
                        "vendor " + vendor + " has no token configured to read its report"));
    VendorClient.Received r = client.received(vc.url(), token);
    SettlementResult result =
        settle(vendor, r.ids().stream().map(VendorClient.ReceivedId::scripId).toList());
    client.markSettled(vc.url(), token, r.upto());
    log.info(
        "broker: settled with {}: {} accepted, {} rejected, {} millicents",
        vendor,
        result.accepted().size(),
        result.rejected().size(),
        result.paidMillicents());
    return result;
  }

  /**
   * A vendor's statement for a period label (null: the current period).
   *
   * @throws BrokerException {@code unknown-vendor} or {@code bad-request}
   */
  public VendorStatement vendorStatement(String vendor, String period) {
    vendorConfig(vendor);
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

  // ---------------------------------------------------------------- metrics

  private record SaleCounters(Counter sales, Counter millicents) {}

  private final Map<String, Map<String, SaleCounters>> saleCounters = new ConcurrentHashMap<>();

  private void sold(String vendor, String kind, long amount) {
    SaleCounters sc =
        saleCounters
            .computeIfAbsent(vendor, v -> new ConcurrentHashMap<>())
            .computeIfAbsent(
                kind,
                k ->
                    new SaleCounters(
                        count("millicent_broker_sales_total", "vendor", vendor, "kind", k),
                        count(
                            "millicent_broker_sales_millicents_total",
                            "vendor",
                            vendor,
                            "kind",
                            k)));
    sc.sales().increment();
    sc.millicents().increment(amount);
  }

  private Counter count(String name, String... tags) {
    String key = name + String.join(",", tags);
    return counters.computeIfAbsent(key, k -> Counter.builder(name).tags(tags).register(meters));
  }

  /** Whether the last write to the books succeeded. */
  public boolean healthy() {
    return books.lastFailure() == null;
  }

  /** Writes what was submitted and stops the books' writer; the database stays open. */
  @Override
  public void close() {
    books.close();
  }

  /** A customer secret, for in-process tools that registered the customer themselves. */
  CustomerSecret customerSecret(long customerId) {
    return accounts.customer(customerId).secret();
  }
}
