package org.millicent.broker;

/**
 * A vendor's statement for one period: its scrip the broker sold, what was settled, and what the
 * broker owes it.
 *
 * @param vendor the vendor
 * @param period the period's label
 * @param soldPieces pieces of the vendor's scrip sold in the period
 * @param soldMillicents their value
 * @param settledPieces pieces settled in the period
 * @param settledValueMillicents their value
 * @param settledPaidMillicents credited to the vendor for them
 * @param payableMillicents what the broker owes the vendor now (all periods)
 * @param outstandingMillicents the vendor's licensed scrip issued and not yet settled, now
 */
public record VendorStatement(
    String vendor,
    String period,
    long soldPieces,
    long soldMillicents,
    long settledPieces,
    long settledValueMillicents,
    long settledPaidMillicents,
    long payableMillicents,
    long outstandingMillicents) {}
