package org.millicent.wallet;

import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import org.jdbi.v3.core.Handle;
import org.millicent.keys.CustomerSecret;
import org.millicent.scrip.Scrip;
import org.millicent.storage.Database;

/**
 * The wallet's SQLite file (migrations component {@code wallet}): broker accounts, customer
 * secrets, scrip and payments. Every change that moves value is one transaction: a payment is
 * recorded and its scrip marked in flight together, before the request leaves; settling marks the
 * scrip spent and adds the change together. Settling only acts on a payment still in flight, so a
 * payment settled twice (by a retry and a recovery) counts once.
 *
 * <p>This class scopes the transactions and holds the tables of accounts, secrets, vendors and
 * settings; the statements on the other tables are in {@link ScripTable}, {@link PaymentsTable},
 * {@link BudgetCheck} and {@link WalletReports}.
 *
 * <p>Thread-safe: writes are serialised by one lock (SQLite allows one writer; taking the lock
 * first keeps read-then-write transactions from failing on lock upgrades), reads run freely.
 */
final class WalletStore implements AutoCloseable {
  static final String COMPONENT = "wallet";

  private final Database db;
  private final ReentrantLock writes = new ReentrantLock();

  WalletStore(Database db) {
    this.db = db;
    db.migrate(COMPONENT);
  }

  @Override
  public void close() {
    db.close();
  }

  String describe() {
    return db.describe();
  }

  private <R> R write(Function<Handle, R> work) {
    writes.lock();
    try {
      return db.inTransaction(work::apply);
    } finally {
      writes.unlock();
    }
  }

  private <R> R read(Function<Handle, R> work) {
    return db.withHandle(work::apply);
  }

  // ------------------------------------------------------------------ settings

  Optional<String> setting(String name) {
    return read(
        h ->
            h.createQuery("SELECT value FROM settings WHERE name = ?")
                .bind(0, name)
                .mapTo(String.class)
                .findOne());
  }

  void putSetting(String name, String value) {
    write(
        h ->
            h.createUpdate(
                    "INSERT INTO settings (name, value) VALUES (?, ?)"
                        + " ON CONFLICT (name) DO UPDATE SET value = excluded.value")
                .bind(0, name)
                .bind(1, value)
                .execute());
  }

  // ------------------------------------------------------------------ brokers and secrets

  /** Records a new broker account and its secret together. */
  void addBroker(BrokerAccount a, CustomerSecret secret) {
    write(
        h -> {
          h.createUpdate(
                  "INSERT INTO brokers (url, broker, customer_id, name, credit_limit,"
                      + " registered_at) VALUES (?, ?, ?, ?, ?, ?)"
                      + " ON CONFLICT (url) DO UPDATE SET broker = excluded.broker,"
                      + " customer_id = excluded.customer_id, name = excluded.name,"
                      + " credit_limit = excluded.credit_limit,"
                      + " registered_at = excluded.registered_at")
              .bind(0, a.url().toString())
              .bind(1, a.broker())
              .bind(2, a.customerId())
              .bind(3, a.name())
              .bind(4, a.creditLimitMillicents())
              .bind(5, a.registeredAt().toEpochMilli())
              .execute();
          putSecret(h, a.broker(), a.customerId(), secret, a.url().toString(), a.registeredAt());
          return null;
        });
  }

  List<BrokerAccount> brokers() {
    return read(WalletStore::brokers);
  }

  private static List<BrokerAccount> brokers(Handle h) {
    return h.createQuery(
            "SELECT url, broker, customer_id, name, credit_limit, registered_at"
                + " FROM brokers ORDER BY registered_at, url")
        .map(
            (rs, ctx) ->
                new BrokerAccount(
                    URI.create(rs.getString(1)),
                    rs.getString(2),
                    rs.getLong(3),
                    rs.getString(4),
                    rs.getLong(5),
                    Instant.ofEpochMilli(rs.getLong(6))))
        .list();
  }

  Optional<CustomerSecret> secret(String vendor, long customerId) {
    return read(
        h ->
            h.createQuery("SELECT secret FROM secrets WHERE vendor = ? AND customer_id = ?")
                .bind(0, vendor)
                .bind(1, customerId)
                .mapTo(byte[].class)
                .findOne()
                .map(CustomerSecret::of));
  }

  /**
   * The customer secret of a piece held.
   *
   * @throws IllegalStateException when the wallet holds the piece but not its secret
   */
  CustomerSecret secretOf(HeldScrip s) {
    return secret(s.vendor(), s.customerId())
        .orElseThrow(
            () ->
                new IllegalStateException(
                    "no secret for customer "
                        + Long.toUnsignedString(s.customerId())
                        + " at "
                        + s.vendor()));
  }

  private static void putSecret(
      Handle h,
      String vendor,
      long customerId,
      CustomerSecret secret,
      String brokerUrl,
      Instant at) {
    h.createUpdate(
            "INSERT INTO secrets (vendor, customer_id, secret, broker_url, obtained_at)"
                + " VALUES (?, ?, ?, ?, ?) ON CONFLICT (vendor, customer_id) DO UPDATE"
                + " SET secret = excluded.secret")
        .bind(0, vendor)
        .bind(1, customerId)
        .bind(2, secret.toByteArray())
        .bind(3, brokerUrl)
        .bind(4, at.toEpochMilli())
        .execute();
  }

  // ------------------------------------------------------------------ vendors

  /** Where a vendor was met. */
  record VendorSite(
      String vendor, Optional<String> origin, Optional<String> exchangePath, List<URI> brokers) {}

  /**
   * Remembers a vendor's origin (when not null: it must be vouched, see {@link VendorOrigins}) and
   * adds {@code brokers} to the brokers known to sell its scrip. A new origin forgets the exchange
   * path read from the old one.
   */
  void sawVendor(String vendor, String origin, List<URI> brokers, Instant at) {
    write(
        h -> {
          java.util.LinkedHashSet<String> all = new java.util.LinkedHashSet<>();
          h.createQuery("SELECT brokers FROM vendors WHERE vendor = ?")
              .bind(0, vendor)
              .mapTo(String.class)
              .findOne()
              .ifPresent(
                  old -> {
                    for (String b : old.split(" ")) {
                      if (!b.isBlank()) {
                        all.add(b);
                      }
                    }
                  });
          brokers.forEach(b -> all.add(b.toString()));
          return h.createUpdate(
                  "INSERT INTO vendors (vendor, origin, brokers, seen_at) VALUES (?, ?, ?, ?)"
                      + " ON CONFLICT (vendor) DO UPDATE SET"
                      + " exchange_path = CASE WHEN excluded.origin IS NULL"
                      + " OR excluded.origin = vendors.origin THEN vendors.exchange_path END,"
                      + " origin = COALESCE(excluded.origin, vendors.origin),"
                      + " brokers = excluded.brokers, seen_at = excluded.seen_at")
              .bind(0, vendor)
              .bind(1, origin)
              .bind(2, String.join(" ", all))
              .bind(3, at.toEpochMilli())
              .execute();
        });
  }

  void setExchangePath(String vendor, String path) {
    write(
        h ->
            h.createUpdate("UPDATE vendors SET exchange_path = ? WHERE vendor = ?")
                .bind(0, path)
                .bind(1, vendor)
                .execute());
  }

  Optional<VendorSite> vendor(String vendor) {
    return read(
        h ->
            h.createQuery(
                    "SELECT vendor, origin, exchange_path, brokers FROM vendors WHERE vendor = ?")
                .bind(0, vendor)
                .map(
                    (rs, ctx) -> {
                      List<URI> brokers = new ArrayList<>();
                      for (String b : rs.getString(4).split(" ")) {
                        if (!b.isBlank()) {
                          brokers.add(URI.create(b));
                        }
                      }
                      return new VendorSite(
                          rs.getString(1),
                          Optional.ofNullable(rs.getString(2)),
                          Optional.ofNullable(rs.getString(3)),
                          brokers);
                    })
                .findOne());
  }

  /**
   * The origins vouched for {@code vendor} (every vendor when null), oldest first: those the
   * brokers' manifests and the user vouched for, and each broker account's own origin for the
   * broker's id (the user chose that URL when registering).
   */
  List<VouchedOrigin> vouchedOrigins(String vendor) {
    return read(
        h -> {
          List<VouchedOrigin> out = new ArrayList<>();
          for (BrokerAccount a : brokers(h)) {
            if (vendor == null || vendor.equals(a.broker())) {
              out.add(
                  new VouchedOrigin(
                      a.broker(),
                      org.millicent.wallet.http.Request.origin(a.url()),
                      a.url().toString(),
                      a.registeredAt()));
            }
          }
          out.addAll(
              h.createQuery(
                      "SELECT vendor, origin, source, added_at FROM vendor_origins"
                          + " WHERE :vendor IS NULL OR vendor = :vendor"
                          + " ORDER BY vendor, added_at, rowid")
                  .bind("vendor", vendor)
                  .map(
                      (rs, ctx) ->
                          new VouchedOrigin(
                              rs.getString(1),
                              rs.getString(2),
                              rs.getString(3),
                              Instant.ofEpochMilli(rs.getLong(4))))
                  .list());
          return out;
        });
  }

  /**
   * Replaces the origins {@code broker}'s manifest vouches for, for all its vendors at once.
   *
   * @param originsByVendor each vendor the manifest lists, with its origins
   */
  void replaceBrokerOrigins(
      URI broker,
      java.util.Map<String, ? extends java.util.Collection<String>> originsByVendor,
      Instant at) {
    write(
        h -> {
          h.createUpdate("DELETE FROM vendor_origins WHERE source = ?")
              .bind(0, broker.toString())
              .execute();
          originsByVendor.forEach(
              (vendor, origins) -> {
                for (String origin : origins) {
                  insertOrigin(h, vendor, origin, broker.toString(), at);
                }
              });
          return null;
        });
  }

  /** Vouches for {@code origin} as {@code vendor}'s on the user's word; false if it was already. */
  boolean addUserOrigin(String vendor, String origin, Instant at) {
    return write(h -> insertOrigin(h, vendor, origin, VouchedOrigin.USER, at) == 1);
  }

  /**
   * Withdraws the user's word for {@code origin} ({@code null}: every origin) as {@code vendor}'s.
   *
   * @return how many were withdrawn
   */
  int removeUserOrigins(String vendor, String origin) {
    return write(
        h ->
            h.createUpdate(
                    "DELETE FROM vendor_origins WHERE vendor = :vendor AND source = :source"
                        + " AND (:origin IS NULL OR origin = :origin)")
                .bind("vendor", vendor)
                .bind("source", VouchedOrigin.USER)
                .bind("origin", origin)
                .execute());
  }

  private static int insertOrigin(
      Handle h, String vendor, String origin, String source, Instant at) {
    return h.createUpdate(
            "INSERT INTO vendor_origins (vendor, origin, source, added_at) VALUES (?, ?, ?, ?)"
                + " ON CONFLICT (vendor, origin, source) DO NOTHING")
        .bind(0, vendor)
        .bind(1, origin)
        .bind(2, source)
        .bind(3, at.toEpochMilli())
        .execute();
  }

  // ------------------------------------------------------------------ scrip

  /** Every piece in the given states, by vendor, then soonest expiry. */
  List<HeldScrip> scrip(List<ScripState> states) {
    return read(h -> ScripTable.inStates(h, states));
  }

  /** Available pieces of {@code vendor}, soonest expiry first. */
  List<HeldScrip> available(String vendor) {
    return read(h -> ScripTable.available(h, vendor));
  }

  /** Adds scrip that came from outside a payment (as in tests or an import). */
  void addScrip(Scrip scrip, String source, Instant at) {
    write(
        h -> {
          ScripTable.insert(h, scrip, source, null, at);
          return null;
        });
  }

  /** The scrip a payment carries (in flight or settled). */
  List<HeldScrip> scripOf(long paymentId) {
    return read(h -> ScripTable.ofPayment(h, paymentId));
  }

  /** Marks available scrip that has expired as void. */
  int voidExpired(Instant now) {
    return write(h -> ScripTable.voidExpired(h, now));
  }

  // ------------------------------------------------------------------ payments

  /** A payment to record, before its scrip is known or after. */
  record PaymentDraft(
      String kind,
      String vendor,
      long customerId,
      String variant,
      long offeredPriceMillicents,
      String method,
      String url,
      String authorization,
      String contentType,
      String sealedContentType,
      byte[] body) {}

  /** What a purchase needs of the chosen scrip to build its request. */
  @FunctionalInterface
  interface DraftMaker {
    PaymentDraft draft(HeldScrip scrip);
  }

  /**
   * In one transaction: checks the budget, picks the smallest available piece of {@code vendor}
   * worth at least {@code price} that outlives {@code mustOutlive} and whose secret is held, marks
   * it in flight and records the payment {@code maker} builds for it.
   *
   * @return the recorded payment, or empty when no piece fits
   * @throws WalletException {@code budget-exceeded} when the price does not fit the budget
   */
  Optional<PaymentRecord> reservePurchase(
      String vendor,
      long price,
      Budget budget,
      Instant now,
      Instant mustOutlive,
      DraftMaker maker,
      java.util.function.LongConsumer claim) {
    return write(
        h -> {
          BudgetCheck.check(h, vendor, price, budget, now);
          Optional<HeldScrip> pick = ScripTable.smallestCovering(h, vendor, price, mustOutlive);
          if (pick.isEmpty()) {
            return Optional.empty();
          }
          return Optional.of(
              recordPayment(h, maker.draft(pick.get()), List.of(pick.get()), now, claim));
        });
  }

  /**
   * Checks that paying {@code price} to {@code vendor} now stays within {@code budget}, counting
   * payments done and in flight.
   *
   * @throws WalletException {@code budget-exceeded} when it does not
   */
  void checkBudget(String vendor, long price, Budget budget, Instant now) {
    read(
        h -> {
          BudgetCheck.check(h, vendor, price, budget, now);
          return null;
        });
  }

  /**
   * Marks {@code inputs} in flight and records the exchange {@code draft} pays them with, in one
   * transaction.
   *
   * @return the recorded payment, or empty when a piece is no longer available
   */
  Optional<PaymentRecord> reserveExchange(
      List<HeldScrip> inputs,
      PaymentDraft draft,
      Instant now,
      java.util.function.LongConsumer claim) {
    return write(
        h -> {
          if (!ScripTable.allAvailable(h, inputs)) {
            return Optional.empty();
          }
          return Optional.of(recordPayment(h, draft, inputs, now, claim));
        });
  }

  /** Records a purchase of vendor scrip from a broker, before its request leaves. */
  PaymentRecord recordBuy(PaymentDraft draft, Instant now, java.util.function.LongConsumer claim) {
    return write(h -> recordPayment(h, draft, List.of(), now, claim));
  }

  /**
   * Inserts the payment and marks its scrip in flight; {@code claim} learns the payment's id before
   * the transaction commits, so that the caller owns it before any recovery can see it.
   */
  private static PaymentRecord recordPayment(
      Handle h,
      PaymentDraft d,
      List<HeldScrip> inputs,
      Instant now,
      java.util.function.LongConsumer claim) {
    long id =
        PaymentsTable.insert(h, d, inputs.isEmpty() ? null : inputs.getFirst().id().toLong(), now);
    claim.accept(id);
    ScripTable.markInFlight(h, id, inputs);
    return PaymentsTable.inserted(id, d, now);
  }

  /** Counts one more sending of an in-flight payment. */
  void countAttempt(long paymentId) {
    write(
        h -> {
          PaymentsTable.countAttempt(h, paymentId);
          return null;
        });
  }

  /** Payments still in flight, oldest first; of one vendor when {@code vendor} is not null. */
  List<PaymentRecord> inFlight(String vendor) {
    return read(h -> PaymentsTable.inFlight(h, vendor));
  }

  /**
   * Settles a purchase or exchange the vendor accepted: its scrip is spent and {@code received}
   * (change, or an exchange's outputs) is added, in one transaction.
   *
   * @return false when the payment was no longer in flight (settled before; nothing changed)
   */
  boolean settleAccepted(
      long paymentId,
      long priceMillicents,
      List<Scrip> received,
      String source,
      String detail,
      Instant now) {
    return write(
        h -> {
          if (!PaymentsTable.finish(
              h, paymentId, "done", priceMillicents, sum(received), "ok", detail, now)) {
            return false;
          }
          ScripTable.markSpent(h, paymentId, now);
          for (Scrip s : received) {
            ScripTable.insert(h, s, source, paymentId, now);
          }
          return true;
        });
  }

  /**
   * Settles a payment that was refused or failed: its scrip becomes {@code scripState} (available
   * again when the vendor did not consume it).
   *
   * @return false when the payment was no longer in flight
   */
  boolean settleRefused(
      long paymentId, String outcome, String detail, ScripState scripState, Instant now) {
    return write(
        h -> {
          if (!PaymentsTable.finish(h, paymentId, "failed", null, null, outcome, detail, now)) {
            return false;
          }
          ScripTable.markRefused(h, paymentId, scripState, now);
          return true;
        });
  }

  /**
   * Settles a purchase of vendor scrip from a broker: the scrip and the vendor customer secret are
   * kept, in one transaction.
   *
   * @return false when the payment was no longer in flight
   */
  boolean settleBuy(
      long paymentId,
      Scrip scrip,
      CustomerSecret vendorSecret,
      String brokerUrl,
      String detail,
      Instant now) {
    return write(
        h -> {
          if (!PaymentsTable.finish(
              h, paymentId, "done", scrip.valueMillicents(), 0L, "ok", detail, now)) {
            return false;
          }
          putSecret(h, scrip.vendor(), scrip.customerId(), vendorSecret, brokerUrl, now);
          ScripTable.insert(h, scrip, "bought", paymentId, now);
          return true;
        });
  }

  private static long sum(List<Scrip> scrip) {
    long s = 0;
    for (Scrip x : scrip) {
      s += x.valueMillicents();
    }
    return s;
  }

  // ------------------------------------------------------------------ reports

  /** The last {@code limit} payments, oldest first. */
  List<HistoryEntry> history(int limit) {
    return read(h -> WalletReports.history(h, limit));
  }

  /** The wallet's books over its life. */
  WalletTotals totals() {
    return read(WalletReports::totals);
  }
}
