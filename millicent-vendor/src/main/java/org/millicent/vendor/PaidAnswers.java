package org.millicent.vendor;

import java.security.SecureRandom;
import java.util.LinkedHashMap;
import java.util.Map;
import org.millicent.protocol.Headers;
import org.millicent.protocol.Receipt;
import org.millicent.protocol.Variant;
import org.millicent.purchase.Purchase;
import org.millicent.vendor.content.ContentResponse;

/**
 * The answer to a paid request, as both sale paths send it (the gateway's own content route, {@link
 * ContentSales}, and an application's, {@link Checkout}): the sale counted for its resource, the
 * scrip noted as received when a licensed broker minted it, the {@code Millicent-Receipt} for the
 * answer's status and body (docs/PROTOCOL.md, "Reply MAC"), {@code Cache-Control} by {@link
 * PaidCaching}, and the body sealed for a private payment.
 *
 * <p>Thread-safe: the metrics and the random source are.
 */
final class PaidAnswers {
  private final VendorMetrics metrics;
  private final SecureRandom random;

  PaidAnswers(VendorMetrics metrics, SecureRandom random) {
    this.metrics = metrics;
    this.random = random;
  }

  /**
   * A paid answer to a request for the resource at {@code path} (canonical): counted for it, the
   * scrip's licence noted as received, the receipt for {@code r}'s status and body, and the body
   * sealed for a private payment.
   */
  Checkout.Delivery paid(VendorState st, Purchase p, String path, ContentResponse r) {
    metrics.paid(p.variant(), p.priceMillicents(), p.isReplay(), path);
    if (!p.isReplay()) {
      st.received.record(p.scrip());
    }
    int status = r.status();
    byte[] out = r.body();
    String type = r.contentType();
    Receipt receipt = p.receipt(status, out, random);
    Map<String, String> headers = new LinkedHashMap<>();
    if (p.variant() == Variant.PRIVATE) {
      out = p.sealResponse(status, out, random);
      if (type != null) {
        headers.put(Headers.SEALED_CONTENT_TYPE, type);
      }
      type = Headers.SEALED_MEDIA_TYPE;
    }
    headers.put("Cache-Control", PaidCaching.cacheControl(r));
    headers.put(Headers.RECEIPT, receipt.format());
    return new Checkout.Delivery(status, headers, type, out);
  }
}
