package org.millicent.broker.accounts;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.millicent.broker.BrokerError;
import org.millicent.broker.BrokerException;
import org.millicent.broker.StatementPeriod;
import org.millicent.broker.books.AccountKind;
import org.millicent.broker.books.Books;
import org.millicent.broker.books.Entry;
import org.millicent.broker.store.AccountStore;
import org.millicent.broker.store.StatementStore;
import org.millicent.failure.Causes;

/**
 * Customers' statements (docs/BROKER.md, "Statements"): reading one for a period, and closing the
 * periods that ended, when each customer's provider collects what is owed. {@link Accounts}
 * delegates to it. Thread-safe: closing runs under the books' decision lock per customer.
 */
final class Statements {
  private final Books books;
  private final String brokerId;
  private final StatementPeriod period;
  private final Map<String, PaymentProvider> providers;
  private final Accounts accounts;

  Statements(
      Books books,
      String brokerId,
      StatementPeriod period,
      Map<String, PaymentProvider> providers,
      Accounts accounts) {
    this.books = books;
    this.brokerId = brokerId;
    this.period = period;
    this.providers = providers;
    this.accounts = accounts;
  }

  /** See {@link Accounts#statement}; the customer exists. */
  Statement of(long customerId, String periodLabel) {
    StatementPeriod.Period p;
    try {
      p =
          periodLabel == null
              ? period.containing(books.clock().instant())
              : period.parse(periodLabel);
    } catch (IllegalArgumentException e) {
      throw new BrokerException(BrokerError.BAD_REQUEST, Causes.describe(e));
    }
    long from = p.start().toEpochMilli();
    long to = p.end().toEpochMilli();
    return new StatementStore(books.database())
        .statement(customerId, brokerId, p.label(), from, to);
  }

  /** See {@link Accounts#closeStatements}. */
  List<ClosedStatement> closeBefore(Instant now) {
    StatementPeriod.Period current = period.containing(now);
    StatementStore store = new StatementStore(books.database());
    Optional<Long> closedBefore = store.closedBefore();
    Optional<Long> earliest = closedBefore.isPresent() ? closedBefore : store.firstSale();
    List<ClosedStatement> out = new ArrayList<>();
    if (earliest.isPresent()) {
      StatementPeriod.Period p = period.containing(Instant.ofEpochMilli(earliest.get()));
      while (!p.end().isAfter(current.start())) {
        out.addAll(close(p));
        p = period.containing(p.end());
      }
    }
    long mark = current.start().toEpochMilli();
    books.submitAndAwait(
        new Entry("statements").write((h, entryId) -> StatementStore.markClosedBefore(h, mark)));
    return out;
  }

  private PaymentProvider provider(Customer c) {
    PaymentProvider provider = providers.get(c.provider());
    if (provider == null) {
      throw new IllegalStateException(
          "customer " + c.id() + "'s provider " + c.provider() + " is not configured");
    }
    return provider;
  }

  private List<ClosedStatement> close(StatementPeriod.Period p) {
    long from = p.start().toEpochMilli();
    long to = p.end().toEpochMilli();
    List<long[]> charged =
        new StatementStore(books.database()).unclosedCharges(p.label(), from, to);
    List<ClosedStatement> out = new ArrayList<>();
    for (long[] row : charged) {
      Customer c = accounts.find(row[0]).orElse(null);
      if (c == null) {
        continue;
      }
      long owed = accounts.owed(c);
      long due = Math.min(row[1], Math.max(0, owed));
      long collected = due == 0 ? 0 : provider(c).collect(c.id(), p.label(), due);
      if (collected < 0 || collected > due) {
        throw new IllegalStateException(
            "provider " + c.provider() + " collected " + collected + " of " + due);
      }
      long now = books.clock().millis();
      books.await(
          books.decide(
              () -> {
                long paymentId = books.nextId("account_payments");
                Entry e = new Entry("statement");
                if (collected > 0) {
                  e.post(books.account(Accounts.CASH, AccountKind.CASH), collected)
                      .post(books.account(c.ledgerName(), AccountKind.CUSTOMER), -collected)
                      .write(
                          (h, entryId) ->
                              AccountStore.insertCollection(
                                  h, paymentId, c.id(), now, collected, p.label(), entryId));
                }
                e.write(
                    (h, entryId) ->
                        StatementStore.insert(h, c.id(), p.label(), row[1], collected, now));
                return books.submit(e);
              }));
      out.add(new ClosedStatement(c.id(), p.label(), row[1], collected));
    }
    return out;
  }
}
