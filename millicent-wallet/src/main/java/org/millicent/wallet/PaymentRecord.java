package org.millicent.wallet;

import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.millicent.protocol.Headers;
import org.millicent.protocol.RequestDescriptor;
import org.millicent.wallet.http.Request;

/**
 * A payment as recorded before it left: its number in the wallet, the request exactly as sent (the
 * {@link PaymentDraft} it was recorded from), how often it was sent, and since when. Immutable; the
 * body array is not copied (package-private use only).
 *
 * @param id its number in the wallet
 * @param draft what was recorded: kind, vendor, customer ID, variant, price and the request as sent
 * @param attempts how often it was sent
 * @param startedAt when it was recorded
 */
record PaymentRecord(long id, PaymentDraft draft, int attempts, Instant startedAt) {

  static final String PURCHASE = "purchase";
  static final String EXCHANGE = "exchange";
  static final String BUY = "buy";

  /** What the payment is bound to. */
  RequestDescriptor descriptor() {
    return PaidRequests.descriptor(request(), draft.body());
  }

  /** The request exactly as it was (or will be) sent. */
  Request request() {
    Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    headers.put("Authorization", List.of(draft.authorization()));
    String contentType = draft.contentType();
    if (contentType != null) {
      headers.put("Content-Type", List.of(contentType));
    }
    String sealedContentType = draft.sealedContentType();
    if (sealedContentType != null) {
      headers.put(Headers.SEALED_CONTENT_TYPE, List.of(sealedContentType));
    }
    return Request.of(draft.method(), URI.create(draft.url()), headers, draft.body());
  }

  @Override
  public String toString() {
    return "PaymentRecord["
        + id
        + " "
        + draft.kind()
        + " "
        + draft.vendor()
        + " "
        + draft.method()
        + " "
        + draft.url()
        + "]";
  }
}
