package org.millicent.vendor.content;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.millicent.protocol.Headers;

/**
 * A request for content, as the gateway passes it on once it is free or paid for.
 *
 * @param method the HTTP method
 * @param target the canonical request target: the canonical path percent-encoded where RFC 3986
 *     requires, and the query as sent (docs/HTTP-API.md, "Request targets")
 * @param path the canonical path, decoded once, dot segments resolved, without the query
 * @param headers the request headers worth forwarding (the payment is already removed)
 * @param body the request body (opened, in the private variant)
 * @param clientAddress the client's IP address (given to an origin; null for local content)
 * @param paidHeaders the gateway's own signed {@code Millicent-Paid-*} headers for an origin, in
 *     order (docs/ORIGIN.md); empty for free content, local content or without a key. An origin
 *     proxy sends these and never a {@code Millicent-Paid-*} header from {@code headers}.
 */
public record ContentRequest(
    String method,
    String target,
    String path,
    Map<String, List<String>> headers,
    byte[] body,
    @Nullable String clientAddress,
    Map<String, String> paidHeaders) {

  /** Freezes {@code paidHeaders} in its order. */
  public ContentRequest {
    paidHeaders = Collections.unmodifiableMap(new LinkedHashMap<>(paidHeaders));
  }

  /** A request without paid headers. */
  public ContentRequest(
      String method,
      String target,
      String path,
      Map<String, List<String>> headers,
      byte[] body,
      @Nullable String clientAddress) {
    this(method, target, path, headers, body, clientAddress, Map.of());
  }

  /** This request with the gateway's signed {@code Millicent-Paid-*} headers for the origin. */
  public ContentRequest withPaidHeaders(Map<String, String> signed) {
    return new ContentRequest(method, target, path, headers, body, clientAddress, signed);
  }

  /**
   * This request with its sealed body replaced by the opened {@code plaintext}, as the origin must
   * see it: the {@code Content-Type} becomes the original one the client sent in {@code
   * Millicent-Content-Type} (or is dropped when there was none), which is not forwarded.
   */
  public ContentRequest withOpenedBody(byte[] plaintext) {
    Map<String, List<String>> opened = new LinkedHashMap<>();
    List<String> originalType = null;
    for (Map.Entry<String, List<String>> h : headers.entrySet()) {
      if (h.getKey().equalsIgnoreCase(Headers.SEALED_CONTENT_TYPE)) {
        originalType = h.getValue();
      } else if (!h.getKey().equalsIgnoreCase("Content-Type")) {
        opened.put(h.getKey(), h.getValue());
      }
    }
    if (originalType != null) {
      opened.put("Content-Type", originalType);
    }
    return new ContentRequest(method, target, path, opened, plaintext, clientAddress, paidHeaders);
  }
}
