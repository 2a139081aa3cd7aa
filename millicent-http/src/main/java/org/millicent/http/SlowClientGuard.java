package org.millicent.http;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.http.HttpParser;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.io.ssl.SslConnection;
import org.eclipse.jetty.server.AbstractConnector;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.internal.HttpConnection;
import org.jspecify.annotations.Nullable;

/**
 * Applies {@link HttpTimeouts} to a started Jetty server: sets each connector's idle timeout, and
 * closes every HTTP/1 connection whose request head (line and headers) has been arriving for longer
 * than the header timeout. Jetty's idle timeout alone does not stop a slowloris client, which sends
 * a byte just often enough never to be idle; Jetty has no timeout for the head as a whole, so a
 * sweep looks at each connection's parser a few times per header timeout. A connection between
 * requests (its parser at the start) or reading a body is left to the idle timeout.
 *
 * <p>Reads the parser state of {@code org.eclipse.jetty.server.internal.HttpConnection}, which
 * Jetty does not promise to keep; a Jetty upgrade that changes it fails to compile here rather than
 * silently dropping the guard. Jetty's module does not export that package: on the module path the
 * program runs with {@value #ADD_EXPORTS} (this module is compiled with it), and without it the
 * guard refuses to start rather than fail in its sweep. Thread-safe.
 */
public final class SlowClientGuard implements AutoCloseable {
  /**
   * The launcher option that lets this module read Jetty's HTTP/1 connection on the module path.
   */
  public static final String ADD_EXPORTS =
      "--add-exports=org.eclipse.jetty.server/org.eclipse.jetty.server.internal=org.millicent.http";

  private final Server server;
  private final long headerNanos;
  private final ScheduledExecutorService sweeper;
  private final Map<EndPoint, Since> heads = new ConcurrentHashMap<>();

  /** When a connection was first seen reading the head of its n-th request. */
  private record Since(long messagesIn, long nanos) {}

  private SlowClientGuard(Server server, HttpTimeouts timeouts) {
    this.server = server;
    this.headerNanos = timeouts.header().toNanos();
    for (Connector c : server.getConnectors()) {
      if (c instanceof AbstractConnector a) {
        a.setIdleTimeout(timeouts.idle().toMillis());
      }
    }
    long every = Math.max(25, Math.min(1_000, timeouts.header().toMillis() / 4));
    this.sweeper =
        Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("slow-client-guard").daemon().factory());
    var unused = sweeper.scheduleWithFixedDelay(this::sweep, every, every, TimeUnit.MILLISECONDS);
  }

  /**
   * Starts guarding {@code server} (already started, so its connectors exist).
   *
   * @throws IllegalStateException when Jetty's connection package is not exported to this module (a
   *     module path without {@link #ADD_EXPORTS})
   */
  public static SlowClientGuard start(Server server, HttpTimeouts timeouts) {
    if (!Server.class
        .getModule()
        .isExported("org.eclipse.jetty.server.internal", SlowClientGuard.class.getModule())) {
      throw new IllegalStateException(
          "the slow-client guard reads Jetty's HTTP/1 connections: run java with " + ADD_EXPORTS);
    }
    return new SlowClientGuard(server, timeouts);
  }

  private void sweep() {
    try {
      long now = System.nanoTime();
      for (Connector c : server.getConnectors()) {
        for (EndPoint ep : c.getConnectedEndPoints()) {
          check(ep, http(ep.getConnection()), now);
        }
      }
      heads.keySet().removeIf(ep -> !ep.isOpen());
    } catch (RuntimeException e) {
      // a connection that changed under the sweep: the next sweep sees it again
    }
  }

  private static @Nullable HttpConnection http(Connection c) {
    if (c instanceof SslConnection ssl) {
      c = ssl.getSslEndPoint().getConnection();
    }
    return c instanceof HttpConnection h ? h : null;
  }

  private void check(EndPoint ep, @Nullable HttpConnection http, long now) {
    if (http == null) {
      return;
    }
    HttpParser parser = http.getParser();
    if (parser.isStart() || !parser.inHeaderState()) {
      heads.remove(ep);
      return;
    }
    long messagesIn = http.getMessagesIn();
    Since since = heads.get(ep);
    if (since == null || since.messagesIn() != messagesIn) {
      heads.put(ep, new Since(messagesIn, now));
    } else if (now - since.nanos() > headerNanos) {
      heads.remove(ep);
      ep.close();
    }
  }

  /** Stops the sweep (the server's connectors keep their idle timeout). */
  @Override
  public void close() {
    sweeper.shutdownNow();
  }
}
