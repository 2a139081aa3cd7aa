package org.millicent.wallet;

/**
 * How much the wallet may pay vendors without asking: per request, per vendor per day (UTC), and in
 * total over the wallet's life. Prices count against it (what vendors charge), not what is bought
 * from brokers: unspent scrip is still the customer's money. A payment above any limit is refused
 * with {@code budget-exceeded} before anything is bought or sent. Immutable.
 *
 * @param perRequestMillicents the most one request may cost
 * @param perVendorPerDayMillicents the most one vendor may be paid in one UTC day
 * @param totalMillicents the most all vendors may be paid in total
 */
public record Budget(
    long perRequestMillicents, long perVendorPerDayMillicents, long totalMillicents) {

  /** Defaults: one dollar per request, five per vendor per day, twenty in total. */
  public static final Budget DEFAULT = new Budget(100_000, 500_000, 2_000_000);

  /** No limit at all. */
  public static final Budget UNLIMITED = new Budget(Long.MAX_VALUE, Long.MAX_VALUE, Long.MAX_VALUE);

  /** Requires every limit to be positive. */
  public Budget {
    if (perRequestMillicents <= 0 || perVendorPerDayMillicents <= 0 || totalMillicents <= 0) {
      throw new IllegalArgumentException(
          "budget limits must be positive, were per request "
              + perRequestMillicents
              + ", per vendor per day "
              + perVendorPerDayMillicents
              + ", total "
              + totalMillicents);
    }
  }

  /** A copy with another per-request limit. */
  public Budget withPerRequest(long millicents) {
    return new Budget(millicents, perVendorPerDayMillicents, totalMillicents);
  }

  /** A copy with another per-vendor-per-day limit. */
  public Budget withPerVendorPerDay(long millicents) {
    return new Budget(perRequestMillicents, millicents, totalMillicents);
  }

  /** A copy with another total limit. */
  public Budget withTotal(long millicents) {
    return new Budget(perRequestMillicents, perVendorPerDayMillicents, millicents);
  }
}
