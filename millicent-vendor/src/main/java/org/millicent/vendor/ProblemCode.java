package org.millicent.vendor;

import org.millicent.failure.ErrorCode;
import org.millicent.failure.FailureCode;
import org.millicent.http.HttpRefusal;
import org.millicent.http.PaymentFailures;

/**
 * Every stable problem code the vendor gateway answers with, and its HTTP status and title: the one
 * place where failures become HTTP (docs/HTTP-API.md). Codes never change once published.
 */
enum ProblemCode implements ErrorCode {
  FORGED(FailureCode.FORGED),
  SPENT(FailureCode.SPENT),
  EXPIRED(FailureCode.EXPIRED),
  WRONG_VENDOR(FailureCode.WRONG_VENDOR),
  WRONG_CUSTOMER(FailureCode.WRONG_CUSTOMER),
  INSUFFICIENT(FailureCode.INSUFFICIENT),
  MALFORMED(FailureCode.MALFORMED),
  UNKNOWN_KEY(FailureCode.UNKNOWN_KEY),
  IN_PROGRESS(FailureCode.IN_PROGRESS),
  PAYMENT_REQUIRED("payment-required", 402, "Payment required"),
  ORIGIN_FAILED("origin-failed", 502, "Origin failed"),
  /** An answer larger than {@code max_answer_bytes}: refused while read, never held whole. */
  ORIGIN_TOO_LARGE("origin-too-large", 502, "Origin answer too large"),
  BAD_REQUEST(HttpRefusal.BAD_REQUEST),
  BAD_PATH(HttpRefusal.BAD_PATH),
  BAD_QUERY("bad-query", 400, "Request query not RFC 3986"),
  UNAUTHORIZED("unauthorized", 401, "Unauthorized"),
  /** An endpoint that carries secrets reached neither over TLS nor from loopback. */
  INSECURE_CHANNEL("insecure-channel", 403, "TLS or loopback required"),
  NOT_FOUND(HttpRefusal.NOT_FOUND),
  METHOD_NOT_ALLOWED(HttpRefusal.METHOD_NOT_ALLOWED),
  HEAD_NOT_PAYABLE("head-not-payable", 405, "HEAD is never paid for"),
  CONFLICT("conflict", 409, "Conflict"),
  REPLAYED("replayed", 409, "Action already done"),
  CONTENT_TOO_LARGE(HttpRefusal.CONTENT_TOO_LARGE),
  URI_TOO_LONG(HttpRefusal.URI_TOO_LONG),
  UNKNOWN_AUTHORITY("unknown-authority", 421, "Not an origin of this vendor"),
  HEADERS_TOO_LARGE(HttpRefusal.HEADERS_TOO_LARGE),
  STORAGE_UNAVAILABLE("storage-unavailable", 503, "Storage unavailable"),
  INTERNAL(HttpRefusal.INTERNAL);

  private final String code;
  private final int status;
  private final String title;

  ProblemCode(String code, int status, String title) {
    this.code = code;
    this.status = status;
    this.title = title;
  }

  /** A refused payment, with the status and title both servers give it. */
  ProblemCode(FailureCode failure) {
    this(failure.code(), PaymentFailures.status(failure), PaymentFailures.title(failure));
  }

  /** One of the refusals the HTTP layer of both servers shares. */
  ProblemCode(HttpRefusal refusal) {
    this(refusal.code(), refusal.status(), refusal.title());
  }

  @Override
  public String code() {
    return code;
  }

  int status() {
    return status;
  }

  String title() {
    return title;
  }

  /**
   * Seconds after which to try again ({@code Retry-After}), or 0 when a retry does not help by
   * itself: an identical request in progress is worth sending again shortly.
   */
  int retryAfterSeconds() {
    return this == IN_PROGRESS ? PaymentFailures.IN_PROGRESS_RETRY_SECONDS : 0;
  }

  /** Whether the answer repeats the offer (every 402). */
  boolean repeatsOffer() {
    return status == 402;
  }

  /** The problem of a refusal of the HTTP layer. */
  static ProblemCode of(HttpRefusal refusal) {
    return switch (refusal) {
      case BAD_REQUEST -> BAD_REQUEST;
      case BAD_PATH -> BAD_PATH;
      case NOT_FOUND -> NOT_FOUND;
      case METHOD_NOT_ALLOWED -> METHOD_NOT_ALLOWED;
      case CONTENT_TOO_LARGE -> CONTENT_TOO_LARGE;
      case URI_TOO_LONG -> URI_TOO_LONG;
      case HEADERS_TOO_LARGE -> HEADERS_TOO_LARGE;
      case INTERNAL -> INTERNAL;
    };
  }

  /** The problem of a core payment failure. */
  static ProblemCode of(FailureCode failure) {
    return switch (failure) {
      case FORGED -> FORGED;
      case SPENT -> SPENT;
      case EXPIRED -> EXPIRED;
      case WRONG_VENDOR -> WRONG_VENDOR;
      case WRONG_CUSTOMER -> WRONG_CUSTOMER;
      case INSUFFICIENT -> INSUFFICIENT;
      case MALFORMED -> MALFORMED;
      case UNKNOWN_KEY -> UNKNOWN_KEY;
      case IN_PROGRESS -> IN_PROGRESS;
    };
  }
}
