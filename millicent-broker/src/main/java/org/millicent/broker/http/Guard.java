package org.millicent.broker.http;

import io.javalin.http.Context;
import org.jspecify.annotations.Nullable;
import org.millicent.broker.BrokerError;
import org.millicent.broker.BrokerException;
import org.millicent.http.AccessGuard;

/**
 * The broker's refusals of the shared {@link AccessGuard}: secrets travel only over TLS or on this
 * machine ({@code 403 insecure-channel}), and the admin endpoints need the admin token ({@code 401
 * unauthorized}). Immutable.
 */
final class Guard {
  private final String adminToken;

  Guard(String adminToken) {
    this.adminToken = adminToken;
  }

  /** Refuses a request that is not over TLS or from loopback, or lacks the admin token. */
  void requireAdmin(Context ctx) {
    requireSecureChannel(ctx);
    if (!AccessGuard.tokenMatches(adminToken, bearer(ctx))) {
      throw new BrokerException(
          BrokerError.UNAUTHORIZED, "expected Authorization: Bearer <admin token>");
    }
  }

  /** Secrets travel only over TLS or on this machine. */
  static void requireSecureChannel(Context ctx) {
    if (!AccessGuard.overTlsOrLoopback(ctx.req())) {
      throw new BrokerException(
          BrokerError.INSECURE_CHANNEL,
          "this request carries a secret: it must come over TLS or from loopback");
    }
  }

  /** Whether the request came from this machine (its peer address is a loopback literal). */
  static boolean isLoopback(Context ctx) {
    return AccessGuard.isLoopback(ctx.req().getRemoteAddr());
  }

  /** The request's bearer token (possibly empty), or null when it presents none. */
  static @Nullable String bearer(Context ctx) {
    return AccessGuard.bearer(ctx.header("Authorization"));
  }
}
