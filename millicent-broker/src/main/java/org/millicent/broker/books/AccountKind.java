package org.millicent.broker.books;

/**
 * The kinds of ledger account (docs/BROKER.md, "Books"). Balances are signed, debit positive; the
 * postings of every journal entry sum to zero, so the balances of all accounts sum to zero. The
 * conservation invariant groups them: money in = {@code CASH + CUSTOMER}; scrip outstanding = −
 * {@code OUTSTANDING}; scrip redeemed = − ({@code VENDOR_PAYABLE + COMMISSION + INVENTORY +
 * WRITE_OFF}); breakage (scrip expired unspent) = − {@code BREAKAGE}. Money in = outstanding +
 * redeemed + breakage.
 */
public enum AccountKind {
  /** What a customer owes (positive) or has prepaid (negative). One per customer. */
  CUSTOMER,
  /** Money received from customers through payment providers. */
  CASH,
  /**
   * Scrip issued and not yet redeemed (credit balance). One per issuer: the broker, each vendor.
   */
  OUTSTANDING,
  /** What the broker owes a vendor (credit balance). One per vendor. */
  VENDOR_PAYABLE,
  /** The broker's discount income (credit balance). */
  COMMISSION,
  /**
   * Warehouse scrip bought and not yet handed out, at face value (debit balance). One per vendor.
   */
  INVENTORY,
  /** Warehouse scrip that expired unsold (debit balance). */
  WRITE_OFF,
  /**
   * Breakage: scrip the broker issued that expired unspent, recognised as the broker's (credit
   * balance). Debited from {@code OUTSTANDING} when recognised (docs/BROKER.md, "Breakage").
   */
  BREAKAGE
}
