package org.millicent.vendor;

import io.javalin.http.Context;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import org.millicent.bytes.ConstantTime;

/**
 * Who may call the broker-facing and admin endpoints: a bearer token, presented only over TLS or
 * from the loopback interface, since these answers carry secrets (docs/HTTP-API.md). Stateless.
 */
final class Access {
  private Access() {}

  /**
   * The bearer token of the request.
   *
   * @throws ProblemException {@code insecure-channel} when the request came neither over TLS nor
   *     from loopback (the broker's code for the same refusal), {@code unauthorized} when there is
   *     no bearer token
   */
  static String bearer(Context ctx) {
    if (!ctx.req().isSecure() && !isLoopback(ctx.req().getRemoteAddr())) {
      throw new ProblemException(
          ProblemCode.INSECURE_CHANNEL,
          "this request carries a secret: it must come over TLS or from loopback, it came from "
              + ctx.req().getRemoteAddr());
    }
    String auth = ctx.header("Authorization");
    if (auth == null || !auth.regionMatches(true, 0, "Bearer ", 0, 7) || auth.length() == 7) {
      throw new ProblemException(
          ProblemCode.UNAUTHORIZED, "expected Authorization: Bearer <token>, found none");
    }
    return auth.substring(7).strip();
  }

  /** Whether two tokens are equal, compared in constant time. */
  static boolean sameToken(String expected, String presented) {
    return ConstantTime.equal(
        expected.getBytes(StandardCharsets.UTF_8), presented.getBytes(StandardCharsets.UTF_8));
  }

  private static boolean isLoopback(String address) {
    try {
      return InetAddress.ofLiteral(address).isLoopbackAddress();
    } catch (IllegalArgumentException e) {
      return false;
    }
  }
}
