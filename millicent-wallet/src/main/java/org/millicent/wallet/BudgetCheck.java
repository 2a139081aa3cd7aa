package org.millicent.wallet;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import org.jdbi.v3.core.Handle;
import org.millicent.money.Amounts;

/**
 * Checks a price against the {@link Budget} (docs/WALLET.md, "Budgets"), counting the purchases
 * done and in flight in the {@code payments} table: per request, per vendor per UTC day, and in
 * total. Runs on a {@link Handle} {@link WalletStore} opens, inside the transaction that reserves
 * the scrip when there is one. Stateless and thread-safe.
 */
final class BudgetCheck {
  private BudgetCheck() {}

  /**
   * Checks that paying {@code price} to {@code vendor} now stays within {@code budget}.
   *
   * @throws WalletException {@code budget-exceeded} when it does not
   */
  static void check(Handle h, String vendor, long price, Budget budget, Instant now) {
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
}
