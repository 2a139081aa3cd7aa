package org.millicent.http;

import jakarta.servlet.http.HttpServletRequest;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;
import org.millicent.bytes.ConstantTime;

/**
 * Who may call an endpoint that carries a secret (an admin, settlement, join or broker token, or a
 * customer secret in the answer): the request comes over TLS or from the loopback interface, and
 * presents the right bearer token (docs/HTTP-API.md, "Authentication"). The vendor and the broker
 * both ask here; each refuses with its own problem codes ({@code insecure-channel}, {@code
 * unauthorized}). Never looks a name up: a peer address is only ever read as a literal. Stateless.
 */
public final class AccessGuard {
  private static final String BEARER = "Bearer ";

  private AccessGuard() {}

  /** Whether {@code request} came over TLS or from a loopback address. */
  public static boolean overTlsOrLoopback(HttpServletRequest request) {
    return request.isSecure() || isLoopback(request.getRemoteAddr());
  }

  /**
   * Whether {@code address} is a loopback address literal ({@code 127.0.0.1}, {@code ::1} ...). A
   * host name, or anything else that is not an address literal, is not: no DNS lookup is made.
   */
  public static boolean isLoopback(@Nullable String address) {
    if (address == null || address.isEmpty()) {
      return false;
    }
    try {
      return InetAddress.ofLiteral(address).isLoopbackAddress();
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /**
   * The token of an {@code Authorization: Bearer <token>} field (scheme case-insensitive, token
   * stripped of surrounding white space), possibly empty; null when the field is missing or of
   * another scheme.
   */
  public static @Nullable String bearer(@Nullable String authorization) {
    if (authorization == null
        || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
      return null;
    }
    return authorization.substring(BEARER.length()).strip();
  }

  /**
   * Whether {@code presented} is {@code expected}, compared in constant time. A missing or empty
   * token never matches, nor does anything when no token is expected.
   */
  public static boolean tokenMatches(@Nullable String expected, @Nullable String presented) {
    if (expected == null || expected.isEmpty() || presented == null || presented.isEmpty()) {
      return false;
    }
    return ConstantTime.equal(
        expected.getBytes(StandardCharsets.UTF_8), presented.getBytes(StandardCharsets.UTF_8));
  }
}
