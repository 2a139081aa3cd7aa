package org.millicent.wallet;

/**
 * The wallet's books over its life, for reconciling with brokers and vendors: everything bought
 * from brokers is either paid to vendors, still held, in flight, or lost (refused by its vendor).
 * Immutable.
 *
 * @param boughtMillicents vendor scrip bought from brokers (what brokers charged)
 * @param paidMillicents prices paid to vendors
 * @param heldMillicents available scrip
 * @param inFlightMillicents scrip carried by payments not yet settled
 * @param lostMillicents scrip its vendor refused as expired, spent or unknown
 * @param purchases how many purchases were paid
 */
public record WalletTotals(
    long boughtMillicents,
    long paidMillicents,
    long heldMillicents,
    long inFlightMillicents,
    long lostMillicents,
    long purchases) {

  /** What is unaccounted for: bought minus paid, held, in flight and lost; 0 when all is well. */
  public long discrepancyMillicents() {
    return boughtMillicents - paidMillicents - heldMillicents - inFlightMillicents - lostMillicents;
  }
}
