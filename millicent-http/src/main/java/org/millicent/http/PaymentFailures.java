package org.millicent.http;

import org.millicent.failure.FailureCode;

/**
 * How both servers answer a refused payment ({@link FailureCode}): its HTTP status and the title of
 * its problem document (docs/HTTP-API.md, "Status codes and problem documents"). {@code malformed}
 * is 400, an identical request in progress 409 (with {@code Retry-After}), every other failure 402.
 * Stateless.
 */
public final class PaymentFailures {
  /** Seconds after which an identical request in progress is worth sending again. */
  public static final int IN_PROGRESS_RETRY_SECONDS = 1;

  private PaymentFailures() {}

  /** The HTTP status a payment failure is answered with. */
  public static int status(FailureCode code) {
    return switch (code) {
      case MALFORMED -> 400;
      case IN_PROGRESS -> 409;
      case FORGED, SPENT, EXPIRED, WRONG_VENDOR, WRONG_CUSTOMER, INSUFFICIENT, UNKNOWN_KEY -> 402;
    };
  }

  /** The title of a payment failure's problem document. */
  public static String title(FailureCode code) {
    return switch (code) {
      case FORGED -> "Scrip or request forged";
      case SPENT -> "Scrip already spent";
      case EXPIRED -> "Scrip expired";
      case WRONG_VENDOR -> "Scrip for another vendor";
      case WRONG_CUSTOMER -> "Scrip not the payer's";
      case INSUFFICIENT -> "Scrip value below the price";
      case MALFORMED -> "Malformed payment";
      case UNKNOWN_KEY -> "Unknown or retired key";
      case IN_PROGRESS -> "Identical request in progress";
    };
  }
}
