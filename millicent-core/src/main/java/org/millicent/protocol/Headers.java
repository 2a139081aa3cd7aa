package org.millicent.protocol;

import java.util.Locale;
import java.util.Set;

/**
 * The HTTP headers of the Millicent binding (docs/PROTOCOL.md, "HTTP binding"; docs/HTTP-API.md):
 * the names of those the protocol carries, and those that belong to one connection or one sender
 * and so are never passed on by anything that forwards a message (the vendor's reverse proxy, the
 * wallet's transport and its paying proxy). Names are compared case-insensitively, as HTTP does.
 * Stateless and thread-safe.
 */
public final class Headers {
  /** The request header carrying a payment or an account request. */
  public static final String AUTHORIZATION = "Authorization";

  /** The 402 response header carrying the offer. */
  public static final String WWW_AUTHENTICATE = "WWW-Authenticate";

  /** The response header carrying the receipt: price, change and reply MAC. */
  public static final String RECEIPT = "Millicent-Receipt";

  /** The header carrying the original media type of a sealed (private variant) body. */
  public static final String SEALED_CONTENT_TYPE = "Millicent-Content-Type";

  /**
   * The prefix of the headers a vendor gateway sends its origin about a paid request ({@code
   * Millicent-Paid-Price}, ..., docs/ORIGIN.md); a gateway never forwards one a client sent.
   */
  public static final String PAID_PREFIX = "Millicent-Paid-";

  /** The media type of a sealed (private variant) body. */
  public static final String SEALED_MEDIA_TYPE = "application/millicent-sealed";

  /**
   * Hop-by-hop headers, lower case: they describe one connection (RFC 9110, 7.6.1, with the
   * pre-standard {@code keep-alive} and {@code proxy-connection}, the proxy credentials consumed by
   * the proxy they are meant for, RFC 9110 11.7, and HTTP/2's upgrade settings, RFC 7540 3.2.1).
   */
  public static final Set<String> HOP_BY_HOP =
      Set.of(
          "connection",
          "keep-alive",
          "proxy-connection",
          "proxy-authenticate",
          "proxy-authorization",
          "te",
          "trailer",
          "transfer-encoding",
          "upgrade",
          "http2-settings");

  /**
   * Headers each sender writes for itself, lower case: the message's framing and address ({@code
   * content-length}, {@code host}) and its expectation of the next hop ({@code expect}); the JDK's
   * HTTP client refuses them from callers.
   */
  public static final Set<String> SET_BY_SENDER = Set.of("content-length", "host", "expect");

  private Headers() {}

  /**
   * Whether a message forwarded to another hop leaves the header {@code name} out: it is
   * {@linkplain #HOP_BY_HOP hop-by-hop} or {@linkplain #SET_BY_SENDER set by the sender}.
   */
  public static boolean isNotForwarded(String name) {
    String n = name.toLowerCase(Locale.ROOT);
    return HOP_BY_HOP.contains(n) || SET_BY_SENDER.contains(n);
  }

  /** Whether {@code name} starts with {@link #PAID_PREFIX}, in any case. */
  public static boolean isPaid(String name) {
    return name.regionMatches(true, 0, PAID_PREFIX, 0, PAID_PREFIX.length());
  }
}
