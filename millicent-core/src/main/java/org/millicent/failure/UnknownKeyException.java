package org.millicent.failure;

/** The key id selects no usable secret. Code {@code unknown-key}. */
public final class UnknownKeyException extends PaymentException {
  private static final long serialVersionUID = 1L;

  /** Creates the failure with a message that names what was expected and found. */
  public UnknownKeyException(String message) {
    super(FailureCode.UNKNOWN_KEY, message, null);
  }

  /** Creates the failure with its cause chained. */
  public UnknownKeyException(String message, Throwable cause) {
    super(FailureCode.UNKNOWN_KEY, message, cause);
  }
}
