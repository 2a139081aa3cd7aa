package org.millicent.wallet;

import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;
import org.millicent.protocol.Headers;
import org.millicent.protocol.RequestDescriptor;
import org.millicent.wallet.http.Request;

/**
 * A payment as recorded before it left: enough to re-send it byte for byte. Immutable; the body
 * array is not copied (package-private use only).
 *
 * @param id its number in the wallet
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
 * @param attempts how often it was sent
 * @param startedAt when it was recorded
 */
record PaymentRecord(
    long id,
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
    byte[] body,
    int attempts,
    Instant startedAt) {

  static final String PURCHASE = "purchase";
  static final String EXCHANGE = "exchange";
  static final String BUY = "buy";

  /** What the payment is bound to. */
  RequestDescriptor descriptor() {
    return PaidRequests.descriptor(request(), body);
  }

  /** The request exactly as it was (or will be) sent. */
  Request request() {
    Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    headers.put("Authorization", List.of(authorization));
    if (contentType != null) {
      headers.put("Content-Type", List.of(contentType));
    }
    if (sealedContentType != null) {
      headers.put(Headers.SEALED_CONTENT_TYPE, List.of(sealedContentType));
    }
    return Request.of(method, URI.create(url), headers, body);
  }

  @Override
  public String toString() {
    return "PaymentRecord[" + id + " " + kind + " " + vendor + " " + method + " " + url + "]";
  }
}
