package org.millicent.failure;

/** The scrip's value does not cover the price. Code {@code insufficient}. */
public final class InsufficientValueException extends PaymentException {
  private static final long serialVersionUID = 1L;

  /** Creates the failure with a message that names what was expected and found. */
  public InsufficientValueException(String message) {
    super(FailureCode.INSUFFICIENT, message, null);
  }

  /** Creates the failure with its cause chained. */
  public InsufficientValueException(String message, Throwable cause) {
    super(FailureCode.INSUFFICIENT, message, cause);
  }
}
