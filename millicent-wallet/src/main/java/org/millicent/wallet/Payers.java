package org.millicent.wallet;

import java.util.List;
import java.util.Set;
import org.jdbi.v3.core.statement.SqlStatement;

/**
 * Whose scrip may be paid at one origin for one vendor (docs/WALLET.md, "Vouched origins"): the
 * brokers that vouched for the origin for that vendor, or every broker when the user vouched for it
 * for all. Scrip is bought for a 402 there only from one of them, too. Immutable.
 *
 * @param anyBroker whether the user vouched for the origin for every broker
 * @param brokers the base URLs of the brokers whose scrip may be paid there
 */
record Payers(boolean anyBroker, Set<String> brokers) {
  /** Every broker's scrip (and pieces of no known broker). */
  static final Payers ANY = new Payers(true, Set.of());

  Payers {
    brokers = Set.copyOf(brokers);
  }

  /** Only the scrip of the broker at {@code brokerUrl}. */
  static Payers only(String brokerUrl) {
    return new Payers(false, Set.of(brokerUrl));
  }

  /** Whether scrip sold by the broker at {@code brokerUrl} may be paid. */
  boolean admits(String brokerUrl) {
    return anyBroker || brokers.contains(brokerUrl);
  }

  /**
   * An SQL condition on {@code column} (a broker base URL) that holds for the pieces admitted; bind
   * it with {@link #bind}.
   */
  String condition(String column) {
    if (anyBroker) {
      return "1 = 1";
    }
    return brokers.isEmpty() ? "1 = 0" : column + " IN (<payers>)";
  }

  /** Binds what {@link #condition} needs. */
  <T extends SqlStatement<T>> T bind(T statement) {
    return anyBroker || brokers.isEmpty()
        ? statement
        : statement.bindList("payers", List.copyOf(brokers));
  }
}
