package org.millicent.wallet.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;

/**
 * An HTTP request with its body held in memory, as the interceptor chain passes it on: a payment
 * binds the method, the request target and the SHA-256 of the body, and a retry must re-send the
 * very same bytes. Immutable; the {@code with...} methods return changed copies.
 */
public final class Request {
  private static final byte[] NO_BODY = new byte[0];

  private final String method;
  private final URI uri;
  private final HttpHeaders headers;
  private final byte[] body;

  private Request(String method, URI uri, HttpHeaders headers, byte[] body) {
    this.method = method;
    this.uri = uri;
    this.headers = headers;
    this.body = body;
  }

  /**
   * A request with the given parts.
   *
   * @throws IllegalArgumentException when the method is not upper-case letters, or the URI is not
   *     an absolute http or https URI
   */
  public static Request of(String method, URI uri, Map<String, List<String>> headers, byte[] body) {
    if (method == null || !method.matches("[A-Z]{1,16}")) {
      throw new IllegalArgumentException("method must be 1..16 upper-case letters, was " + method);
    }
    if (uri == null
        || uri.getScheme() == null
        || !(uri.getScheme().equalsIgnoreCase("http") || uri.getScheme().equalsIgnoreCase("https"))
        || uri.getHost() == null) {
      throw new IllegalArgumentException("expected an absolute http(s) URI, found " + uri);
    }
    return new Request(
        method,
        uri,
        HttpHeaders.of(headers, (a, b) -> true),
        body == null ? NO_BODY : body.clone());
  }

  /** A GET of {@code uri} without headers. */
  public static Request get(URI uri) {
    return of("GET", uri, Map.of(), NO_BODY);
  }

  /** A POST of {@code body} with the given content type. */
  public static Request post(URI uri, String contentType, byte[] body) {
    return of("POST", uri, Map.of("Content-Type", List.of(contentType)), body);
  }

  /**
   * A request from a {@link HttpRequest}, reading its body publisher into memory.
   *
   * @throws IOException when the body publisher fails
   */
  public static Request from(HttpRequest request) throws IOException {
    byte[] body =
        request.bodyPublisher().isPresent() ? drain(request.bodyPublisher().get()) : NO_BODY;
    return of(request.method(), request.uri(), request.headers().map(), body);
  }

  private static byte[] drain(HttpRequest.BodyPublisher publisher) throws IOException {
    CompletableFuture<byte[]> done = new CompletableFuture<>();
    publisher.subscribe(
        new Flow.Subscriber<ByteBuffer>() {
          private final ByteArrayOutputStream out = new ByteArrayOutputStream();

          @Override
          public void onSubscribe(Flow.Subscription s) {
            s.request(Long.MAX_VALUE);
          }

          @Override
          public void onNext(ByteBuffer item) {
            byte[] chunk = new byte[item.remaining()];
            item.get(chunk);
            out.writeBytes(chunk);
          }

          @Override
          public void onError(Throwable t) {
            done.completeExceptionally(t);
          }

          @Override
          public void onComplete() {
            done.complete(out.toByteArray());
          }
        });
    try {
      return done.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while reading the request body", e);
    } catch (ExecutionException e) {
      throw new IOException("could not read the request body: " + e.getCause(), e.getCause());
    }
  }

  /** The method, upper case. */
  public String method() {
    return method;
  }

  /** The absolute URI. */
  public URI uri() {
    return uri;
  }

  /** The headers. */
  public HttpHeaders headers() {
    return headers;
  }

  /** The first value of a header, if present (names are case-insensitive). */
  public Optional<String> header(String name) {
    return headers.firstValue(name);
  }

  /** A copy of the body bytes (empty when there is none). */
  public byte[] body() {
    return body.clone();
  }

  /** The body length in bytes. */
  public int bodyLength() {
    return body.length;
  }

  /**
   * The request target exactly as the HTTP client sends it: the raw path (or {@code /}) and, if
   * any, {@code ?} and the raw query. A payment is bound to it.
   */
  public String target() {
    String path = uri.getRawPath();
    if (path == null || path.isEmpty()) {
      path = "/";
    }
    return uri.getRawQuery() == null ? path : path + "?" + uri.getRawQuery();
  }

  /** {@code scheme://host:port} of the URI, the port always written out. */
  public String origin() {
    return origin(uri);
  }

  /** {@code scheme://host:port} of {@code uri}, the port always written out. */
  public static String origin(URI uri) {
    String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
    int port = uri.getPort();
    if (port < 0) {
      port = scheme.equals("https") ? 443 : 80;
    }
    String host = uri.getHost();
    if (host.contains(":") && !host.startsWith("[")) {
      host = "[" + host + "]";
    }
    return scheme + "://" + host.toLowerCase(Locale.ROOT) + ":" + port;
  }

  /** A copy with header {@code name} set to the single value {@code value}. */
  public Request withHeader(String name, String value) {
    Map<String, List<String>> m = mutableHeaders();
    m.put(name, List.of(value));
    return new Request(method, uri, HttpHeaders.of(m, (a, b) -> true), body);
  }

  /** A copy without header {@code name}. */
  public Request withoutHeader(String name) {
    Map<String, List<String>> m = mutableHeaders();
    m.remove(name);
    return new Request(method, uri, HttpHeaders.of(m, (a, b) -> true), body);
  }

  /** A copy with another body (the content type is left as it is). */
  public Request withBody(byte[] newBody) {
    return new Request(method, uri, headers, newBody.clone());
  }

  private Map<String, List<String>> mutableHeaders() {
    Map<String, List<String>> m = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    headers.map().forEach((k, v) -> m.put(k, new ArrayList<>(v)));
    return m;
  }

  /** Method and URI only: headers may carry payments and bodies may be private. */
  @Override
  public String toString() {
    return method + " " + uri;
  }
}
