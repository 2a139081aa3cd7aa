package org.millicent.purchase;

import org.millicent.scrip.ScripBody;

/**
 * The price of a request for the scrip offered, in millicents; a function of the scrip so that
 * vendors can apply rules on its properties (a tax rate by country, say).
 */
@FunctionalInterface
public interface Pricer {
  /** The price for a payment with {@code scrip}; must be >= 0. */
  long priceMillicents(ScripBody scrip);

  /** A fixed price. */
  static Pricer fixed(long priceMillicents) {
    if (priceMillicents < 0) {
      throw new IllegalArgumentException("price must be >= 0, was " + priceMillicents);
    }
    return scrip -> priceMillicents;
  }
}
