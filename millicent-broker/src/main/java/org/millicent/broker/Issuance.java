package org.millicent.broker;

import org.jspecify.annotations.Nullable;
import org.millicent.broker.books.AccountKind;
import org.millicent.broker.books.Books;
import org.millicent.broker.books.IssuedScrip;
import org.millicent.broker.books.LedgerAccount;
import org.millicent.scrip.Scrip;
import org.millicent.scrip.ScripCodec;

/**
 * What the books record when the broker issues scrip (docs/BROKER.md, "Books"): the scrip's {@code
 * issued_scrip} row, and the {@code outstanding:<issuer>} account its value comes from. Stateless
 * and thread-safe.
 */
final class Issuance {
  private Issuance() {}

  /** The ledger account of the scrip {@code issuer} has outstanding. */
  static LedgerAccount outstanding(Books books, String issuer) {
    return books.account("outstanding:" + issuer, AccountKind.OUTSTANDING);
  }

  /**
   * The row of {@code s}, issued to {@code customerId} at {@code issuedAtMillis}.
   *
   * @param kind how it was issued: {@code sale}, {@code purchase}, {@code change}, {@code exchange}
   * @param supply where it came from: {@code broker}, {@code licensed} or {@code warehouse}
   * @param requestKey the key a retry is recognised by, or null
   * @param paidBy the id of the broker scrip that paid for it, or null
   * @param state its state, an {@link IssuedScrip} constant
   * @param sealedSecret the customer secret sealed for the buyer, kept to answer a retry, or null
   */
  static IssuedScrip row(
      Scrip s,
      String kind,
      String supply,
      long customerId,
      long issuedAtMillis,
      byte @Nullable [] requestKey,
      @Nullable Long paidBy,
      int state,
      byte @Nullable [] sealedSecret) {
    return new IssuedScrip(
        s.vendor(),
        s.id().keyId(),
        s.id().serial(),
        kind,
        supply,
        customerId,
        s.valueMillicents(),
        issuedAtMillis,
        s.expiresAt().toEpochMilli(),
        requestKey,
        paidBy,
        ScripCodec.encode(s),
        state,
        sealedSecret);
  }
}
