package org.millicent.broker.accounts;

/**
 * The default provider: charges accrue on the account within its credit limit, and when a statement
 * closes the whole amount due is collected in one conventional payment (the seed's "paying at the
 * end of a period"). With no card network here, collection is recorded as successful; a real
 * provider would charge the customer's card in {@link #collect}. Thread-safe.
 */
public final class AggregatingProvider implements PaymentProvider {
  /** The provider's name. */
  public static final String NAME = "aggregating";

  /** The provider. */
  public AggregatingProvider() {}

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public boolean extendsCredit() {
    return true;
  }

  @Override
  public long collect(long customerId, String period, long amountDueMillicents) {
    return amountDueMillicents;
  }
}
