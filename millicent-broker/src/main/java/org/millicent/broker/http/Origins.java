package org.millicent.broker.http;

import io.javalin.http.Context;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import org.millicent.broker.BrokerConfig;
import org.millicent.broker.BrokerError;
import org.millicent.broker.BrokerException;
import org.millicent.protocol.Authority;
import org.millicent.protocol.PublicOrigins;

/**
 * The broker's public origins and the one a request addressed (docs/PROTOCOL.md, "Authority"):
 * account requests and purchases with broker scrip are MAC'd over that origin, so a header captured
 * by another server does not verify here. The origins are {@code public_url} when configured, else
 * loopback at the port a request arrived on (and the listening address when it is a specific one).
 * Thread-safe.
 */
final class Origins {
  private final @Nullable PublicOrigins configured;
  private final String scheme;
  private final String listenHost;
  private final Map<Integer, PublicOrigins> byPort = new ConcurrentHashMap<>();

  Origins(BrokerConfig config) {
    this.configured =
        config
            .publicUrl()
            .map(u -> PublicOrigins.of(java.util.List.of(Authority.of(u))))
            .orElse(null);
    this.scheme = config.tls().isPresent() ? "https" : "http";
    this.listenHost = config.host();
  }

  /**
   * The public origin the request addressed.
   *
   * @throws BrokerException {@code unknown-authority} when its Host names none of them
   */
  Authority addressed(Context ctx) {
    PublicOrigins known =
        configured != null
            ? configured
            : byPort.computeIfAbsent(
                ctx.req().getLocalPort(), p -> PublicOrigins.defaults(scheme, listenHost, p));
    String host = ctx.header("Host");
    if (host == null) {
      host = ctx.req().getServerName() + ":" + ctx.req().getServerPort();
    }
    return known
        .resolve(ctx.req().getScheme(), host)
        .orElseThrow(
            () ->
                new BrokerException(
                    BrokerError.UNKNOWN_AUTHORITY,
                    "requests here are bound to "
                        + known
                        + "; this request addressed another origin, so it cannot be"
                        + " authenticated (nothing was charged)"));
  }
}
