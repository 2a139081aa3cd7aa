package org.millicent.wallet.proxy;

import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Where each intercepted tunnel was headed. The proxy joins an intercepted {@code CONNECT} to its
 * own TLS listener on loopback; that connection's local port, which the TLS listener sees as the
 * peer's port, names the tunnel. So the origin a request is forwarded to is the one the client
 * asked to {@code CONNECT} to, not whatever its {@code Host} header says, and the TLS listener
 * serves nobody who did not come through a tunnel. Thread-safe.
 */
final class TunnelTargets {
  /** A {@code CONNECT} target. */
  record Target(String host, int port) {
    Target {
      host = host.toLowerCase(Locale.ROOT);
    }

    /** {@code https://host:port}, the port written out, as the wallet spells vouched origins. */
    String origin() {
      return "https://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
  }

  private final ConcurrentMap<Integer, Target> byLocalPort = new ConcurrentHashMap<>();

  void opened(int localPort, Target target) {
    byLocalPort.put(localPort, target);
  }

  void closed(int localPort) {
    byLocalPort.remove(localPort);
  }

  Optional<Target> target(int localPort) {
    return Optional.ofNullable(byLocalPort.get(localPort));
  }
}
