package org.millicent.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The origin server behind a reverse-proxy vendor in an end-to-end test, on a loopback port: every
 * path answers {@code 200 text/plain} "content of" the path; a path under {@code /slow/} is held
 * until {@link #releaseSlow} (a minute at most), so that a test can act while a paid request is
 * inside the vendor; one under {@code /private/} is marked {@code Cache-Control: private,
 * max-age=60}. Each request runs on its own virtual thread. Thread-safe.
 */
@SuppressForbidden // the JDK's HTTP server (jdk.httpserver, a supported API) is a real origin,
// small
public final class ContentOrigin implements AutoCloseable {
  private final HttpServer server;
  private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
  private final List<String> paths = new CopyOnWriteArrayList<>();
  private final CountDownLatch slowArrived = new CountDownLatch(1);
  private final CountDownLatch slowRelease = new CountDownLatch(1);

  private ContentOrigin() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(threads);
    server.createContext("/", this::answer);
  }

  /**
   * Starts an origin on a free loopback port.
   *
   * @return the running origin
   * @throws UncheckedIOException when no port can be bound
   */
  public static ContentOrigin start() {
    try {
      ContentOrigin o = new ContentOrigin();
      o.server.start();
      return o;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void answer(HttpExchange ex) throws IOException {
    try (ex) {
      String path = ex.getRequestURI().getPath();
      paths.add(path);
      if (path.startsWith("/slow/")) {
        slowArrived.countDown();
        try {
          slowRelease.await(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      if (path.startsWith("/private/")) {
        ex.getResponseHeaders().add("Cache-Control", "private, max-age=60");
      }
      byte[] body = ("content of " + path).getBytes(StandardCharsets.UTF_8);
      ex.getResponseHeaders().add("Content-Type", "text/plain");
      ex.sendResponseHeaders(200, body.length);
      ex.getResponseBody().write(body);
    }
  }

  /** Where the origin listens, {@code http://127.0.0.1:<port>}. */
  public URI url() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  /**
   * Waits for the first request under {@code /slow/}.
   *
   * @return whether one arrived within {@code timeout}
   */
  public boolean awaitSlow(Duration timeout) throws InterruptedException {
    return slowArrived.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Lets every held {@code /slow/} request, and every later one, be answered. */
  public void releaseSlow() {
    slowRelease.countDown();
  }

  /** The paths asked for so far, in the order they arrived. */
  public List<String> paths() {
    return List.copyOf(paths);
  }

  /** Releases held requests and stops listening. */
  @Override
  public void close() {
    slowRelease.countDown();
    server.stop(0);
    threads.close();
  }
}
