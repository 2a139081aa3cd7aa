package org.millicent.broker.accounts;

/**
 * The prepaid provider, for operators and tests: money is paid in first (a top-up through the admin
 * endpoint records it), and sales draw on it; there is no credit and nothing to collect when a
 * statement closes. Thread-safe.
 */
public final class PrepaidProvider implements PaymentProvider {
  /** The provider's name. */
  public static final String NAME = "prepaid";

  /** The provider. */
  public PrepaidProvider() {}

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public boolean extendsCredit() {
    return false;
  }

  @Override
  public long collect(long customerId, String period, long amountDueMillicents) {
    return 0;
  }
}
