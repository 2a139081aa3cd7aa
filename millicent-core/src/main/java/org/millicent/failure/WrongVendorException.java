package org.millicent.failure;

/** The scrip belongs to another vendor. Code {@code wrong-vendor}. */
public final class WrongVendorException extends PaymentException {
  private static final long serialVersionUID = 1L;

  /** Creates the failure with a message that names what was expected and found. */
  public WrongVendorException(String message) {
    super(FailureCode.WRONG_VENDOR, message, null);
  }

  /** Creates the failure with its cause chained. */
  public WrongVendorException(String message, Throwable cause) {
    super(FailureCode.WRONG_VENDOR, message, cause);
  }
}
