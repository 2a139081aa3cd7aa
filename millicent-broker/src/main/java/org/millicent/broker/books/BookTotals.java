package org.millicent.broker.books;

import java.util.Map;

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

  /** The quantities of the balances summed per account kind. */
  static BookTotals of(Map<AccountKind, Long> k) {
    long sum = 0;
    for (long v : k.values()) {
      sum += v;
    }
    long in = k.getOrDefault(AccountKind.CASH, 0L) + k.getOrDefault(AccountKind.CUSTOMER, 0L);
    long out = -k.getOrDefault(AccountKind.OUTSTANDING, 0L);
    long redeemed =
        -(k.getOrDefault(AccountKind.VENDOR_PAYABLE, 0L)
            + k.getOrDefault(AccountKind.COMMISSION, 0L)
            + k.getOrDefault(AccountKind.INVENTORY, 0L)
            + k.getOrDefault(AccountKind.WRITE_OFF, 0L));
    long breakage = -k.getOrDefault(AccountKind.BREAKAGE, 0L);
    return new BookTotals(in, out, redeemed, breakage, sum);
  }
}
