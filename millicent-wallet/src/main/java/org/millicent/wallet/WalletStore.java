package org.millicent.wallet;

import java.net.URI;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import org.jdbi.v3.core.Handle;
import org.millicent.keys.CustomerSecret;
import org.millicent.scrip.Scrip;
import org.millicent.scrip.ScripId;
import org.millicent.storage.Database;

/**
 * The wallet's SQLite file (migrations component {@code wallet}): broker accounts, customer
 * secrets, scrip and payments. Every change that moves value is one transaction: a payment is
 * recorded and its scrip marked in flight together, before the request leaves; settling marks the
 * scrip spent and adds the change together. Settling only acts on a payment still in flight, so a
 * payment settled twice (by a retry and a recovery) counts once.
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
    return read(
        h ->
            h.createQuery(
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
                .list());
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
   * Remembers a vendor's origin (when not null) and adds {@code brokers} to the brokers known to
   * sell its scrip.
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

  // ------------------------------------------------------------------ scrip

  private static final String SCRIP_COLUMNS =
      "vendor, scrip_id, customer_id, value, expires_at, token, state, source, acquired_at";

  private static HeldScrip scripRow(java.sql.ResultSet rs) throws java.sql.SQLException {
    return new HeldScrip(
        rs.getString(1),
        ScripId.fromLong(rs.getLong(2)),
        rs.getLong(3),
        rs.getLong(4),
        Instant.ofEpochMilli(rs.getLong(5)),
        rs.getString(6),
        ScripState.of(rs.getString(7)),
        rs.getString(8),
        Instant.ofEpochMilli(rs.getLong(9)));
  }

  /** Every piece in the given states, by vendor, then soonest expiry. */
  List<HeldScrip> scrip(List<ScripState> states) {
    String in = String.join(",", states.stream().map(s -> "'" + s.wireName() + "'").toList());
    return read(
        h ->
            h.createQuery(
                    "SELECT "
                        + SCRIP_COLUMNS
                        + " FROM scrip WHERE state IN ("
                        + in
                        + ") ORDER BY vendor, expires_at, value")
                .map((rs, ctx) -> scripRow(rs))
                .list());
  }

  /** Available pieces of {@code vendor}, soonest expiry first. */
  List<HeldScrip> available(String vendor) {
    return read(
        h ->
            h.createQuery(
                    "SELECT "
                        + SCRIP_COLUMNS
                        + " FROM scrip WHERE vendor = ? AND state = 'available'"
                        + " ORDER BY expires_at, value")
                .bind(0, vendor)
                .map((rs, ctx) -> scripRow(rs))
                .list());
  }

  /** Adds scrip that came from outside a payment (as in tests or an import). */
  void addScrip(Scrip scrip, String source, Instant at) {
    write(
        h -> {
          insertScrip(h, scrip, source, null, at);
          return null;
        });
  }

  private static void insertScrip(
      Handle h, Scrip scrip, String source, Long acquiredBy, Instant at) {
    h.createUpdate(
            "INSERT INTO scrip ("
                + SCRIP_COLUMNS
                + ", acquired_by) VALUES (?, ?, ?, ?, ?, ?, 'available', ?, ?, ?)"
                + " ON CONFLICT (vendor, scrip_id) DO NOTHING")
        .bind(0, scrip.vendor())
        .bind(1, scrip.id().toLong())
        .bind(2, scrip.customerId())
        .bind(3, scrip.valueMillicents())
        .bind(4, scrip.expiresAt().toEpochMilli())
        .bind(5, scrip.token())
        .bind(6, source)
        .bind(7, at.toEpochMilli())
        .bind(8, acquiredBy)
        .execute();
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
          checkBudget(h, vendor, price, budget, now);
          Optional<HeldScrip> pick =
              h.createQuery(
                      "SELECT "
                          + SCRIP_COLUMNS
                          + " FROM scrip s WHERE vendor = ? AND state = 'available'"
                          + " AND value >= ? AND expires_at > ? AND EXISTS (SELECT 1 FROM"
                          + " secrets k WHERE k.vendor = s.vendor AND k.customer_id ="
                          + " s.customer_id) ORDER BY value, expires_at LIMIT 1")
                  .bind(0, vendor)
                  .bind(1, price)
                  .bind(2, mustOutlive.toEpochMilli())
                  .map((rs, ctx) -> scripRow(rs))
                  .findOne();
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
          checkBudget(h, vendor, price, budget, now);
          return null;
        });
  }

  private static void checkBudget(Handle h, String vendor, long price, Budget budget, Instant now) {
    if (price > budget.perRequestMillicents()) {
      throw budgetExceeded(
          "the price "
              + Amounts.format(price)
              + " is above the per-request limit of "
              + Amounts.format(budget.perRequestMillicents()));
    }
    long dayStart =
        LocalDate.ofInstant(now, ZoneOffset.UTC)
            .atStartOfDay(ZoneOffset.UTC)
            .toInstant()
            .toEpochMilli();
    long today =
        h.createQuery(
                "SELECT COALESCE(SUM(COALESCE(price, offered_price)), 0) FROM payments"
                    + " WHERE kind = 'purchase' AND state <> 'failed' AND vendor = ?"
                    + " AND started_at >= ?")
            .bind(0, vendor)
            .bind(1, dayStart)
            .mapTo(Long.class)
            .one();
    if (today + price > budget.perVendorPerDayMillicents() || today + price < 0) {
      throw budgetExceeded(
          "paying "
              + Amounts.format(price)
              + " to "
              + vendor
              + " would make "
              + Amounts.format(today + price)
              + " today, above the per-vendor daily limit of "
              + Amounts.format(budget.perVendorPerDayMillicents()));
    }
    long total = spentTotal(h);
    if (total + price > budget.totalMillicents() || total + price < 0) {
      throw budgetExceeded(
          "paying "
              + Amounts.format(price)
              + " would make "
              + Amounts.format(total + price)
              + " in total, above the total limit of "
              + Amounts.format(budget.totalMillicents()));
    }
  }

  private static long spentTotal(Handle h) {
    return h.createQuery(
            "SELECT COALESCE(SUM(COALESCE(price, offered_price)), 0) FROM payments"
                + " WHERE kind = 'purchase' AND state <> 'failed'")
        .mapTo(Long.class)
        .one();
  }

  private static WalletException budgetExceeded(String message) {
    return new WalletException(
        WalletException.Code.BUDGET_EXCEEDED, message + "; nothing was paid");
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
          for (HeldScrip s : inputs) {
            int free =
                h.createQuery(
                        "SELECT COUNT(*) FROM scrip WHERE vendor = ? AND scrip_id = ?"
                            + " AND state = 'available'")
                    .bind(0, s.vendor())
                    .bind(1, s.id().toLong())
                    .mapTo(Integer.class)
                    .one();
            if (free != 1) {
              return Optional.empty();
            }
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
        h.createUpdate(
                "INSERT INTO payments (kind, vendor, scrip_id, customer_id, variant,"
                    + " offered_price, method, url, authorization, content_type,"
                    + " sealed_content_type, body, state, attempts, started_at)"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'in-flight', 0, ?)")
            .bind(0, d.kind())
            .bind(1, d.vendor())
            .bind(2, inputs.isEmpty() ? null : inputs.getFirst().id().toLong())
            .bind(3, d.customerId())
            .bind(4, d.variant())
            .bind(5, d.offeredPriceMillicents())
            .bind(6, d.method())
            .bind(7, d.url())
            .bind(8, d.authorization())
            .bind(9, d.contentType())
            .bind(10, d.sealedContentType())
            .bind(11, d.body())
            .bind(12, now.toEpochMilli())
            .executeAndReturnGeneratedKeys("id")
            .mapTo(Long.class)
            .one();
    claim.accept(id);
    for (HeldScrip s : inputs) {
      int n =
          h.createUpdate(
                  "UPDATE scrip SET state = 'in-flight', payment_id = ? WHERE vendor = ?"
                      + " AND scrip_id = ? AND state = 'available'")
              .bind(0, id)
              .bind(1, s.vendor())
              .bind(2, s.id().toLong())
              .execute();
      if (n != 1) {
        throw new IllegalStateException("scrip " + s.id() + " was taken by another payment");
      }
    }
    return new PaymentRecord(
        id,
        d.kind(),
        d.vendor(),
        d.customerId(),
        d.variant(),
        d.offeredPriceMillicents(),
        d.method(),
        d.url(),
        d.authorization(),
        d.contentType(),
        d.sealedContentType(),
        d.body(),
        0,
        now);
  }

  /** Counts one more sending of an in-flight payment. */
  void countAttempt(long paymentId) {
    write(
        h ->
            h.createUpdate("UPDATE payments SET attempts = attempts + 1 WHERE id = ?")
                .bind(0, paymentId)
                .execute());
  }

  /** Payments still in flight, oldest first; of one vendor when {@code vendor} is not null. */
  List<PaymentRecord> inFlight(String vendor) {
    return read(
        h ->
            h.createQuery(
                    "SELECT id, kind, vendor, customer_id, variant, offered_price, method, url,"
                        + " authorization, content_type, sealed_content_type, body, attempts,"
                        + " started_at FROM payments"
                        + " WHERE state = 'in-flight'"
                        + (vendor == null ? "" : " AND vendor = :vendor")
                        + " ORDER BY id")
                .bindMap(vendor == null ? Map.of() : Map.of("vendor", vendor))
                .map(
                    (rs, ctx) ->
                        new PaymentRecord(
                            rs.getLong(1),
                            rs.getString(2),
                            rs.getString(3),
                            rs.getLong(4),
                            rs.getString(5),
                            rs.getLong(6),
                            rs.getString(7),
                            rs.getString(8),
                            rs.getString(9),
                            rs.getString(10),
                            rs.getString(11),
                            rs.getBytes(12),
                            rs.getInt(13),
                            Instant.ofEpochMilli(rs.getLong(14))))
                .list());
  }

  /** The scrip a payment carries (in flight or settled). */
  List<HeldScrip> scripOf(long paymentId) {
    return read(
        h ->
            h.createQuery(
                    "SELECT "
                        + SCRIP_COLUMNS
                        + " FROM scrip WHERE payment_id = ? ORDER BY expires_at, value")
                .bind(0, paymentId)
                .map((rs, ctx) -> scripRow(rs))
                .list());
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
          if (!finish(h, paymentId, "done", priceMillicents, sum(received), "ok", detail, now)) {
            return false;
          }
          h.createUpdate(
                  "UPDATE scrip SET state = 'spent', closed_at = ? WHERE payment_id = ?"
                      + " AND state = 'in-flight'")
              .bind(0, now.toEpochMilli())
              .bind(1, paymentId)
              .execute();
          for (Scrip s : received) {
            insertScrip(h, s, source, paymentId, now);
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
          if (!finish(h, paymentId, "failed", null, null, outcome, detail, now)) {
            return false;
          }
          h.createUpdate(
                  "UPDATE scrip SET state = ?, closed_at = ?,"
                      + " payment_id = CASE WHEN ? = 'available' THEN NULL ELSE payment_id END"
                      + " WHERE payment_id = ? AND state = 'in-flight'")
              .bind(0, scripState.wireName())
              .bind(1, scripState == ScripState.AVAILABLE ? null : now.toEpochMilli())
              .bind(2, scripState.wireName())
              .bind(3, paymentId)
              .execute();
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
          if (!finish(h, paymentId, "done", scrip.valueMillicents(), 0L, "ok", detail, now)) {
            return false;
          }
          putSecret(h, scrip.vendor(), scrip.customerId(), vendorSecret, brokerUrl, now);
          insertScrip(h, scrip, "bought", paymentId, now);
          return true;
        });
  }

  private static boolean finish(
      Handle h,
      long paymentId,
      String state,
      Long price,
      Long change,
      String outcome,
      String detail,
      Instant now) {
    return h.createUpdate(
                "UPDATE payments SET state = ?, price = ?, change_value = ?, outcome = ?,"
                    + " detail = ?, finished_at = ? WHERE id = ? AND state = 'in-flight'")
            .bind(0, state)
            .bind(1, price)
            .bind(2, change)
            .bind(3, outcome)
            .bind(4, detail)
            .bind(5, now.toEpochMilli())
            .bind(6, paymentId)
            .execute()
        == 1;
  }

  private static long sum(List<Scrip> scrip) {
    long s = 0;
    for (Scrip x : scrip) {
      s += x.valueMillicents();
    }
    return s;
  }

  /** Marks available scrip that has expired as void. */
  int voidExpired(Instant now) {
    return write(
        h ->
            h.createUpdate(
                    "UPDATE scrip SET state = 'void', closed_at = ? WHERE state = 'available'"
                        + " AND expires_at <= ?")
                .bind(0, now.toEpochMilli())
                .bind(1, now.toEpochMilli())
                .execute());
  }

  // ------------------------------------------------------------------ reports

  List<HistoryEntry> history(int limit) {
    return read(
        h ->
            h.createQuery(
                    "SELECT id, kind, vendor, method, url, state, offered_price, price,"
                        + " change_value, outcome, detail, started_at, finished_at FROM payments"
                        + " ORDER BY id DESC LIMIT ?")
                .bind(0, limit)
                .map(
                    (rs, ctx) ->
                        new HistoryEntry(
                            rs.getLong(1),
                            rs.getString(2),
                            rs.getString(3),
                            rs.getString(4),
                            rs.getString(5),
                            rs.getString(6),
                            rs.getLong(7),
                            optionalLong(rs, 8),
                            optionalLong(rs, 9),
                            Optional.ofNullable(rs.getString(10)),
                            Optional.ofNullable(rs.getString(11)),
                            Instant.ofEpochMilli(rs.getLong(12)),
                            optionalLong(rs, 13).map(Instant::ofEpochMilli)))
                .list()
                .reversed());
  }

  private static Optional<Long> optionalLong(java.sql.ResultSet rs, int column)
      throws java.sql.SQLException {
    long v = rs.getLong(column);
    return rs.wasNull() ? Optional.empty() : Optional.of(v);
  }

  WalletTotals totals() {
    return read(
        h -> {
          long bought =
              h.createQuery(
                      "SELECT COALESCE(SUM(price), 0) FROM payments WHERE kind = 'buy'"
                          + " AND state = 'done'")
                  .mapTo(Long.class)
                  .one();
          long paid =
              h.createQuery(
                      "SELECT COALESCE(SUM(price), 0) FROM payments WHERE kind = 'purchase'"
                          + " AND state = 'done'")
                  .mapTo(Long.class)
                  .one();
          long purchases =
              h.createQuery(
                      "SELECT COUNT(*) FROM payments WHERE kind = 'purchase' AND state = 'done'")
                  .mapTo(Long.class)
                  .one();
          long held = stateValue(h, "available");
          long inFlight = stateValue(h, "in-flight");
          long lost =
              stateValue(h, "void")
                  + h.createQuery(
                          "SELECT COALESCE(SUM(value), 0) FROM scrip WHERE state = 'spent'"
                              + " AND payment_id IN (SELECT id FROM payments"
                              + " WHERE state = 'failed')")
                      .mapTo(Long.class)
                      .one();
          return new WalletTotals(bought, paid, held, inFlight, lost, purchases);
        });
  }

  private static long stateValue(Handle h, String state) {
    return h.createQuery("SELECT COALESCE(SUM(value), 0) FROM scrip WHERE state = ?")
        .bind(0, state)
        .mapTo(Long.class)
        .one();
  }
}
