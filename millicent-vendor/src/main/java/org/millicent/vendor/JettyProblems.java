package org.millicent.vendor;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Jetty's own refusals as problem documents: a request Jetty rejects before any route runs (a
 * target its URI compliance mode finds ambiguous, a malformed request line or header) gets an RFC
 * 9457 document like every other failure, instead of Jetty's HTML page. Code {@code bad-request}
 * for a 4xx, {@code internal} otherwise; the detail is Jetty's reason, never a stack trace.
 * Thread-safe.
 */
final class JettyProblems extends ErrorHandler {
  private final ObjectMapper json;

  JettyProblems(ObjectMapper json) {
    this.json = json;
    setShowStacks(false);
    setShowCauses(false);
  }

  /**
   * Whether Jetty refused the request for its path: the URI it parsed carries a violation of the
   * compliance mode (ambiguous segment, separator, encoding, suspicious or illegal character).
   */
  private static boolean ambiguousPath(Request request) {
    HttpURI uri = request.getHttpURI();
    return uri != null && uri.hasViolations();
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
    // A request line whose version does not parse is a malformed request (400), not a server's
    // refusal of a version (505): no client input gets a 5xx.
    int status = jettyStatus == HttpStatus.HTTP_VERSION_NOT_SUPPORTED_505 ? 400 : jettyStatus;
    response.setStatus(status);
    ProblemCode code;
    if (status >= 500) {
      code = ProblemCode.INTERNAL;
    } else if (status == 400 && ambiguousPath(request)) {
      code = ProblemCode.BAD_PATH;
    } else {
      code = ProblemCode.BAD_REQUEST;
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("type", code.type());
    body.put("title", HttpStatus.getMessage(status));
    body.put("status", status);
    body.put("code", code.code());
    if (message != null) {
      body.put("detail", message);
    }
    byte[] bytes;
    try {
      bytes = json.writeValueAsBytes(body);
    } catch (JsonProcessingException e) {
      callback.failed(e);
      return;
    }
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, Problems.PROBLEM_JSON);
    response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
    response.write(true, ByteBuffer.wrap(bytes), callback);
  }
}
