package org.millicent.vendor;

import io.javalin.http.Context;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;

/**
 * The body of a request the vendor may be paid for, read whole (a payment covers its digest): a
 * request that announces none (most GETs) is not read at all. Stateless and thread-safe.
 */
final class RequestBodies {
  private static final byte[] NONE = new byte[0];

  private RequestBodies() {}

  /** The body of a request to the gateway's own routes (Javalin limits its size). */
  static byte[] of(Context ctx) {
    return announcesNone(ctx.req()) ? NONE : ctx.bodyAsBytes();
  }

  /**
   * The body of a request sold for an application ({@link Checkout}).
   *
   * @throws ProblemException {@code content-too-large} past {@code maxBytes}, {@code bad-request}
   *     when it cannot be read
   */
  static byte[] of(HttpServletRequest request, int maxBytes) {
    if (announcesNone(request)) {
      return NONE;
    }
    if (request.getContentLengthLong() > maxBytes) {
      throw tooLarge(maxBytes);
    }
    byte[] b;
    try {
      b = request.getInputStream().readNBytes(maxBytes + 1);
    } catch (IOException e) {
      throw new ProblemException(
          ProblemCode.BAD_REQUEST, "the request body could not be read (scrip unused)", e);
    }
    if (b.length > maxBytes) {
      throw tooLarge(maxBytes);
    }
    return b;
  }

  private static boolean announcesNone(HttpServletRequest request) {
    return request.getContentLengthLong() <= 0 && request.getHeader("Transfer-Encoding") == null;
  }

  private static ProblemException tooLarge(int maxBytes) {
    return new ProblemException(
        ProblemCode.CONTENT_TOO_LARGE,
        "a paid request's body may have at most " + maxBytes + " bytes (scrip unused)");
  }
}
