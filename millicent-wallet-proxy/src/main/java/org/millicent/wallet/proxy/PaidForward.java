package org.millicent.wallet.proxy;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.millicent.failure.Causes;
import org.millicent.protocol.Headers;
import org.millicent.wallet.WalletException;
import org.millicent.wallet.http.MillicentHttpClient;
import org.millicent.wallet.http.Request;

/**
 * Forwards one request to a vendor's origin through the wallet's paying client, so every money rule
 * of the wallet holds as it does for {@code millicent wallet get} (docs/WALLET.md, "Paying a 402"
 * and "No value lost"): budgets, vouched origins, the payment recorded before it leaves, the lost
 * answer re-sent, recovery. Bodies are held in memory both ways here (the payment binds the request
 * body's digest and the reply MAC covers the response body), at most {@value #MAX_BODY} bytes. When
 * the wallet will not pay, the client gets a problem document with the wallet's code and a {@code
 * Millicent-Wallet} header. Blocking: run it on a virtual thread. Thread-safe.
 */
final class PaidForward {
  static final int MAX_BODY = 16 << 20;

  private final MillicentHttpClient http;
  private final MillicentHttpClient https;
  private final PrivateCache cache;
  private final ProxyActivity activity;

  /**
   * @param http the paying client for {@code http://} origins (HTTP/1.1)
   * @param https the paying client for {@code https://} origins (HTTP/2 where the origin offers it)
   */
  PaidForward(
      MillicentHttpClient http,
      MillicentHttpClient https,
      PrivateCache cache,
      ProxyActivity activity) {
    this.http = http;
    this.https = https;
    this.cache = cache;
    this.activity = activity;
  }

  /** Sends {@code in} to {@code target} (the absolute URL), paying as needed, and answers. */
  void forward(org.eclipse.jetty.server.Request in, URI target, Response out, Callback callback) {
    String method = in.getMethod();
    long id = activity.started(method + " " + target);
    try {
      byte[] body;
      try (InputStream s = org.eclipse.jetty.server.Request.asInputStream(in)) {
        body = s.readNBytes(MAX_BODY + 1);
      }
      if (body.length > MAX_BODY) {
        ProxyProblems.write(
            out, callback, 413, ProxyProblems.BAD_REQUEST, "the request body is over 16 MiB");
        return;
      }
      boolean cacheable = method.equals("GET") && body.length == 0;
      if (cacheable) {
        var copy = cache.get(target.toString());
        if (copy.isPresent()) {
          activity.done(id, method + " " + target + " -> 200 (private copy, not paid again)");
          write(out, callback, copy.get(), false);
          return;
        }
      }
      Request request = Request.of(method, target, forwardedHeaders(in.getHeaders()), body);
      MillicentHttpClient client = "https".equalsIgnoreCase(target.getScheme()) ? https : http;
      org.millicent.wallet.http.Response answer = client.send(request);
      boolean paid =
          answer.request().header(Headers.AUTHORIZATION).isPresent()
              && request.header(Headers.AUTHORIZATION).isEmpty();
      if (cacheable && paid) {
        cache.offer(target.toString(), answer);
      }
      activity.done(id, method + " " + target + " -> " + answer.status() + (paid ? " (paid)" : ""));
      write(out, callback, answer, method.equals("HEAD"));
    } catch (WalletException e) {
      activity.done(id, method + " " + target + " -> not paid: " + e.code().code());
      ProxyProblems.write(out, callback, e, Causes.describe(e));
    } catch (IllegalArgumentException e) {
      activity.done(id, method + " " + target + " -> bad request");
      ProxyProblems.write(out, callback, 400, ProxyProblems.BAD_REQUEST, Causes.describe(e));
    } catch (IOException e) {
      activity.done(id, method + " " + target + " -> unreachable");
      ProxyProblems.write(
          out,
          callback,
          ProxyProblems.status(WalletException.Code.UNREACHABLE),
          WalletException.Code.UNREACHABLE.code(),
          "could not reach " + Request.origin(target) + ": " + e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      activity.done(id, method + " " + target + " -> interrupted");
      callback.failed(e);
    } catch (RuntimeException e) {
      activity.done(id, method + " " + target + " -> failed");
      callback.failed(e);
    }
  }

  private static Map<String, List<String>> forwardedHeaders(HttpFields fields) {
    HopByHop skip = HopByHop.of(fields);
    Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    for (HttpField f : fields) {
      if (!skip.skips(f.getName())) {
        headers.computeIfAbsent(f.getName(), k -> new ArrayList<>()).add(f.getValue());
      }
    }
    return headers;
  }

  private static void write(
      Response out, Callback callback, org.millicent.wallet.http.Response r, boolean head) {
    out.setStatus(r.status());
    HopByHop skip = HopByHop.of(r.headerValues("Connection"));
    r.headers()
        .map()
        .forEach(
            (name, values) -> {
              if (!skip.skips(name)) {
                values.forEach(v -> out.getHeaders().add(name, v));
              }
            });
    if (head) {
      r.header("Content-Length").ifPresent(v -> out.getHeaders().put("Content-Length", v));
      out.write(true, null, callback);
      return;
    }
    out.getHeaders().put("Content-Length", Integer.toString(r.body().length));
    out.write(true, ByteBuffer.wrap(r.body()), callback);
  }
}
