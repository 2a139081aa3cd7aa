package org.millicent.wallet;

import org.jspecify.annotations.Nullable;

/**
 * A payment to record, before its scrip is known or after: what {@link PaymentsTable} inserts and
 * {@link RecordedPayments} sends.
 */
record PaymentDraft(
    String kind,
    String vendor,
    long customerId,
    String variant,
    long offeredPriceMillicents,
    String method,
    String url,
    String authorization,
    @Nullable String contentType,
    @Nullable String sealedContentType,
    byte[] body) {

  /** What a purchase needs of the chosen scrip to build its request. */
  @FunctionalInterface
  interface Maker {
    PaymentDraft draft(HeldScrip scrip);
  }
}
