package org.millicent.wallet;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.function.LongConsumer;
import java.util.function.Supplier;
import org.jdbi.v3.core.Handle;
import org.jspecify.annotations.Nullable;
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
 * <p>This class scopes the transactions and holds the settings table; what the wallet knows of
 * vendors (their sites and vouched origins) is in {@link VendorOriginStore}, reached through {@link
 * #origins()}, in transactions of this store; the statements on the other tables are in {@link
 * BrokersTable}, {@link ScripTable}, {@link PaymentsTable}, {@link BudgetCheck} and {@link
 * WalletReports}.
 *
 * <p>Thread-safe: writes are serialised by one lock (SQLite allows one writer; taking the lock
 * first keeps read-then-write transactions from failing on lock upgrades), reads run freely.
 */
final class WalletStore implements AutoCloseable {
  static final String COMPONENT = "wallet";

  private final Database db;
  private final ReentrantLock writes = new ReentrantLock();
  private final VendorOriginStore origins = new VendorOriginStore(this);

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

  /** Runs {@code work} in a write transaction, after the writers before it. */
  <R> R write(Function<Handle, R> work) {
    writes.lock();
    try {
      return db.inTransaction(work::apply);
    } finally {
      writes.unlock();
    }
  }

  /** Runs {@code work} on a handle of its own, beside other readers and the writer. */
  <R> R read(Function<Handle, R> work) {
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
          BrokersTable.insert(h, a);
          BrokersTable.putSecret(
              h, a.broker(), a.customerId(), secret, a.url().toString(), a.registeredAt());
          return null;
        });
  }

  List<BrokerAccount> brokers() {
    return read(BrokersTable::all);
  }

  /** The secret of the wallet's account at broker {@code a}. */
  Optional<CustomerSecret> accountSecret(BrokerAccount a) {
    return read(h -> BrokersTable.secret(h, a.url().toString(), a.broker(), a.customerId()));
  }

  /**
   * The customer secret a vendor payment (or exchange) was made with: that of the broker that sold
   * the scrip it carries.
   */
  Optional<CustomerSecret> paymentSecret(PaymentRecord rec) {
    return read(
        h ->
            BrokersTable.secret(
                h,
                ScripTable.brokerOfPayment(h, rec.id()),
                rec.draft().vendor(),
                rec.draft().customerId()));
  }

  /**
   * The customer secret of a piece held.
   *
   * @throws IllegalStateException when the wallet holds the piece but not its secret
   */
  CustomerSecret secretOf(HeldScrip s) {
    return read(h -> BrokersTable.secret(h, s.broker(), s.vendor(), s.customerId()))
        .orElseThrow(
            () ->
                new IllegalStateException(
                    "no secret for customer "
                        + Long.toUnsignedString(s.customerId())
                        + " at "
                        + s.vendor()));
  }

  // ------------------------------------------------------------------ vendors

  /** What the wallet knows of vendors: their sites and the origins vouched for them. */
  VendorOriginStore origins() {
    return origins;
  }

  // ------------------------------------------------------------------ scrip

  /** Every piece in the given states, by vendor, then soonest expiry. */
  List<HeldScrip> scrip(List<ScripState> states) {
    return read(h -> ScripTable.inStates(h, states));
  }

  /** Available pieces of {@code vendor} that {@code payers} admits, soonest expiry first. */
  List<HeldScrip> available(String vendor, Payers payers) {
    return read(h -> ScripTable.available(h, vendor, payers));
  }

  /** Adds scrip that came from outside a payment (as in tests or an import). */
  void addScrip(Scrip scrip, String source, Instant at) {
    write(
        h -> {
          ScripTable.insert(h, scrip, source, null, "", at);
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

  /**
   * In one transaction: checks the budget, picks the smallest available piece of {@code vendor}
   * worth at least {@code price} that outlives {@code mustOutlive}, whose secret is held, that
   * {@code payers} admits and that no payment of {@code heldForOthers} acquired, marks it in flight
   * and records the payment {@code maker} builds for it. {@code heldForOthers} is asked inside the
   * transaction, so a piece that a purchase held for another payment brought in is never taken.
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
      Payers payers,
      Supplier<? extends Collection<Long>> heldForOthers,
      PaymentDraft.Maker maker,
      LongConsumer claim) {
    return write(
        h -> {
          BudgetCheck.check(h, vendor, price, budget, now);
          Optional<HeldScrip> pick =
              ScripTable.smallestCovering(
                  h, vendor, price, mustOutlive, payers, heldForOthers.get());
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
      List<HeldScrip> inputs, PaymentDraft draft, Instant now, LongConsumer claim) {
    return write(
        h -> {
          if (!ScripTable.allAvailable(h, inputs)) {
            return Optional.empty();
          }
          return Optional.of(recordPayment(h, draft, inputs, now, claim));
        });
  }

  /** Records a purchase of vendor scrip from a broker, before its request leaves. */
  PaymentRecord recordBuy(PaymentDraft draft, Instant now, LongConsumer claim) {
    return write(h -> recordPayment(h, draft, List.of(), now, claim));
  }

  /**
   * Inserts the payment and marks its scrip in flight; {@code claim} learns the payment's id before
   * the transaction commits, so that the caller owns it before any recovery can see it.
   */
  private static PaymentRecord recordPayment(
      Handle h, PaymentDraft d, List<HeldScrip> inputs, Instant now, LongConsumer claim) {
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
  List<PaymentRecord> inFlight(@Nullable String vendor) {
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
      @Nullable String detail,
      Instant now) {
    return write(
        h -> {
          if (!PaymentsTable.finish(
              h, paymentId, "done", priceMillicents, sum(received), "ok", detail, now)) {
            return false;
          }
          String broker = ScripTable.brokerOfPayment(h, paymentId);
          ScripTable.markSpent(h, paymentId, now);
          for (Scrip s : received) {
            ScripTable.insert(h, s, source, paymentId, broker, now);
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
      @Nullable String detail,
      Instant now) {
    return write(
        h -> {
          if (!PaymentsTable.finish(
              h, paymentId, "done", scrip.valueMillicents(), 0L, "ok", detail, now)) {
            return false;
          }
          BrokersTable.putSecret(
              h, scrip.vendor(), scrip.customerId(), vendorSecret, brokerUrl, now);
          ScripTable.insert(h, scrip, "bought", paymentId, brokerUrl, now);
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
