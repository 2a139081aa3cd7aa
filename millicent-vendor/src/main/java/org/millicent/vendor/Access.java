package org.millicent.vendor;

import io.javalin.http.Context;
import org.millicent.http.AccessGuard;

/**
 * Who may call the broker-facing and admin endpoints ({@link AccessGuard}, shared with the broker):
 * a non-empty bearer token, presented only over TLS or from the loopback interface, since these
 * answers carry secrets (docs/HTTP-API.md). Stateless.
 */
final class Access {
  private Access() {}

  /**
   * The bearer token of the request.
   *
   * @throws ProblemException {@code insecure-channel} when the request came neither over TLS nor
   *     from loopback (the broker's code for the same refusal), {@code unauthorized} when there is
   *     no bearer token or an empty one
   */
  static String bearer(Context ctx) {
    if (!AccessGuard.overTlsOrLoopback(ctx.req())) {
      throw new ProblemException(
          ProblemCode.INSECURE_CHANNEL,
          "this request carries a secret: it must come over TLS or from loopback, it came from "
              + ctx.req().getRemoteAddr());
    }
    String token = AccessGuard.bearer(ctx.header("Authorization"));
    if (token == null || token.isEmpty()) {
      throw new ProblemException(
          ProblemCode.UNAUTHORIZED, "expected Authorization: Bearer <token>, found none");
    }
    return token;
  }

  /** Whether two tokens are equal, compared in constant time. */
  static boolean sameToken(String expected, String presented) {
    return AccessGuard.tokenMatches(expected, presented);
  }
}
