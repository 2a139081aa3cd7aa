package org.millicent.failure;

/** The scrip ID was already spent. Code {@code spent}. */
public final class SpentException extends PaymentException {
  private static final long serialVersionUID = 1L;

  /** Creates the failure with a message that names what was expected and found. */
  public SpentException(String message) {
    super(FailureCode.SPENT, message, null);
  }

  /** Creates the failure with its cause chained. */
  public SpentException(String message, Throwable cause) {
    super(FailureCode.SPENT, message, cause);
  }
}
