package org.millicent.wallet.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A small real HTTP server on a loopback port for the wallet's tests, for what no real part plays:
 * the origin a vendor sells ({@link PageOrigin}) and a hostile server ({@link Impostor}).
 * Thread-safe.
 */
public abstract class TestServer implements AutoCloseable {
  private final HttpServer server;
  private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
  private final AtomicInteger requests = new AtomicInteger();

  TestServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(executor);
    server.createContext(
        "/",
        ex -> {
          requests.incrementAndGet();
          try (ex) {
            Answer a = handle(ex, ex.getRequestBody().readAllBytes());
            a.headers().forEach((k, v) -> ex.getResponseHeaders().add(k, v));
            ex.sendResponseHeaders(a.status(), a.body().length == 0 ? -1 : a.body().length);
            ex.getResponseBody().write(a.body());
          } catch (RuntimeException e) {
            byte[] b = e.toString().getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(500, b.length);
            ex.getResponseBody().write(b);
          }
        });
    server.start();
  }

  /** An answer to write. */
  record Answer(int status, Map<String, String> headers, byte[] body) {}

  abstract Answer handle(HttpExchange ex, byte[] body) throws IOException;

  /** The base URL, {@code http://127.0.0.1:port}. */
  public URI url() {
    return URI.create(
        "http://"
            + server.getAddress().getAddress().getHostAddress()
            + ":"
            + server.getAddress().getPort());
  }

  /** How many requests arrived. */
  public int requestCount() {
    return requests.get();
  }

  static Answer json(int status, String json) {
    return new Answer(
        status,
        Map.of("Content-Type", status >= 400 ? "application/problem+json" : "application/json"),
        json.getBytes(StandardCharsets.UTF_8));
  }

  static Answer problem(int status, String code, String detail) {
    return json(
        status,
        "{\"type\":\"https://millicent.dev/problems/"
            + code
            + "\",\"status\":"
            + status
            + ",\"code\":\""
            + code
            + "\",\"detail\":\""
            + detail.replace("\\", "\\\\").replace("\"", "'")
            + "\"}");
  }

  @Override
  public void close() {
    server.stop(0);
    executor.close();
  }
}
