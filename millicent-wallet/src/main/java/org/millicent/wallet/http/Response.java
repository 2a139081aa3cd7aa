package org.millicent.wallet.http;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import javax.net.ssl.SSLSession;
import org.jspecify.annotations.Nullable;

/**
 * An HTTP response with its body held in memory: the reply MAC covers the SHA-256 of the body
 * exactly as sent, so the whole body is read before a payment is settled. Immutable.
 */
public final class Response {
  private final Request request;
  private final int status;
  private final HttpHeaders headers;
  private final byte[] body;

  private Response(Request request, int status, HttpHeaders headers, byte[] body) {
    this.request = request;
    this.status = status;
    this.headers = headers;
    this.body = body;
  }

  /**
   * A response to {@code request}.
   *
   * @throws IllegalArgumentException when the status is outside 100..599
   */
  public static Response of(
      Request request, int status, Map<String, List<String>> headers, byte[] body) {
    if (status < 100 || status > 599) {
      throw new IllegalArgumentException("status must be 100..599, was " + status);
    }
    return new Response(
        request,
        status,
        HttpHeaders.of(headers, (a, b) -> true),
        body == null ? new byte[0] : body.clone());
  }

  /** The request this answers (as finally sent, with any payment). */
  public Request request() {
    return request;
  }

  /** The status code. */
  public int status() {
    return status;
  }

  /** The headers. */
  public HttpHeaders headers() {
    return headers;
  }

  /** The first value of a header, if present (names are case-insensitive). */
  public Optional<String> header(String name) {
    return headers.firstValue(name);
  }

  /** Every value of a header. */
  public List<String> headerValues(String name) {
    return headers.allValues(name);
  }

  /** A copy of the body bytes. */
  public byte[] body() {
    return body.clone();
  }

  /** The body decoded as UTF-8. */
  public String bodyText() {
    return new String(body, StandardCharsets.UTF_8);
  }

  /** A copy with another body and content type (as when a sealed body has been opened). */
  public Response withBody(byte[] newBody, @Nullable String contentType) {
    Map<String, List<String>> m = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    headers.map().forEach((k, v) -> m.put(k, new ArrayList<>(v)));
    m.remove("Content-Length");
    if (contentType == null) {
      m.remove("Content-Type");
    } else {
      m.put("Content-Type", List.of(contentType));
    }
    return new Response(request, status, HttpHeaders.of(m, (a, b) -> true), newBody.clone());
  }

  /** This response as a {@link HttpResponse}, for callers of the {@code java.net.http} API. */
  public HttpResponse<byte[]> toHttpResponse() {
    return new BufferedHttpResponse(this);
  }

  @Override
  public String toString() {
    return status + " for " + request;
  }

  /** The {@link HttpResponse} view of a buffered response. */
  private record BufferedHttpResponse(Response response) implements HttpResponse<byte[]> {
    @Override
    public int statusCode() {
      return response.status;
    }

    @Override
    public HttpRequest request() {
      Request r = response.request;
      return HttpRequest.newBuilder(r.uri())
          .method(r.method(), HttpRequest.BodyPublishers.ofByteArray(r.body()))
          .build();
    }

    @Override
    public Optional<HttpResponse<byte[]>> previousResponse() {
      return Optional.empty();
    }

    @Override
    public HttpHeaders headers() {
      return response.headers;
    }

    @Override
    public byte[] body() {
      return response.body();
    }

    @Override
    public Optional<SSLSession> sslSession() {
      return Optional.empty();
    }

    @Override
    public URI uri() {
      return response.request.uri();
    }

    @Override
    public HttpClient.Version version() {
      return HttpClient.Version.HTTP_1_1;
    }
  }
}
