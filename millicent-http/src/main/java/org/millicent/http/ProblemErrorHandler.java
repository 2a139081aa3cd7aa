package org.millicent.http;

import io.javalin.config.JavalinConfig;
import java.nio.ByteBuffer;
import java.util.Map;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Answers the requests Jetty refuses before any route sees them (a request line, header or framing
 * that does not parse, a request head over {@link HttpRefusal#MAX_HEAD_BYTES}, an expectation it
 * cannot meet, an ambiguous path) with an RFC 9457 problem document instead of Jetty's HTML page,
 * so every answer of both servers is one. The code is the {@link HttpRefusal} of Jetty's status:
 * {@code headers-too-large} (431), {@code uri-too-long} (414), {@code bad-path} for a 400 whose
 * target violates the URI compliance mode, else {@code bad-request} for a 4xx (Jetty's 505 for an
 * unparsable version becomes 400) and {@code internal} for a 5xx. No stack trace is written or
 * logged. Shared by the vendor and the broker. Thread-safe.
 */
public final class ProblemErrorHandler extends ErrorHandler {
  private ProblemErrorHandler() {}

  /**
   * Sets up {@code config}'s Jetty as both servers run it: request heads up to {@link
   * HttpRefusal#MAX_HEAD_BYTES} (Jetty's default of 8 KiB refused a long but valid payment header),
   * and this handler for what Jetty refuses.
   */
  public static void install(JavalinConfig config) {
    config.jetty.modifyHttpConfiguration(
        http -> http.setRequestHeaderSize(HttpRefusal.MAX_HEAD_BYTES));
    config.jetty.modifyServer(server -> server.setErrorHandler(new ProblemErrorHandler()));
  }

  /**
   * Every method gets the document (Jetty's default writes an empty body but for GET, POST, HEAD).
   */
  @Override
  public boolean errorPageForMethod(String method) {
    return true;
  }

  @Override
  protected void generateResponse(
      Request request,
      Response response,
      int jettyStatus,
      String message,
      Throwable cause,
      Callback callback) {
    HttpRefusal refusal = HttpRefusal.forStatus(jettyStatus);
    int status = HttpRefusal.answeredStatus(jettyStatus);
    if (refusal == HttpRefusal.BAD_REQUEST && status == 400 && ambiguousPath(request)) {
      refusal = HttpRefusal.BAD_PATH;
    }
    String detail =
        refusal == HttpRefusal.NOT_FOUND && request != null
            ? "nothing is served at " + request.getMethod() + " " + target(request)
            : refusal.detail(jettyStatus, message);
    byte[] bytes;
    try {
      bytes = ProblemDocument.bytes(status, refusal.code(), refusal.title(), detail, Map.of());
    } catch (IllegalStateException e) {
      callback.failed(e);
      return;
    }
    response.setStatus(status);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, ProblemDocument.MEDIA_TYPE);
    response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
    response.write(true, ByteBuffer.wrap(bytes), callback);
  }

  /**
   * Whether Jetty refused the request for its path: the URI it parsed carries a violation of the
   * compliance mode (ambiguous segment, separator, encoding, suspicious or illegal character).
   */
  private static boolean ambiguousPath(Request request) {
    HttpURI uri = request == null ? null : request.getHttpURI();
    return uri != null && uri.hasViolations();
  }

  private static String target(Request request) {
    HttpURI uri = request.getHttpURI();
    String path = uri == null ? null : uri.getPath();
    return path == null || path.isEmpty() ? "*" : path;
  }
}
