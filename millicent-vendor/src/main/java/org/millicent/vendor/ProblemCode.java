package org.millicent.vendor;

import org.millicent.failure.FailureCode;

/**
 * Every stable problem code the vendor gateway answers with, and its HTTP status and title: the one
 * place where failures become HTTP (docs/HTTP-API.md). Codes never change once published.
 */
enum ProblemCode {
  FORGED("forged", 402, "Scrip or request forged"),
  SPENT("spent", 402, "Scrip already spent"),
  EXPIRED("expired", 402, "Scrip expired"),
  WRONG_VENDOR("wrong-vendor", 402, "Scrip for another vendor"),
  WRONG_CUSTOMER("wrong-customer", 402, "Scrip not the payer's"),
  INSUFFICIENT("insufficient", 402, "Scrip value below the price"),
  MALFORMED("malformed", 400, "Malformed payment"),
  UNKNOWN_KEY("unknown-key", 402, "Unknown or retired key"),
  IN_PROGRESS("in-progress", 409, "Identical request in progress"),
  PAYMENT_REQUIRED("payment-required", 402, "Payment required"),
  ORIGIN_FAILED("origin-failed", 502, "Origin failed"),
  BAD_REQUEST("bad-request", 400, "Bad request"),
  BAD_PATH("bad-path", 400, "Request path not canonical"),
  BAD_QUERY("bad-query", 400, "Request query not RFC 3986"),
  UNAUTHORIZED("unauthorized", 401, "Unauthorized"),
  FORBIDDEN("forbidden", 403, "Forbidden"),
  NOT_FOUND("not-found", 404, "Not found"),
  HEAD_NOT_PAYABLE("head-not-payable", 405, "HEAD is never paid for"),
  CONFLICT("conflict", 409, "Conflict"),
  REPLAYED("replayed", 409, "Action already done"),
  UNKNOWN_AUTHORITY("unknown-authority", 421, "Not an origin of this vendor"),
  STORAGE_UNAVAILABLE("storage-unavailable", 503, "Storage unavailable"),
  INTERNAL("internal", 500, "Internal error");

  /** Base of every problem type URI. */
  static final String TYPE_BASE = "https://millicent.dev/problems/";

  private final String code;
  private final int status;
  private final String title;

  ProblemCode(String code, int status, String title) {
    this.code = code;
    this.status = status;
    this.title = title;
  }

  String code() {
    return code;
  }

  int status() {
    return status;
  }

  String title() {
    return title;
  }

  String type() {
    return TYPE_BASE + code;
  }

  /**
   * Seconds after which to try again ({@code Retry-After}), or 0 when a retry does not help by
   * itself: an identical request in progress is worth sending again shortly.
   */
  int retryAfterSeconds() {
    return this == IN_PROGRESS ? 1 : 0;
  }

  /** Whether the answer repeats the offer (every 402). */
  boolean repeatsOffer() {
    return status == 402;
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
