package org.millicent.broker.accounts;

import java.util.Map;

/**
 * Where the conventional payments behind a customer account go (docs/BROKER.md, "Accounts"). No
 * card network is reachable from here; this interface is where one plugs in. Implementations are
 * thread-safe.
 */
public interface PaymentProvider {
  /** The providers every broker has, by name: aggregating and prepaid. */
  static Map<String, PaymentProvider> builtIn() {
    return Map.of(
        AggregatingProvider.NAME, new AggregatingProvider(),
        PrepaidProvider.NAME, new PrepaidProvider());
  }

  /** The provider's name, as configured and stored per account. */
  String name();

  /**
   * Whether charges may accrue on credit up to the account's limit ({@code true}), or must be
   * covered by money paid in beforehand ({@code false}: the account's limit is zero).
   */
  boolean extendsCredit();

  /**
   * Collects what a closed statement says the customer owes, as a card charge would.
   *
   * @param customerId the customer
   * @param period the statement period's label
   * @param amountDueMillicents what is owed for the period, > 0
   * @return how much was collected, 0..amountDue
   */
  long collect(long customerId, String period, long amountDueMillicents);
}
