package org.millicent.broker.accounts;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.millicent.broker.BrokerError;
import org.millicent.broker.BrokerException;
import org.millicent.broker.StatementPeriod;
import org.millicent.broker.books.AccountKind;
import org.millicent.broker.books.Books;
import org.millicent.broker.books.Entry;
import org.millicent.broker.books.LedgerAccount;
import org.millicent.broker.issuing.BrokerKeys;
import org.millicent.broker.store.AccountStore;
import org.millicent.broker.store.CustomerRow;
import org.millicent.keys.CustomerSecrets;
import org.millicent.money.Amounts;

/**
 * Customer accounts (docs/BROKER.md, "Accounts"): registration, charges within the credit limit,
 * top-ups, statements and their closing. Accounts live in the books; this class keeps the customers
 * in memory, rebuilt from the database at start and after a failed batch. Thread-safe.
 */
public final class Accounts {
  /** The ledger account of money received. */
  public static final String CASH = "cash";

  private static final long SEQ_MASK = (1L << 56) - 1;

  private final Books books;
  private final String brokerId;
  private final CustomerSecrets secrets;
  private final Map<String, PaymentProvider> providers;
  private final String defaultProvider;
  private final long defaultCreditLimit;
  private final StatementPeriod period;
  private final Map<Long, Customer> customers = new ConcurrentHashMap<>();
  private final Map<Long, Long> reserved = new java.util.HashMap<>();
  private final Statements statements;
  private long nextSeq;

  /**
   * The accounts in {@code books}.
   *
   * @param providers the payment providers by name
   * @param defaultProvider the provider of new accounts
   * @param defaultCreditLimit the credit limit of new accounts whose provider extends credit
   */
  public Accounts(
      Books books,
      String brokerId,
      CustomerSecrets secrets,
      Map<String, PaymentProvider> providers,
      String defaultProvider,
      long defaultCreditLimit,
      StatementPeriod period) {
    if (!providers.containsKey(defaultProvider)) {
      throw new IllegalArgumentException("no payment provider named " + defaultProvider);
    }
    this.books = books;
    this.brokerId = brokerId;
    this.secrets = secrets;
    this.providers = Map.copyOf(providers);
    this.defaultProvider = defaultProvider;
    this.defaultCreditLimit = defaultCreditLimit;
    this.period = period;
    this.statements = new Statements(books, brokerId, period, this.providers, this);
    books.decide(this::reload);
    books.onReload(this::reload);
  }

  private void reload() {
    customers.clear();
    reserved.clear();
    for (CustomerRow r : new AccountStore(books.database()).customers()) {
      customers.put(
          r.id(),
          new Customer(
              r.id(),
              r.name(),
              r.provider(),
              r.creditLimitMillicents(),
              r.createdAtMillis(),
              secrets.derive(brokerId, r.id())));
    }
    long maxSeq = customers.keySet().stream().mapToLong(id -> id & SEQ_MASK).max().orElse(0);
    nextSeq = maxSeq + 1;
  }

  /** The period in force. */
  public StatementPeriod statementPeriod() {
    return period;
  }

  /**
   * Opens an account with the default provider.
   *
   * @throws BrokerException {@code bad-request} when the name is empty, longer than 100 characters
   *     or has control characters
   */
  public Registration register(String name) {
    return register(name, defaultProvider);
  }

  /**
   * Opens an account with the named provider.
   *
   * @throws BrokerException {@code bad-request} when the name or provider is not acceptable
   */
  public Registration register(String name, String providerName) {
    if (name == null
        || name.isBlank()
        || name.length() > 100
        || name.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
      throw new BrokerException(
          BrokerError.BAD_REQUEST,
          "name must be 1..100 printable characters, found "
              + (name == null ? "nothing" : name.length() + " characters"));
    }
    PaymentProvider provider = providers.get(providerName);
    if (provider == null) {
      throw new BrokerException(
          BrokerError.BAD_REQUEST,
          "provider must be one of " + providers.keySet() + ", found \"" + providerName + '"');
    }
    long limit = provider.extendsCredit() ? defaultCreditLimit : 0;
    long now = books.clock().millis();
    Customer[] made = new Customer[1];
    books.await(
        books.decide(
            () -> {
              long id = ((long) BrokerKeys.CUSTOMER_SELECTOR << 56) | nextSeq;
              Customer c =
                  new Customer(id, name, provider.name(), limit, now, secrets.derive(brokerId, id));
              LedgerAccount acct = books.account(c.ledgerName(), AccountKind.CUSTOMER);
              nextSeq++;
              customers.put(id, c);
              made[0] = c;
              return books.submit(
                  new Entry("registration")
                      .write(
                          (h, entryId) ->
                              AccountStore.insertCustomer(
                                  h,
                                  new CustomerRow(id, name, c.provider(), limit, now),
                                  acct.id())));
            }));
    return new Registration(made[0], made[0].secret());
  }

  /** The customer with this ID, if any. */
  public Optional<Customer> find(long customerId) {
    return Optional.ofNullable(customers.get(customerId));
  }

  /**
   * The customer with this ID.
   *
   * @throws BrokerException {@code not-found} when there is none
   */
  public Customer customer(long customerId) {
    Customer c = customers.get(customerId);
    if (c == null) {
      throw new BrokerException(
          BrokerError.NOT_FOUND, "no account for customer " + Long.toUnsignedString(customerId));
    }
    return c;
  }

  /** The number of accounts. */
  public int count() {
    return customers.size();
  }

  /** Every customer, in no particular order. */
  public List<Customer> all() {
    return List.copyOf(customers.values());
  }

  /**
   * Checks that {@code amount} fits the customer's credit and posts the charge (a debit of the
   * customer's account) to {@code entry}; the caller posts the matching credit. Call under the
   * decision lock.
   *
   * @throws BrokerException {@code credit-limit} when the account cannot take it
   */
  public void charge(Entry entry, Customer c, long amount) {
    LedgerAccount a = books.account(c.ledgerName(), AccountKind.CUSTOMER);
    requireAvailable(c, a, amount);
    entry.post(a, amount);
  }

  /**
   * Sets {@code amount} of the customer's credit aside for a sale that completes later (a warehouse
   * exchange at the vendor); {@link #chargeReserved} or {@link #release} ends the reservation. Call
   * under the decision lock.
   *
   * @throws BrokerException {@code credit-limit} when the account cannot take it
   */
  public void reserve(Customer c, long amount) {
    requireAvailable(c, books.account(c.ledgerName(), AccountKind.CUSTOMER), amount);
    reserved.merge(c.id(), amount, Math::addExact);
  }

  /** Ends a reservation without charging. Call under the decision lock. */
  public void release(Customer c, long amount) {
    reserved.computeIfPresent(c.id(), (k, v) -> v - amount <= 0 ? null : v - amount);
  }

  /** Ends a reservation and posts its charge to {@code entry}. Call under the decision lock. */
  public void chargeReserved(Entry entry, Customer c, long amount) {
    release(c, amount);
    entry.post(books.account(c.ledgerName(), AccountKind.CUSTOMER), amount);
  }

  private void requireAvailable(Customer c, LedgerAccount a, long amount) {
    long available = c.creditLimitMillicents() - a.balance() - reserved.getOrDefault(c.id(), 0L);
    if (amount > available) {
      throw new BrokerException(
          BrokerError.CREDIT_LIMIT,
          "account "
              + c.idText()
              + " can take "
              + Amounts.format(Math.max(0, available))
              + " more within its credit limit of "
              + Amounts.format(c.creditLimitMillicents())
              + ", the charge is "
              + Amounts.format(amount));
    }
  }

  /**
   * Records money paid into an account (the prepaid provider's top-up).
   *
   * @throws BrokerException {@code not-found} for an unknown customer, {@code bad-amount} for an
   *     amount outside 1..10^12 or one that would overflow the balance
   */
  public AccountView topUp(long customerId, long amount) {
    checkAmount(amount);
    Customer c = customer(customerId);
    long now = books.clock().millis();
    books.await(
        books.decide(
            () -> {
              long paymentId = books.nextId("account_payments");
              return books.submit(
                  new Entry("topup")
                      .post(books.account(CASH, AccountKind.CASH), amount)
                      .post(books.account(c.ledgerName(), AccountKind.CUSTOMER), -amount)
                      .write(
                          (h, entryId) ->
                              AccountStore.insertTopUp(
                                  h, paymentId, customerId, now, amount, entryId)));
            }));
    return view(customerId);
  }

  /**
   * Checks a sale or top-up amount.
   *
   * @throws BrokerException {@code bad-amount} unless 1 <= amount <= 10^12
   */
  public static void checkAmount(long amount) {
    if (amount < 1 || amount > org.millicent.broker.BrokerConfig.MAX_AMOUNT_MILLICENTS) {
      throw new BrokerException(
          BrokerError.BAD_AMOUNT,
          "amount must be 1 m¢ to "
              + Amounts.format(org.millicent.broker.BrokerConfig.MAX_AMOUNT_MILLICENTS)
              + ", found "
              + Amounts.format(amount));
    }
  }

  /**
   * The account as its owner sees it.
   *
   * @throws BrokerException {@code not-found} for an unknown customer
   */
  public AccountView view(long customerId) {
    Customer c = customer(customerId);
    long owed = owed(c);
    StatementPeriod.Period p = period.containing(books.clock().instant());
    long charges = chargedIn(customerId, p);
    return new AccountView(
        customerId,
        c.name(),
        c.provider(),
        -owed,
        c.creditLimitMillicents(),
        c.creditLimitMillicents() - owed,
        p.label(),
        charges);
  }

  private long chargedIn(long customerId, StatementPeriod.Period p) {
    return new AccountStore(books.database())
        .chargedIn(customerId, p.start().toEpochMilli(), p.end().toEpochMilli());
  }

  /**
   * The customer's statement for a period.
   *
   * @throws BrokerException {@code not-found} for an unknown customer, {@code bad-request} for a
   *     label that is not a period
   */
  public Statement statement(long customerId, String periodLabel) {
    customer(customerId);
    return statements.of(customerId, periodLabel);
  }

  /**
   * Closes every period that ended before {@code now} and is not closed yet: for each customer
   * charged in it, records the statement and has the customer's provider collect what is owed (at
   * most the period's charges). Safe to repeat: a closed statement is never closed again.
   */
  public List<ClosedStatement> closeStatements(Instant now) {
    return statements.closeBefore(now);
  }

  /** What {@code c} owes now: the balance of its ledger account (0 before any entry). */
  long owed(Customer c) {
    return books.decide(
        () -> {
          LedgerAccount a = books.existing(c.ledgerName());
          return a == null ? 0L : a.balance();
        });
  }
}
