package org.millicent.broker.accounts;

import org.millicent.keys.CustomerSecret;

/**
 * A broker customer: the account's identity, provider and credit limit, and the broker customer
 * secret (derived, never stored or printed). Immutable.
 */
public final class Customer {
  private final long id;
  private final String name;
  private final String provider;
  private final long creditLimitMillicents;
  private final long createdAtMillis;
  private final CustomerSecret secret;

  Customer(
      long id,
      String name,
      String provider,
      long creditLimitMillicents,
      long createdAtMillis,
      CustomerSecret secret) {
    this.id = id;
    this.name = name;
    this.provider = provider;
    this.creditLimitMillicents = creditLimitMillicents;
    this.createdAtMillis = createdAtMillis;
    this.secret = secret;
  }

  /** The customer ID (unsigned 64 bits). */
  public long id() {
    return id;
  }

  /** The customer ID as an unsigned decimal. */
  public String idText() {
    return Long.toUnsignedString(id);
  }

  /** The name given at registration. */
  public String name() {
    return name;
  }

  /** The payment provider's name. */
  public String provider() {
    return provider;
  }

  /** How much the account may owe. */
  public long creditLimitMillicents() {
    return creditLimitMillicents;
  }

  /** When the account was opened. */
  public long createdAtMillis() {
    return createdAtMillis;
  }

  /** The broker customer secret; never log it. */
  public CustomerSecret secret() {
    return secret;
  }

  /** The name of the customer's ledger account. */
  public String ledgerName() {
    return ledgerName(id);
  }

  /** The name of a customer's ledger account. */
  public static String ledgerName(long customerId) {
    return "customer:" + Long.toUnsignedString(customerId);
  }

  /** Never prints the secret. */
  @Override
  public String toString() {
    return "Customer[" + idText() + " " + name + " " + provider + "]";
  }
}
