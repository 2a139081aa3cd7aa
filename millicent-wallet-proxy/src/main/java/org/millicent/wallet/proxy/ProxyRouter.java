package org.millicent.wallet.proxy;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.URI;
import java.util.Locale;
import java.util.Optional;
import java.util.function.IntSupplier;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Sends each request the proxy receives (other than {@code CONNECT}, which {@link
 * InterceptingConnectHandler} takes) where it belongs: a request from an intercepted tunnel to the
 * paying path, towards the origin the tunnel was opened to; a request addressed to the proxy itself
 * to the {@link WalletPage}; a plain {@code http://} request to a vendor's origin to the paying
 * path; anything else to Jetty's streaming forward proxy (the wrapped handler). Thread-safe.
 */
final class ProxyRouter extends Handler.Wrapper {
  private final TunnelTargets tunnels;
  private final InterceptPolicy policy;
  private final PaidForward paid;
  private final WalletPage page;
  private final IntSupplier tlsPort;
  private final IntSupplier ownPort;

  ProxyRouter(
      StreamingForward streaming,
      TunnelTargets tunnels,
      InterceptPolicy policy,
      PaidForward paid,
      WalletPage page,
      IntSupplier tlsPort,
      IntSupplier ownPort) {
    super(streaming);
    this.tunnels = tunnels;
    this.policy = policy;
    this.paid = paid;
    this.page = page;
    this.tlsPort = tlsPort;
    this.ownPort = ownPort;
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) throws Exception {
    if (port(request.getConnectionMetaData().getLocalSocketAddress()) == tlsPort.getAsInt()) {
      return fromTunnel(request, response, callback);
    }
    HttpURI u = request.getHttpURI();
    String host = u.getHost() == null ? "" : u.getHost();
    if ((u.getPort() == ownPort.getAsInt() && InterceptingConnectHandler.isLoopback(host))
        || host.isEmpty()) {
      return page.handle(request, response, callback);
    }
    if (!"http".equalsIgnoreCase(u.getScheme())) {
      ProxyProblems.write(
          response,
          callback,
          400,
          ProxyProblems.BAD_REQUEST,
          "send https:// through CONNECT, not as a URL");
      return true;
    }
    URI target = u.toURI();
    if (policy.isVendorOrigin(target)) {
      Thread.ofVirtual()
          .name("millicent-proxy-pay")
          .start(() -> paid.forward(request, target, response, callback));
      return true;
    }
    return super.handle(request, response, callback);
  }

  private boolean fromTunnel(Request request, Response response, Callback callback) {
    int peer = port(request.getConnectionMetaData().getRemoteSocketAddress());
    Optional<TunnelTargets.Target> t = tunnels.target(peer);
    if (t.isEmpty()) {
      ProxyProblems.write(
          response, callback, 403, ProxyProblems.BAD_REQUEST, "not an intercepted tunnel");
      return true;
    }
    TunnelTargets.Target target = t.get();
    String hostHeader = request.getHeaders().get(HttpHeader.HOST);
    if (hostHeader != null && !hostOf(hostHeader).equals(target.host())) {
      ProxyProblems.write(
          response,
          callback,
          421,
          ProxyProblems.BAD_REQUEST,
          "this tunnel goes to " + target.host() + ", not to " + hostHeader);
      return true;
    }
    HttpURI u = request.getHttpURI();
    String pathQuery = u.getPathQuery() == null ? "/" : u.getPathQuery();
    URI uri = URI.create(target.origin() + pathQuery);
    Thread.ofVirtual()
        .name("millicent-proxy-pay")
        .start(() -> paid.forward(request, uri, response, callback));
    return true;
  }

  private static String hostOf(String hostHeader) {
    String h = hostHeader.trim().toLowerCase(Locale.ROOT);
    if (h.startsWith("[")) {
      int end = h.indexOf(']');
      return end > 0 ? h.substring(1, end) : h;
    }
    int colon = h.lastIndexOf(':');
    return colon >= 0 ? h.substring(0, colon) : h;
  }

  private static int port(SocketAddress a) {
    return a instanceof InetSocketAddress i ? i.getPort() : -1;
  }
}
