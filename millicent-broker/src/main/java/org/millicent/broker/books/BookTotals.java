package org.millicent.broker.books;

/**
 * The conservation invariant's three quantities, and the sum of all balances (zero in balanced
 * books). Money in = scrip outstanding + scrip redeemed must always hold.
 *
 * @param moneyInMillicents charged to customers for scrip: {@code CASH + CUSTOMER}
 * @param outstandingMillicents scrip issued and not redeemed: {@code -OUTSTANDING}
 * @param redeemedMillicents scrip redeemed: {@code -(VENDOR_PAYABLE + COMMISSION + INVENTORY +
 *     WRITE_OFF)}
 * @param sumOfBalances the sum of every account's balance
 */
public record BookTotals(
    long moneyInMillicents,
    long outstandingMillicents,
    long redeemedMillicents,
    long sumOfBalances) {

  /** Whether money in = outstanding + redeemed and all balances sum to zero. */
  public boolean conserved() {
    return sumOfBalances == 0 && moneyInMillicents == outstandingMillicents + redeemedMillicents;
  }
}
