package org.millicent.vendor;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Executors;
import org.millicent.vendor.config.Content;
import org.millicent.vendor.config.VendorConfig;
import org.millicent.vendor.config.VendorConfigBuilder;

/**
 * The origin server behind a reverse-proxy vendor in an IT: the JDK's HTTP server on a loopback
 * port, one handler for every path, each request on its own virtual thread (so a handler that waits
 * holds up no other request). Thread-safe; the handler must be too.
 */
final class TestOrigin implements AutoCloseable {
  private final HttpServer server;

  private TestOrigin(HttpServer server) {
    this.server = server;
  }

  /** Starts an origin that answers every request with {@code handler}. */
  static TestOrigin start(HttpHandler handler) throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    server.createContext("/", handler);
    server.start();
    return new TestOrigin(server);
  }

  /** Answers {@code ex} with {@code status} and {@code text} (UTF-8) as the body, and closes it. */
  static void answer(HttpExchange ex, int status, String text) throws IOException {
    byte[] out = text.getBytes(StandardCharsets.UTF_8);
    ex.sendResponseHeaders(status, out.length);
    ex.getResponseBody().write(out);
    ex.close();
  }

  URI url() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  /** This origin as a vendor's content, with {@code timeout} for each call. */
  Content.Origin content(Duration timeout) {
    return new Content.Origin(url(), timeout);
  }

  /**
   * Vendor "venetia" as a reverse proxy in front of this origin, on any port: {@code /free/**}
   * free, every other request 250 millicents, 5 seconds for each origin call.
   */
  VendorConfigBuilder pricedProxy() {
    return VendorConfig.builder("venetia")
        .port(0)
        .free("/free/**")
        .price("*", "/**", 250)
        .content(content(Duration.ofSeconds(5)));
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
