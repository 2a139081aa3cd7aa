package org.millicent.vendor.content;

import java.io.IOException;
import java.io.InputStream;
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
import org.millicent.http.FailureText;
import org.millicent.protocol.Headers;

/**
 * A reverse proxy to one origin server: forwards method, target, body and the end-to-end headers,
 * and returns the origin's answer whole (the reply MAC needs the body bytes), up to {@code
 * max_answer_bytes}: a larger answer is refused as it is read ({@link OriginException.TooLarge}),
 * never held whole, so that no answer (a replayed paid one included) can fill the vendor's memory.
 * An origin that cannot be reached or does not answer in time raises {@link OriginException}.
 * Thread-safe.
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
    HttpResponse<InputStream> r;
    byte[] body;
    try {
      r = client.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
      body = boundedBody(r, "HEAD".equals(request.method()));
    } catch (IOException e) {
      throw new OriginException("origin " + base + " did not answer: " + FailureText.of(e), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new OriginException("interrupted while waiting for origin " + base, e);
    } catch (IllegalArgumentException e) {
      throw new OriginException("origin " + base + " refused the request: " + FailureText.of(e), e);
    }
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
   * The answer's body, read into one array of its size when the origin announced it: refused unread
   * when it announced more than {@link #maxAnswerBytes}, and as soon as more has come when it did
   * not (closing the stream drops the connection). The length announced in the answer to a HEAD, a
   * 204 or a 304 is not its body's (RFC 9110, 8.6), which is empty.
   */
  private byte[] boundedBody(HttpResponse<InputStream> r, boolean head)
      throws IOException, OriginException {
    try (InputStream in = r.body()) {
      long announced =
          head || r.statusCode() == 204 || r.statusCode() == 304
              ? -1
              : r.headers().firstValueAsLong("content-length").orElse(-1);
      if (announced > maxAnswerBytes) {
        throw new OriginException.TooLarge(maxAnswerBytes);
      }
      if (announced >= 0) {
        byte[] body = new byte[(int) announced];
        int n = in.readNBytes(body, 0, body.length);
        if (n < body.length) {
          throw new IOException("the answer ended after " + n + " of " + announced + " bytes");
        }
        return body;
      }
      byte[] body = in.readNBytes(maxAnswerBytes + 1);
      if (body.length > maxAnswerBytes) {
        throw new OriginException.TooLarge(maxAnswerBytes);
      }
      return body;
    }
  }

  @Override
  public void close() {
    client.close();
  }
}
