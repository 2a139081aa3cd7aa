package org.millicent.wallet.proxy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.SocketChannel;
import java.util.function.Consumer;
import java.util.function.IntSupplier;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.handler.ConnectHandler;
import org.eclipse.jetty.util.Promise;

/**
 * Jetty's {@code CONNECT} tunnelling, with one change: a tunnel to a host the {@link
 * InterceptPolicy} names is joined to the proxy's own TLS listener (which shows a certificate from
 * the {@link LocalCa} and pays for what it forwards) instead of to the host. Every other tunnel is
 * Jetty's, byte for byte. Thread-safe.
 */
final class InterceptingConnectHandler extends ConnectHandler {
  private final InterceptPolicy policy;
  private final TunnelTargets tunnels;
  private final IntSupplier tlsPort;
  private final IntSupplier ownPort;
  private final Consumer<String> journal;

  InterceptingConnectHandler(
      InterceptPolicy policy,
      TunnelTargets tunnels,
      IntSupplier tlsPort,
      IntSupplier ownPort,
      Consumer<String> journal) {
    this.policy = policy;
    this.tunnels = tunnels;
    this.tlsPort = tlsPort;
    this.ownPort = ownPort;
    this.journal = journal;
  }

  @Override
  public boolean validateDestination(String host, int port) {
    // A tunnel to the proxy itself would loop (and reach the wallet page from anywhere).
    if (port == ownPort.getAsInt() && isLoopback(host)) {
      return false;
    }
    return super.validateDestination(host, port);
  }

  @Override
  protected void connectToServer(
      Request request, String host, int port, Promise<SocketChannel> promise) {
    TunnelTargets.Target target = new TunnelTargets.Target(unbracket(host), port);
    if (!policy.intercepts(target)) {
      journal.accept("CONNECT " + host + ":" + port + " -> tunnel");
      super.connectToServer(request, host, port, promise);
      return;
    }
    SocketChannel channel = null;
    try {
      channel = SocketChannel.open();
      channel.socket().setTcpNoDelay(true);
      // A blocking connect to our own listener on loopback: immediate, and it fixes the local
      // port that names the tunnel before the listener can see it.
      channel.connect(
          new InetSocketAddress(InetAddress.ofLiteral("127.0.0.1"), tlsPort.getAsInt()));
      tunnels.opened(((InetSocketAddress) channel.getLocalAddress()).getPort(), target);
      channel.configureBlocking(false);
      journal.accept("CONNECT " + host + ":" + port + " -> intercepted (vendor)");
      promise.succeeded(channel);
    } catch (IOException | RuntimeException e) {
      if (channel != null) {
        try {
          channel.close();
        } catch (IOException ignored) {
          // already failing
        }
      }
      promise.failed(e);
    }
  }

  private static String unbracket(String host) {
    return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
  }

  static boolean isLoopback(String host) {
    String h = unbracket(host);
    return h.equals("localhost") || h.startsWith("127.") || h.equals("::1");
  }
}
