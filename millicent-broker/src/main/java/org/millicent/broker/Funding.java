package org.millicent.broker;

import org.jspecify.annotations.Nullable;
import org.millicent.broker.accounts.Customer;
import org.millicent.purchase.Purchase;

/**
 * How a sale is paid for (docs/BROKER.md, "Selling scrip"): charged to the customer's account, or
 * with broker scrip through an ordinary purchase at the broker. Immutable.
 */
sealed interface Funding {
  /** The customer who buys. */
  Customer customer();

  /** The kind of the sale's entry and metrics: {@code sale} on account, {@code purchase} else. */
  String kind();

  /** The account request's key, replayed by a retry; null when paid with scrip or when none. */
  byte @Nullable [] requestKey();

  /** The id of the broker scrip that paid, or null for a sale on account. */
  @Nullable Long paidBy();

  /** Charged to the customer's account. */
  record OnAccount(Customer customer, byte[] requestKey) implements Funding {
    @Override
    public String kind() {
      return "sale";
    }

    @Override
    public @Nullable Long paidBy() {
      return null;
    }
  }

  /** Paid with broker scrip: {@code purchase} is the purchase at the broker that pays. */
  record WithScrip(Customer customer, Purchase purchase) implements Funding {
    @Override
    public String kind() {
      return "purchase";
    }

    @Override
    public byte @Nullable [] requestKey() {
      return null;
    }

    @Override
    public Long paidBy() {
      return purchase.scrip().id().toLong();
    }
  }
}
