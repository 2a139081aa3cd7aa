package org.millicent.wallet;

import java.net.URI;
import java.time.Instant;

/**
 * The wallet's account at one broker (its secret stays in the store). Immutable.
 *
 * @param url the broker's base URL
 * @param broker the broker's id (the vendor id its broker scrip carries)
 * @param customerId the customer ID the broker gave the wallet
 * @param name the name the account was opened under
 * @param creditLimitMillicents the credit limit the broker granted, or -1 when not told
 * @param registeredAt when the account was opened
 */
public record BrokerAccount(
    URI url,
    String broker,
    long customerId,
    String name,
    long creditLimitMillicents,
    Instant registeredAt) {

  /** The customer ID as an unsigned decimal, as the HTTP API writes it. */
  public String customerIdText() {
    return Long.toUnsignedString(customerId);
  }
}
