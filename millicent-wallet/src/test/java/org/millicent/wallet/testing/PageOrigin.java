package org.millicent.wallet.testing;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The origin a {@link RealVendor} sells, as its reverse proxy: {@code /pages/<n>} answers the text
 * {@code page <n>}, {@code /free/<name>} the text {@code free <name>}, {@code /broken} a 503 (an
 * origin that fails: the vendor answers 502 and charges nothing), anything else 404. Thread-safe.
 */
final class PageOrigin extends TestServer {
  PageOrigin() throws IOException {}

  @Override
  Answer handle(HttpExchange ex, byte[] body) {
    String path = ex.getRequestURI().getPath();
    String name = path.substring(path.lastIndexOf('/') + 1);
    if (path.startsWith("/pages/")) {
      return text("page " + name);
    }
    if (path.startsWith("/free/")) {
      return text("free " + name);
    }
    if (path.equals("/broken")) {
      return problem(503, "unavailable", "the origin is failing");
    }
    return problem(404, "not-found", "no page at " + path);
  }

  private static Answer text(String s) {
    return new Answer(
        200, Map.of("Content-Type", "text/plain"), s.getBytes(StandardCharsets.UTF_8));
  }
}
