package org.millicent.failure;

/** The scrip's expiry has passed. Code {@code expired}. */
public final class ExpiredException extends PaymentException {
  private static final long serialVersionUID = 1L;

  /** Creates the failure with a message that names what was expected and found. */
  public ExpiredException(String message) {
    super(FailureCode.EXPIRED, message, null);
  }

  /** Creates the failure with its cause chained. */
  public ExpiredException(String message, Throwable cause) {
    super(FailureCode.EXPIRED, message, cause);
  }
}
