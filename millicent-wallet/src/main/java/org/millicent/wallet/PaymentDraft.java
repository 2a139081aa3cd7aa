package org.millicent.wallet;

import org.jspecify.annotations.Nullable;

/**
 * A payment to record, before its scrip is known or after: what {@link PaymentsTable} inserts and
 * {@link RecordedPayments} sends, and what a {@link PaymentRecord} holds once it has a number.
 * Immutable; the body array is not copied (package-private use only).
 *
 * @param kind {@code purchase}, {@code exchange} or {@code buy}
 * @param vendor the vendor paid, or whose scrip is bought
 * @param customerId the customer ID whose secret signs it (at the vendor, or at the broker)
 * @param variant the variant's wire name, or {@code account} for an account request
 * @param offeredPriceMillicents the price offered, or the amount asked of the broker
 * @param method the HTTP method
 * @param url the absolute URL
 * @param authorization the {@code Authorization} header exactly as sent
 * @param contentType the {@code Content-Type} sent, or null
 * @param sealedContentType the {@code Millicent-Content-Type} sent with a sealed body, or null
 * @param body the body exactly as sent (sealed in the private variant)
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
