package org.millicent.failure;

/**
 * An identical request (same scrip, same request fingerprint) is still being paid for, and did not
 * finish within the time a retry waits for it. Not a refusal: nothing was consumed by this attempt,
 * and sending the same request again later gets the outcome of the first one (its change, or the
 * scrip back). Code {@code in-progress}.
 */
public final class InProgressException extends PaymentException {
  private static final long serialVersionUID = 1L;

  /** Creates the failure with a message that names the scrip. */
  public InProgressException(String message) {
    super(FailureCode.IN_PROGRESS, message, null);
  }
}
