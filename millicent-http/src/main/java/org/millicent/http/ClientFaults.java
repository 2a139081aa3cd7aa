package org.millicent.http;

import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.time.Duration;
import java.util.Enumeration;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.http.HttpException;
import org.millicent.failure.MalformedException;
import org.millicent.protocol.AuthParams;
import org.slf4j.Logger;

/**
 * Failures a client causes by the way it sends a request rather than by what it asks: a broken
 * chunked body, a body cut short or abandoned, a read that timed out. They answer 400 {@code
 * bad-request} (if the client is still there to read it) and are logged as one WARN line without a
 * stack trace, at most once per {@link #WARN_INTERVAL} with a count of the ones left out, so a
 * flood of aborted uploads cannot flood the log. Shared by the vendor's and the broker's exception
 * mapping. Thread-safe.
 */
public final class ClientFaults {
  /** At most one WARN line about client faults per interval. */
  public static final Duration WARN_INTERVAL = Duration.ofSeconds(10);

  private final Logger log;
  private final AtomicLong nextWarnNanos = new AtomicLong(System.nanoTime());
  private final AtomicLong suppressed = new AtomicLong();

  /** Client faults logged to {@code log}. */
  public ClientFaults(Logger log) {
    this.log = log;
  }

  /**
   * Whether {@code t} (or a cause) is a failure to read the request from the client: an HTTP
   * framing error Jetty reports with a 4xx status, an I/O failure on the request stream (early end
   * of stream, reset), or a read timeout. I/O failures of the server's own resources never reach
   * the exception mapping as a bare {@link IOException}: the content sources and stores wrap them
   * in their own exceptions, which the callers classify first.
   */
  public static boolean isClientFault(Throwable t) {
    if (t instanceof IOException) {
      return true; // thrown by the request's input stream (servers wrap their own I/O failures)
    }
    for (Throwable c = t; c != null && c.getCause() != c; c = c.getCause()) {
      if (c instanceof HttpException h && h.getCode() >= 400 && h.getCode() < 500) {
        return true;
      }
      if (c instanceof TimeoutException) {
        return true;
      }
    }
    return false;
  }

  /**
   * Whether {@code request} carries more than one Authorization field. Such a request is refused
   * (400): which one a check would read decides what is authenticated or paid, and RFC 9110 allows
   * the field once (its values cannot be joined with commas).
   */
  public static boolean repeatsAuthorization(HttpServletRequest request) {
    Enumeration<String> values = request.getHeaders("Authorization");
    if (values == null || !values.hasMoreElements()) {
      return false;
    }
    values.nextElement();
    return values.hasMoreElements();
  }

  /**
   * Refuses a request whose {@code Authorization} is of the Millicent scheme and longer than {@link
   * AuthParams#MAX_LENGTH} characters, whatever the endpoint: such a header is {@code malformed}
   * (400) by the protocol, also where the endpoint would not read it (a free resource). A shorter
   * one goes on to the endpoint; the server takes request heads up to {@link
   * HttpRefusal#MAX_HEAD_BYTES}, so one of the full length is read.
   *
   * @throws MalformedException when the header is too long
   */
  public static void checkAuthorizationLength(HttpServletRequest request) {
    String auth = request.getHeader("Authorization");
    if (auth != null
        && auth.length() > AuthParams.MAX_LENGTH
        && auth.regionMatches(true, 0, AuthParams.SCHEME, 0, AuthParams.SCHEME.length())
        && Character.isWhitespace(auth.charAt(AuthParams.SCHEME.length()))) {
      throw new MalformedException(
          "the Authorization header has "
              + auth.length()
              + " characters; a Millicent one may have at most "
              + AuthParams.MAX_LENGTH);
    }
  }

  /**
   * Whether {@code raw} (a raw path or query) has a {@code %} not followed by two hex digits. Such
   * a target is refused (400) before routing: Javalin's decoding of path and query parameters
   * throws on it, which would otherwise surface as a server failure.
   */
  public static boolean hasMalformedEscape(String raw) {
    if (raw == null) {
      return false;
    }
    for (int i = raw.indexOf('%'); i >= 0; i = raw.indexOf('%', i + 1)) {
      if (i + 2 >= raw.length() || !isHex(raw.charAt(i + 1)) || !isHex(raw.charAt(i + 2))) {
        return true;
      }
    }
    return false;
  }

  private static boolean isHex(char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
  }

  /** The detail of the problem document answering {@code t}: what went wrong, no stack trace. */
  public static String detail(Throwable t) {
    String m = t.getMessage();
    return "the request could not be read ("
        + t.getClass().getSimpleName()
        + (m == null || m.isBlank() ? "" : ": " + m)
        + ")";
  }

  /**
   * Logs {@code t} on {@code method path} as one WARN line, unless one was logged less than {@link
   * #WARN_INTERVAL} ago (then it is only counted, and the next line says how many were left out).
   */
  public void warn(String method, String path, Throwable t) {
    long now = System.nanoTime();
    long next = nextWarnNanos.get();
    if (now - next < 0 || !nextWarnNanos.compareAndSet(next, now + WARN_INTERVAL.toNanos())) {
      suppressed.incrementAndGet();
      return;
    }
    long left = suppressed.getAndSet(0);
    log.warn(
        "client broke off or garbled a request: {} {}: {}{}",
        method,
        path,
        detail(t),
        left == 0 ? "" : " (" + left + " more like it not logged)");
  }
}
