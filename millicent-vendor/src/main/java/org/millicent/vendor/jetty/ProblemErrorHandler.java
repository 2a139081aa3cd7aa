package org.millicent.vendor.jetty;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Answers the requests Jetty refuses before any route sees them (a request line, header or framing
 * that does not parse, headers too large, an expectation it cannot meet) with an RFC 9457 problem
 * document instead of Jetty's HTML page, so every answer of both servers is one: code {@code
 * bad-request} for any 4xx. A request line whose version does not parse is a malformed request, so
 * Jetty's 505 becomes 400; server-side failures keep their 5xx status with code {@code internal}
 * (the servers' own mapping answers everything that reaches a route). No stack trace is written or
 * logged. Thread-safe.
 */
public final class ProblemErrorHandler extends ErrorHandler {
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
      int code,
      String message,
      Throwable cause,
      Callback callback) {
    int status = code == 505 ? 400 : code;
    boolean client = status >= 400 && status < 500;
    String problem = client ? "bad-request" : "internal";
    String title = client ? "Bad request" : "Internal error";
    String detail =
        client
            ? "the request could not be parsed (HTTP "
                + code
                + (message == null ? "" : ": " + message)
                + ")"
            : "the server failed";
    String body =
        "{\"type\":\"https://millicent.dev/problems/"
            + problem
            + "\",\"title\":\""
            + title
            + "\",\"status\":"
            + status
            + ",\"code\":\""
            + problem
            + "\",\"detail\":\""
            + jsonEscape(detail)
            + "\"}";
    response.setStatus(status);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/problem+json");
    response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
    response.write(true, ByteBuffer.wrap(body.getBytes(StandardCharsets.UTF_8)), callback);
  }

  private static String jsonEscape(String s) {
    StringBuilder out = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '"' || c == '\\') {
        out.append('\\').append(c);
      } else if (c < 0x20 || c > 0x7e) {
        out.append(String.format("\\u%04x", (int) c));
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }
}
