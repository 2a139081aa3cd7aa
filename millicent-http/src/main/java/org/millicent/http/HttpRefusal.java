package org.millicent.http;

import org.jspecify.annotations.Nullable;
import org.millicent.failure.ErrorCode;

/**
 * The problems the HTTP layer of both servers answers with by itself, before or beside any
 * endpoint's own logic (docs/HTTP-API.md, "Broken, abandoned and ambiguous requests"): a request
 * Jetty cannot parse or will not take, a path no route serves, a method a path does not answer.
 * Each has its stable code, status and title; the vendor and the broker use the same ones. Codes
 * never change once published.
 */
public enum HttpRefusal implements ErrorCode {
  /** The request line, a header or the framing does not parse, or Jetty refuses it otherwise. */
  BAD_REQUEST("bad-request", 400, "Bad request"),
  /** The target's path is ambiguous (an encoded separator or dot segment, an empty segment ...). */
  BAD_PATH("bad-path", 400, "Request path not canonical"),
  /** No route serves the path, with any method. */
  NOT_FOUND("not-found", 404, "Not found"),
  /** Routes serve the path, but not with this method; the answer says which in {@code Allow}. */
  METHOD_NOT_ALLOWED("method-not-allowed", 405, "Method not allowed"),
  /** The request body is larger than the server takes. */
  CONTENT_TOO_LARGE("content-too-large", 413, "Request body too large"),
  /** The request target is longer than the request head may be. */
  URI_TOO_LONG("uri-too-long", 414, "Request target too long"),
  /** The request line and header fields together are larger than {@link #MAX_HEAD_BYTES}. */
  HEADERS_TOO_LARGE("headers-too-large", 431, "Request header fields too large"),
  /** The server failed; never the client's doing. */
  INTERNAL("internal", 500, "Internal error");

  /**
   * The most a request's line and header fields may take together, in bytes (Jetty's request header
   * size): twice the longest {@code Authorization: Millicent} value accepted (16 384 characters,
   * docs/PROTOCOL.md), so such a payment always leaves room for the other headers.
   */
  public static final int MAX_HEAD_BYTES = 32 * 1024;

  /** Base of every problem type URI. */
  public static final String TYPE_BASE = "https://millicent.dev/problems/";

  private final String code;
  private final int status;
  private final String title;

  HttpRefusal(String code, int status, String title) {
    this.code = code;
    this.status = status;
    this.title = title;
  }

  /** The stable code, e.g. {@code headers-too-large}. */
  @Override
  public String code() {
    return code;
  }

  /** The HTTP status answered. */
  public int status() {
    return status;
  }

  /** A short human title for problem documents. */
  public String title() {
    return title;
  }

  /** The problem type URI. */
  public String type() {
    return TYPE_BASE + code;
  }

  /**
   * What the client did wrong, in words, for the problem detail; never null.
   *
   * @param status the error status Jetty or Javalin produced
   * @param reason their reason phrase or message, added where it says more (may be null)
   */
  public String detail(int status, @Nullable String reason) {
    String why = reason == null || reason.isBlank() ? null : reason;
    return switch (this) {
      case HEADERS_TOO_LARGE ->
          "the request line and header fields take more than " + MAX_HEAD_BYTES + " bytes together";
      case URI_TOO_LONG ->
          "the request target is too long (the request line and header fields may take at most "
              + MAX_HEAD_BYTES
              + " bytes together)";
      case CONTENT_TOO_LARGE -> "the request body is larger than this server takes";
      case NOT_FOUND -> "nothing is served at this target";
      case METHOD_NOT_ALLOWED -> "this method is not allowed on this target";
      case BAD_PATH -> "the request path is ambiguous" + (why == null ? "" : " (" + why + ")");
      case BAD_REQUEST ->
          "the request could not be parsed (HTTP " + status + (why == null ? "" : ": " + why) + ")";
      case INTERNAL -> "the server failed (HTTP " + status + ")";
    };
  }

  /**
   * The refusal for an error status Jetty or Javalin produced (not a route's own answer): a 4xx
   * without a code of its own (417, 426 ...) is {@code bad-request} with that status, any 5xx is
   * {@code internal}. A request line whose version does not parse is the client's fault, so Jetty's
   * 505 is {@code bad-request} too (and answered 400: see {@link #answeredStatus}).
   */
  public static HttpRefusal forStatus(int status) {
    return switch (status) {
      case 404 -> NOT_FOUND;
      case 405 -> METHOD_NOT_ALLOWED;
      case 413 -> CONTENT_TOO_LARGE;
      case 414 -> URI_TOO_LONG;
      case 431 -> HEADERS_TOO_LARGE;
      case 505 -> BAD_REQUEST;
      default -> status >= 400 && status < 500 ? BAD_REQUEST : INTERNAL;
    };
  }

  /**
   * The status to answer for an error status Jetty or Javalin produced: its own, except that 505
   * (an unparsable version) becomes 400 and anything that is not a 4xx or 5xx becomes 500. A 4xx
   * {@code bad-request} keeps its status (417, 426 ...), so that a client sees what Jetty meant.
   */
  public static int answeredStatus(int status) {
    if (status == 505) {
      return 400;
    }
    return status >= 400 && status < 600 ? status : 500;
  }
}
