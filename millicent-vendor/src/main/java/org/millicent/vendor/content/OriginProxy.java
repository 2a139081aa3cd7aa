package org.millicent.vendor.content;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.millicent.http.FailureText;
import org.millicent.protocol.Headers;

/**
 * A reverse proxy to one origin server: forwards method, target, body and the end-to-end headers,
 * and returns the origin's answer whole (the reply MAC needs the body bytes), up to {@code
 * max_answer_bytes}: a larger answer is refused as it is read ({@link OriginException.TooLarge}),
 * never held whole, so that no answer (a replayed paid one included) can fill the vendor's memory.
 * An origin that cannot be reached or does not answer in time raises {@link OriginException}: the
 * {@code origin_timeout} bounds the whole answer, its body included, so that an origin trickling a
 * body cannot hold a paid request (and the scrip it claimed) for longer. Thread-safe.
 */
final class OriginProxy implements ContentSource {
  /**
   * Headers that are hop-by-hop or set by the client library ({@link Headers#isNotForwarded}), the
   * payment itself; and the forwarding headers a client may have made up: the vendor is the trust
   * boundary, so the origin learns the client's address only from the {@code X-Forwarded-For} the
   * vendor sets to the peer it sees (docs/HTTP-API.md, "Reverse proxy"). Every {@code
   * Millicent-Paid-*} header a client sent is dropped too ({@link Headers#isPaid}): the origin sees
   * only the gateway's own, signed ones (docs/ORIGIN.md).
   */
  private static final Set<String> NOT_FORWARDED =
      Set.of(
          "x-forwarded-for",
          "x-forwarded-host",
          "x-forwarded-proto",
          "x-forwarded-port",
          "x-forwarded-server",
          "x-real-ip",
          "forwarded",
          "authorization");

  /**
   * Origin headers the gateway writes itself, besides those {@link Headers#isNotForwarded}: the
   * body's type (sealed in the private variant), date and server, and HTTP/2's pseudo-header.
   */
  private static final Set<String> NOT_RETURNED =
      Set.of("content-type", "date", "server", ":status");

  private final URI base;
  private final Duration timeout;
  private final int maxAnswerBytes;
  private final HttpClient client;

  OriginProxy(URI base, Duration timeout, int maxAnswerBytes) {
    String s = base.toString();
    this.base = URI.create(s.endsWith("/") ? s.substring(0, s.length() - 1) : s);
    this.timeout = timeout;
    this.maxAnswerBytes = maxAnswerBytes;
    this.client =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(
                timeout.compareTo(Duration.ofSeconds(10)) < 0 ? timeout : Duration.ofSeconds(10))
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
  }

  @Override
  public boolean mayExist(String path) {
    return true;
  }

  @Override
  public ContentResponse fetch(ContentRequest request) throws OriginException {
    URI uri;
    try {
      uri = URI.create(base + request.target());
    } catch (IllegalArgumentException e) {
      // The gateway forwards only canonical targets, which always parse; never a 500 regardless.
      throw new OriginException("cannot forward target: " + FailureText.of(e), e);
    }
    HttpRequest.Builder b =
        HttpRequest.newBuilder(uri)
            .timeout(timeout)
            .method(
                request.method(),
                request.body().length == 0
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofByteArray(request.body()));
    request
        .headers()
        .forEach(
            (name, values) -> {
              if (!Headers.isNotForwarded(name)
                  && !NOT_FORWARDED.contains(name.toLowerCase(Locale.ROOT))
                  && !Headers.isPaid(name)) {
                for (String v : values) {
                  try {
                    b.header(name, v);
                  } catch (IllegalArgumentException e) {
                    // a name or value the HTTP client will not send (Jetty accepted it): dropped
                  }
                }
              }
            });
    String clientAddress = request.clientAddress();
    if (clientAddress != null) { // null only for local content, which is never proxied
      b.header("X-Forwarded-For", clientAddress);
    }
    request.paidHeaders().forEach(b::header);
    HttpResponse<byte[]> r = send(b.build(), "HEAD".equals(request.method()));
    byte[] body = r.body();
    Map<String, List<String>> headers = new LinkedHashMap<>();
    r.headers()
        .map()
        .forEach(
            (name, values) -> {
              if (!Headers.isNotForwarded(name)
                  && !NOT_RETURNED.contains(name.toLowerCase(Locale.ROOT))) {
                headers.put(name, values);
              }
            });
    return new ContentResponse(
        r.statusCode(), r.headers().firstValue("content-type").orElse(null), headers, body);
  }

  /**
   * Sends {@code request} and waits for the whole answer, body included, at most {@link #timeout}
   * from now; on the deadline the exchange is cancelled, which drops the connection.
   */
  private HttpResponse<byte[]> send(HttpRequest request, boolean head) throws OriginException {
    CompletableFuture<HttpResponse<byte[]>> answer;
    try {
      answer = client.sendAsync(request, info -> BoundedBody.of(info, head, maxAnswerBytes));
    } catch (IllegalArgumentException e) {
      throw new OriginException("origin " + base + " refused the request: " + FailureText.of(e), e);
    }
    try {
      return answer.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      answer.cancel(true);
      throw new OriginException(
          "origin " + base + " did not answer whole within origin_timeout (" + timeout + ")", e);
    } catch (InterruptedException e) {
      answer.cancel(true);
      Thread.currentThread().interrupt();
      throw new OriginException("interrupted while waiting for origin " + base, e);
    } catch (ExecutionException e) {
      for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
        if (t instanceof BoundedBody.TooLarge) {
          throw new OriginException.TooLarge(maxAnswerBytes);
        }
      }
      Throwable cause = e.getCause() == null ? e : e.getCause();
      throw new OriginException(
          "origin " + base + " did not answer: " + FailureText.of(cause), cause);
    }
  }

  @Override
  public void close() {
    client.close();
  }
}
