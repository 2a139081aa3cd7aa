package org.millicent.broker.accounts;

import org.millicent.keys.CustomerSecret;

/**
 * A new account: the customer and the broker customer secret, handed over once.
 *
 * @param customer the customer
 * @param secret the broker customer secret (never log it)
 */
public record Registration(Customer customer, CustomerSecret secret) {
  /** Never prints the secret. */
  @Override
  public String toString() {
    return "Registration[" + customer + "]";
  }
}
