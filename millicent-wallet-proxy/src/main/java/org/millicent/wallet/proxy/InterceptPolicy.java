package org.millicent.wallet.proxy;

import java.net.URI;
import java.util.Collection;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.millicent.wallet.http.Request;

/**
 * Which {@code CONNECT} tunnels the proxy opens to read them (docs/WALLET.md, "The proxy"): only
 * those to an origin vouched for a vendor (by a broker's manifest or by the user's {@code wallet
 * vendors add}), or to port 443 of a host seen answering a Millicent 402 over plain HTTP since the
 * proxy started, and never one to a host the user listed as never to intercept. Every other tunnel
 * passes untouched, so a bank's site never sees the wallet's certificate. Thread-safe.
 */
final class InterceptPolicy {
  private final Supplier<Collection<String>> vouchedOrigins;
  private final Set<String> never;
  private final Set<String> seenOverHttp = ConcurrentHashMap.newKeySet();

  /**
   * @param vouchedOrigins the wallet's vouched origins, read at each decision so a {@code vendors
   *     add} or a broker's manifest counts at once
   * @param never host names or addresses never to intercept, whatever else says
   */
  InterceptPolicy(Supplier<Collection<String>> vouchedOrigins, Collection<String> never) {
    this.vouchedOrigins = vouchedOrigins;
    this.never = Set.copyOf(never.stream().map(h -> h.toLowerCase(Locale.ROOT)).toList());
  }

  /** Whether a tunnel to {@code target} is opened and its requests paid for. */
  boolean intercepts(TunnelTargets.Target target) {
    if (never.contains(target.host())) {
      return false;
    }
    if (target.port() == 443 && seenOverHttp.contains(target.host())) {
      return true;
    }
    return vouchedOrigins.get().contains(target.origin());
  }

  /** Whether a plain {@code http://} request to {@code uri} goes straight to the paying client. */
  boolean isVendorOrigin(URI uri) {
    String host = uri.getHost() == null ? "" : uri.getHost().toLowerCase(Locale.ROOT);
    return seenOverHttp.contains(host) || vouchedOrigins.get().contains(Request.origin(uri));
  }

  /** Notes that {@code uri}'s host answered a Millicent 402 over plain HTTP. */
  void seenAnswering402(URI uri) {
    if (uri.getHost() != null && !never.contains(uri.getHost().toLowerCase(Locale.ROOT))) {
      seenOverHttp.add(uri.getHost().toLowerCase(Locale.ROOT));
    }
  }
}
