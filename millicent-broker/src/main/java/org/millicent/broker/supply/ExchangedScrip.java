package org.millicent.broker.supply;

import org.millicent.keys.CustomerSecret;
import org.millicent.scrip.Scrip;

/** Scrip exchanged into a customer's name and the customer's secret at the vendor. */
public record ExchangedScrip(Scrip scrip, CustomerSecret secret) {
  /** Never prints the secret. */
  @Override
  public String toString() {
    return "ExchangedScrip[" + scrip.id() + "]";
  }
}
