package org.millicent.broker.accounts;

import java.util.List;

/**
 * A customer's statement for one period: charges per vendor and money received.
 *
 * @param customerId the customer
 * @param period the period's label, e.g. {@code 2026-03}
 * @param fromMillis the period's start (inclusive)
 * @param toMillis the period's end (exclusive)
 * @param charges what was charged, per vendor (the broker's own id for broker scrip)
 * @param totalChargedMillicents the sum of the charges
 * @param paymentsMillicents money received in the period (top-ups and collections)
 * @param closed whether the period has been closed
 * @param collectedMillicents what was collected for this period when it closed
 * @param expiredMillicents breakage: the customer's broker scrip that expired unspent in the period
 *     (by its expiry), once recognised (docs/BROKER.md, "Breakage")
 */
public record Statement(
    long customerId,
    String period,
    long fromMillis,
    long toMillis,
    List<VendorCharges> charges,
    long totalChargedMillicents,
    long paymentsMillicents,
    boolean closed,
    long collectedMillicents,
    long expiredMillicents) {

  /**
   * Charges for one vendor's scrip in a period.
   *
   * @param vendor the vendor
   * @param pieces how many pieces of scrip
   * @param amountMillicents their total value
   */
  public record VendorCharges(String vendor, long pieces, long amountMillicents) {}

  /** Copies the charges. */
  public Statement {
    charges = List.copyOf(charges);
  }
}
