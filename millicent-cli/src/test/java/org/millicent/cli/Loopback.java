package org.millicent.cli;

import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.concurrent.Executors;

/** The loopback ports and stand-in origin servers the CLI's integration tests start servers on. */
public final class Loopback {
  private Loopback() {}

  /**
   * A loopback port free now, for a server whose URL must be known before it starts.
   *
   * @return the port
   * @throws IOException when no port can be bound
   */
  public static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  /**
   * Starts an HTTP server on a free loopback port that answers every path with {@code handler}, one
   * virtual thread per exchange. Stop it with {@code stop(0)}.
   *
   * @param handler what answers every request
   * @return the started server
   * @throws IOException when it cannot bind
   */
  public static HttpServer serve(HttpHandler handler) throws IOException {
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    server.createContext("/", handler);
    server.start();
    return server;
  }
}
