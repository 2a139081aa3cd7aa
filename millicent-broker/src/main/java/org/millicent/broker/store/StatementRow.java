package org.millicent.broker.store;

import java.util.List;

/**
 * What the broker's tables hold for one customer's statement period: the sales per vendor, the
 * payments, the collection once the period is closed, and the broker scrip that expired unspent.
 *
 * @param charges the sales per issuer, by issuer
 * @param paymentsMillicents the payments received in the period
 * @param closed whether the period was closed (collected)
 * @param collectedMillicents what was collected at closing (0 when not closed)
 * @param expiredMillicents the customer's broker scrip that expired unspent in the period
 */
public record StatementRow(
    List<Charges> charges,
    long paymentsMillicents,
    boolean closed,
    long collectedMillicents,
    long expiredMillicents) {

  /**
   * The sales of one issuer's scrip in a period.
   *
   * @param issuer the vendor (or the broker) whose scrip was sold
   * @param pieces how many pieces of scrip
   * @param amountMillicents their total value
   */
  public record Charges(String issuer, long pieces, long amountMillicents) {}

  /** Copies the charges. */
  public StatementRow {
    charges = List.copyOf(charges);
  }
}
