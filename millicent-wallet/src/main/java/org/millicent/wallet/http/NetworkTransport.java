package org.millicent.wallet.http;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.millicent.protocol.Headers;

/**
 * The end of the chain: sends a {@link Request} with {@link HttpClient} and reads the whole
 * response. Hop-by-hop headers and those {@code java.net.http} sets itself are dropped.
 * Thread-safe.
 */
final class NetworkTransport implements Transport {
  private final HttpClient client;
  private final Duration timeout;

  NetworkTransport(HttpClient client, Duration timeout) {
    this.client = client;
    this.timeout = timeout;
  }

  static HttpClient defaultClient() {
    return HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .followRedirects(HttpClient.Redirect.NEVER)
        .connectTimeout(Duration.ofSeconds(10))
        .build();
  }

  @Override
  public Response send(Request request) throws IOException, InterruptedException {
    byte[] body = request.body();
    HttpRequest.BodyPublisher publisher =
        body.length == 0
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofByteArray(body);
    HttpRequest.Builder b =
        HttpRequest.newBuilder(request.uri()).method(request.method(), publisher).timeout(timeout);
    request
        .headers()
        .map()
        .forEach(
            (name, values) -> {
              if (!Headers.isNotForwarded(name)) {
                for (String v : values) {
                  b.header(name, v);
                }
              }
            });
    HttpResponse<byte[]> r = client.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    r.headers()
        .map()
        .forEach(
            (k, v) -> {
              if (!k.startsWith(":")) {
                headers.put(k, v);
              }
            });
    return Response.of(request, r.statusCode(), headers, r.body());
  }
}
