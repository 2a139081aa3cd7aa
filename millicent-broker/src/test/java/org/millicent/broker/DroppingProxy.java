package org.millicent.broker;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback reverse proxy in front of a real vendor that forwards every request and, while told
 * to, drops the vendor's answer to a chosen path: the request reaches the vendor and is done there,
 * but the caller's connection is closed without a response (an answer lost on the way back). It
 * keeps the dropped answers' bodies. Thread-safe; close it.
 */
final class DroppingProxy implements AutoCloseable {
  private static final Set<String> HOP_BY_HOP =
      Set.of("connection", "content-length", "host", "transfer-encoding", "upgrade", "expect");

  private final URI target;
  private final String dropPath;
  private final HttpServer server;
  private final HttpClient http = HttpClient.newHttpClient();
  private final AtomicInteger drops = new AtomicInteger();
  private final List<String> paths = new CopyOnWriteArrayList<>();
  private final List<byte[]> dropped = new CopyOnWriteArrayList<>();
  private volatile java.util.concurrent.CountDownLatch hold;
  private volatile String refusal;
  private volatile int refusalStatus;

  DroppingProxy(URI target, String dropPath) throws IOException {
    this.target = target;
    this.dropPath = dropPath;
    this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", this::handle);
    server.start();
  }

  URI url() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  /** Drops the next {@code n} answers to the drop path. */
  void drop(int n) {
    drops.set(n);
  }

  /**
   * Answers requests to the drop path itself, without forwarding them, with a problem document of
   * {@code status} and {@code code} (null: forward again), as a vendor that refuses would.
   */
  void refuse(int status, String code) {
    this.refusalStatus = status;
    this.refusal = code;
  }

  /**
   * Holds every request to the drop path until {@code release} opens (null: forward at once), as a
   * vendor that is slow to answer.
   */
  void hold(java.util.concurrent.CountDownLatch release) {
    this.hold = release;
  }

  /** The bodies of the answers dropped so far, in order. */
  List<byte[]> dropped() {
    return dropped;
  }

  List<String> paths() {
    return paths;
  }

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      byte[] body;
      try (InputStream in = ex.getRequestBody()) {
        body = in.readAllBytes();
      }
      String path = ex.getRequestURI().getRawPath();
      paths.add(path);
      java.util.concurrent.CountDownLatch held = hold;
      if (held != null && path.equals(dropPath)) {
        try {
          held.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
      String code = refusal;
      if (code != null && path.equals(dropPath)) {
        byte[] problem =
            ("{\"type\":\"https://millicent.dev/problems/"
                    + code
                    + "\",\"status\":"
                    + refusalStatus
                    + ",\"code\":\""
                    + code
                    + "\",\"detail\":\"refused by the test\"}")
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", "application/problem+json");
        ex.sendResponseHeaders(refusalStatus, problem.length);
        try (OutputStream out = ex.getResponseBody()) {
          out.write(problem);
        }
        return;
      }
      HttpRequest.Builder b =
          HttpRequest.newBuilder(target.resolve(ex.getRequestURI().toString()))
              .method(
                  ex.getRequestMethod(),
                  body.length == 0
                      ? HttpRequest.BodyPublishers.noBody()
                      : HttpRequest.BodyPublishers.ofByteArray(body));
      ex.getRequestHeaders()
          .forEach(
              (k, vs) -> {
                if (!HOP_BY_HOP.contains(k.toLowerCase(java.util.Locale.ROOT))) {
                  vs.forEach(v -> b.header(k, v));
                }
              });
      HttpResponse<byte[]> r;
      try {
        r = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException(e);
      }
      if (path.equals(dropPath) && drops.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
        dropped.add(r.body());
        return; // closes the connection without an answer
      }
      r.headers()
          .map()
          .forEach(
              (k, vs) -> {
                if (!HOP_BY_HOP.contains(k.toLowerCase(java.util.Locale.ROOT))
                    && !k.startsWith(":")) {
                  ex.getResponseHeaders().put(k, vs);
                }
              });
      ex.sendResponseHeaders(r.statusCode(), r.body().length == 0 ? -1 : r.body().length);
      try (OutputStream out = ex.getResponseBody()) {
        out.write(r.body());
      }
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
