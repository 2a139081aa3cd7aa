package org.millicent.broker;

import java.security.SecureRandom;
import java.time.Instant;
import java.time.InstantSource;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.millicent.broker.Funding.OnAccount;
import org.millicent.broker.Funding.WithScrip;
import org.millicent.broker.accounts.Accounts;
import org.millicent.broker.accounts.Customer;
import org.millicent.broker.books.AccountKind;
import org.millicent.broker.books.Books;
import org.millicent.broker.books.Entry;
import org.millicent.broker.books.IssuedScrip;
import org.millicent.broker.books.LedgerAccount;
import org.millicent.broker.issuing.BrokerSpendRecorder;
import org.millicent.broker.store.IssuedScripStore;
import org.millicent.broker.supply.ExchangedScrip;
import org.millicent.broker.supply.LicensedVendor;
import org.millicent.broker.supply.RecordedExchange;
import org.millicent.broker.supply.WarehouseVendor;
import org.millicent.protocol.Payer;
import org.millicent.protocol.Payment;
import org.millicent.purchase.ExchangeService;
import org.millicent.purchase.Pricer;
import org.millicent.purchase.Purchase;
import org.millicent.purchase.PurchaseService;
import org.millicent.scrip.Scrip;
import org.millicent.scrip.ScripProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The broker's sales (docs/BROKER.md, "Selling scrip"): broker scrip charged to an account, and
 * vendor scrip, minted under a licence or taken from the warehouse, charged to an account or paid
 * with broker scrip. Each sale is one entry in the books: the paying side (the account charge, or
 * the broker scrip spent and its change), the scrip issued and the outstanding or inventory account
 * it comes from. {@link Broker} delegates to it; its public methods document the failures.
 *
 * <p>Thread-safe: decisions that read and change balances run under the books' decision lock.
 */
final class Sales {
  // Logs as the broker, the category operators configure.
  private static final Logger log = LoggerFactory.getLogger(Broker.class);

  private static final String SUPPLY_BROKER = "broker";

  private final BrokerConfig config;
  private final VendorDirectory vendors;
  private final Books books;
  private final Accounts accounts;
  private final PurchaseService purchases;
  private final BrokerSpendRecorder spends;
  private final Licensing licensing;
  private final Map<String, WarehouseVendor> warehouses;
  private final SaleReplays replays;
  private final BrokerMetrics metrics;
  private final InstantSource clock;
  private final SecureRandom random;

  Sales(
      BrokerConfig config,
      VendorDirectory vendors,
      Books books,
      Accounts accounts,
      PurchaseService purchases,
      BrokerSpendRecorder spends,
      Licensing licensing,
      Map<String, WarehouseVendor> warehouses,
      SaleReplays replays,
      BrokerMetrics metrics,
      InstantSource clock,
      SecureRandom random) {
    this.config = config;
    this.vendors = vendors;
    this.books = books;
    this.accounts = accounts;
    this.purchases = purchases;
    this.spends = spends;
    this.licensing = licensing;
    this.warehouses = warehouses;
    this.replays = replays;
    this.metrics = metrics;
    this.clock = clock;
    this.random = random;
  }

  private String id() {
    return config.brokerId();
  }

  /** See {@link Broker#sellBrokerScrip}. */
  Scrip sellBrokerScrip(long customerId, long amountMillicents, byte[] requestKey) {
    Accounts.checkAmount(amountMillicents);
    Customer c = accounts.customer(customerId);
    return replays.once(
        customerId,
        requestKey,
        Scrip.class,
        () -> {
          long now = clock.millis();
          Instant expires =
              clock.instant().plus(config.scripLifetime()).truncatedTo(ChronoUnit.SECONDS);
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
                    e.post(Issuance.outstanding(books, id()), -amountMillicents)
                        .issue(
                            Issuance.row(
                                s,
                                "sale",
                                SUPPLY_BROKER,
                                c.id(),
                                now,
                                requestKey,
                                null,
                                IssuedScrip.OUTSTANDING,
                                null));
                    out[0] = s;
                    return books.submit(e);
                  }));
          metrics.sold(id(), "sale", amountMillicents);
          return out[0];
        });
  }

  /** See {@link Broker#sellVendorScrip}. */
  VendorScripSale sellVendorScrip(
      long customerId, String vendor, long amountMillicents, byte[] requestKey) {
    Accounts.checkAmount(amountMillicents);
    if (id().equals(vendor)) {
      Customer c = accounts.customer(customerId);
      Scrip s = sellBrokerScrip(customerId, amountMillicents, requestKey);
      byte[] sealed = Payer.sealSecret(c.secret(), id(), c.id(), c.secret(), random);
      return new VendorScripSale(id(), s, c.id(), sealed, null, false);
    }
    VendorConfig vc = vendors.require(vendor);
    Customer c = accounts.customer(customerId);
    return replays.once(
        customerId,
        requestKey,
        VendorScripSale.class,
        () -> sell(vc, amountMillicents, new OnAccount(c, requestKey)));
  }

  /** See {@link Broker#buyVendorScrip}. */
  ScripPurchase buyVendorScrip(Payment payment, String vendor, long amountMillicents) {
    Accounts.checkAmount(amountMillicents);
    VendorConfig vc = vendors.require(vendor);
    if (vc.supply() == Supply.LICENSED) {
      licensing.ensure(licensing.require(vendor));
    }
    Purchase p = purchases.begin(payment, Pricer.fixed(amountMillicents));
    if (p.isReplay()) {
      return new ScripPurchase(replays.recordedPurchase(p), p);
    }
    try {
      Customer c = accounts.customer(p.scrip().customerId());
      VendorScripSale sale = sell(vc, amountMillicents, new WithScrip(c, p));
      spends.markDurable(p.scrip().id());
      p.commit();
      return new ScripPurchase(sale, p);
    } catch (RuntimeException | Error e) {
      p.release(); // an Error too: a claim left held would keep the customer's scrip until restart
      throw e;
    }
  }

  private VendorScripSale sell(VendorConfig vc, long amount, Funding f) {
    return switch (vc.supply()) {
      case LICENSED -> sellLicensed(licensing.require(vc.vendor()), amount, f);
      case WAREHOUSE -> sellWarehouse(warehouse(vc.vendor()), amount, f);
    };
  }

  private WarehouseVendor warehouse(String vendor) {
    WarehouseVendor w = warehouses.get(vendor);
    if (w == null) {
      throw new BrokerException(
          BrokerError.UNKNOWN_VENDOR, "vendor \"" + vendor + "\" is not a warehouse vendor here");
    }
    return w;
  }

  private VendorScripSale sellLicensed(LicensedVendor lv, long amount, Funding f) {
    licensing.ensure(lv);
    Customer c = f.customer();
    long now = clock.millis();
    String kind = f.kind();
    byte[] requestKey = f.requestKey();
    Long paidBy = f.paidBy();
    // Minting reads only lock-free state, so a returning customer's scrip is made before the
    // decision lock; a serial wasted when the charge is refused was never handed to anyone.
    OptionalLong known = lv.knownCustomerIdAtVendor(c.id());
    Scrip early = known.isPresent() ? lv.mint(amount, known.getAsLong(), clock.instant()) : null;
    IssuedScrip earlyRow =
        early == null
            ? null
            : Issuance.row(
                early, kind, Supply.LICENSED.wireName(), c.id(), now, requestKey, paidBy, 0, null);
    Scrip[] out = new Scrip[1];
    books.await(
        books.decide(
            () -> {
              Entry e = new Entry(kind);
              long vcid = lv.customerIdAtVendor(c.id(), e);
              fund(e, f, amount);
              Scrip s = early;
              IssuedScrip r = earlyRow;
              if (s == null || r == null || s.customerId() != vcid) { // r is null iff s is
                s = lv.mint(amount, vcid, clock.instant());
                r =
                    Issuance.row(
                        s,
                        kind,
                        Supply.LICENSED.wireName(),
                        c.id(),
                        now,
                        requestKey,
                        paidBy,
                        0,
                        null);
              }
              e.post(Issuance.outstanding(books, lv.vendor()), -amount).issue(r);
              out[0] = s;
              return books.submit(e);
            }));
    Scrip s = out[0];
    metrics.sold(lv.vendor(), kind, amount);
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
    byte[] saleKey =
        switch (f) {
          case OnAccount a -> a.requestKey() != null ? a.requestKey() : randomKey();
          case WithScrip w -> w.purchase().fingerprint();
        };
    if (f instanceof OnAccount) {
      books.decide(() -> accounts.reserve(c, amount));
    }
    RecordedExchange recorded;
    ExchangedScrip ex;
    try {
      // A retry of the customer's request continues its recorded exchange, sending the same
      // request again, so the pieces it took are neither lost nor handed out twice.
      recorded = wv.find(c.id(), saleKey).orElse(null);
      if (recorded != null && recorded.amountMillicents() != amount) {
        throw new BrokerException(
            BrokerError.BAD_REQUEST,
            "this request's exchange at "
                + wv.vendor()
                + " is for "
                + recorded.amountMillicents()
                + " millicents, found "
                + amount);
      }
      if (recorded != null && wv.answerExpiring(recorded, clock.instant())) {
        wv.closeUnclaimed(recorded, clock.instant());
        recorded = null;
      }
      if (recorded == null) {
        recorded =
            wv.begin(
                (int) (amount / piece),
                c.id(),
                saleKey,
                amount,
                wv.customerRef(c.secret()),
                clock.instant());
      }
      try {
        ex = wv.complete(recorded, WarehouseVendor.ATTEMPTS, clock.instant());
      } catch (RuntimeException e) {
        log.warn("broker: warehouse exchange at {} failed: {}", wv.vendor(), e.getMessage());
        throw e;
      }
    } catch (RuntimeException e) {
      if (f instanceof OnAccount) {
        books.decide(() -> accounts.release(c, amount));
      }
      throw e;
    }
    RecordedExchange sold = recorded;
    Scrip s = ex.scrip();
    byte[] sealed = Payer.sealSecret(c.secret(), wv.vendor(), s.customerId(), ex.secret(), random);
    long now = clock.millis();
    books.await(
        books.decide(
            () -> {
              Entry e = new Entry(f.kind());
              if (f instanceof OnAccount) {
                accounts.chargeReserved(e, c, amount);
              } else {
                fund(e, f, amount);
              }
              wv.markSold(e, sold, now);
              e.post(books.account("inventory:" + wv.vendor(), AccountKind.INVENTORY), -amount)
                  .issue(
                      Issuance.row(
                          s,
                          f.kind(),
                          Supply.WAREHOUSE.wireName(),
                          c.id(),
                          now,
                          f.requestKey(),
                          f.paidBy(),
                          IssuedScrip.REDEEMED_AT_ISSUE,
                          sealed));
              return books.submit(e);
            }));
    metrics.sold(wv.vendor(), f.kind(), amount);
    return new VendorScripSale(wv.vendor(), s, s.customerId(), sealed, Supply.WAREHOUSE, false);
  }

  private byte[] randomKey() {
    byte[] k = new byte[16];
    random.nextBytes(k);
    return k;
  }

  /** Posts the paying side of a sale: the account charge, or the broker scrip spent and change. */
  private void fund(Entry e, Funding f, long amount) {
    switch (f) {
      case OnAccount a -> accounts.charge(e, a.customer(), amount);
      case WithScrip w -> {
        Purchase p = w.purchase();
        Scrip paid = p.scrip();
        LedgerAccount brokerScrip = Issuance.outstanding(books, id());
        e.post(brokerScrip, paid.valueMillicents());
        p.change()
            .ifPresent(
                ch -> {
                  e.post(brokerScrip, -ch.valueMillicents());
                  e.issue(
                      Issuance.row(
                          ch,
                          "change",
                          SUPPLY_BROKER,
                          w.customer().id(),
                          clock.millis(),
                          null,
                          paid.id().toLong(),
                          IssuedScrip.OUTSTANDING,
                          null));
                });
        byte[] fp = p.fingerprint();
        long now = clock.millis();
        e.write(
            (h, entryId) -> {
              int[] n =
                  IssuedScripStore.markSpent(h, id(), List.of(paid.id()), now, entryId, fp, amount);
              if (n[0] != 1) {
                throw new IllegalStateException(
                    "broker scrip " + paid.id() + " is not outstanding in the books");
              }
            });
      }
    }
  }
}
