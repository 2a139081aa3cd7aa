package org.millicent.broker.books;

/**
 * The conservation invariant's quantities, and the sum of all balances (zero in balanced books).
 * Money in = scrip outstanding + scrip redeemed + breakage must always hold.
 *
 * @param moneyInMillicents charged to customers for scrip: {@code CASH + CUSTOMER}
 * @param outstandingMillicents scrip issued and not redeemed: {@code -OUTSTANDING}
 * @param redeemedMillicents scrip redeemed: {@code -(VENDOR_PAYABLE + COMMISSION + INVENTORY +
 *     WRITE_OFF)}
 * @param breakageMillicents scrip that expired unspent, once recognised: {@code -BREAKAGE}
 * @param sumOfBalances the sum of every account's balance
 */
public record BookTotals(
    long moneyInMillicents,
    long outstandingMillicents,
    long redeemedMillicents,
    long breakageMillicents,
    long sumOfBalances) {

  /** Whether money in = outstanding + redeemed + breakage and all balances sum to zero. */
  public boolean conserved() {
    return sumOfBalances == 0
        && moneyInMillicents == outstandingMillicents + redeemedMillicents + breakageMillicents;
  }
}
