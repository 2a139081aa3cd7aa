package org.millicent.broker.books;

import org.jspecify.annotations.Nullable;

/**
 * One piece of scrip the broker issued, as the books record it ({@link Entry#issue}) and the store
 * writes it to {@code issued_scrip}.
 *
 * @param issuer the vendor the scrip is good at (the broker itself for broker scrip)
 * @param keyId the scrip ID's key id
 * @param serial the scrip ID's serial
 * @param kind {@code sale} (charged to an account), {@code purchase} (paid with broker scrip) or
 *     {@code change}
 * @param supply {@code broker}, {@code licensed} or {@code warehouse}
 * @param customerId the broker's customer it was issued to
 * @param valueMillicents its value
 * @param issuedAtMillis when it was issued
 * @param expiresAtMillis when it expires
 * @param requestKey the account request's MAC, for idempotent retries; null otherwise
 * @param paidBy the packed ID of the broker scrip that paid for it; null otherwise
 * @param token the scrip's binary encoding
 * @param state 0 outstanding, 3 redeemed when issued (warehouse); later 1 spent, 2 settled, 4
 *     expired unspent (breakage)
 * @param sealedSecret warehouse scrip: the vendor customer secret sealed for the customer, for
 *     retries; null otherwise
 */
public record IssuedScrip(
    String issuer,
    int keyId,
    long serial,
    String kind,
    String supply,
    long customerId,
    long valueMillicents,
    long issuedAtMillis,
    long expiresAtMillis,
    byte @Nullable [] requestKey,
    @Nullable Long paidBy,
    byte[] token,
    int state,
    byte @Nullable [] sealedSecret) {

  /** Outstanding. */
  public static final int OUTSTANDING = 0;

  /** Broker scrip spent at the broker. */
  public static final int SPENT = 1;

  /** Licensed vendor scrip settled with the vendor. */
  public static final int SETTLED = 2;

  /** Warehouse scrip: prepaid to the vendor, so redeemed as soon as it is handed out. */
  public static final int REDEEMED_AT_ISSUE = 3;

  /** Broker scrip that expired unspent, recognised as breakage. */
  public static final int EXPIRED = 4;
}
