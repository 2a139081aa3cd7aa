package org.millicent.failure;

/** The scrip or payment could not be decoded. Code {@code malformed}. */
public final class MalformedException extends PaymentException {
  private static final long serialVersionUID = 1L;

  /** Creates the failure with a message that names what was expected and found. */
  public MalformedException(String message) {
    super(FailureCode.MALFORMED, message, null);
  }

  /** Creates the failure with its cause chained. */
  public MalformedException(String message, Throwable cause) {
    super(FailureCode.MALFORMED, message, cause);
  }
}
