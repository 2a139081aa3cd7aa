package org.millicent.failure;

/** The scrip is bound to another customer than the one paying. Code {@code wrong-customer}. */
public final class WrongCustomerException extends PaymentException {
  private static final long serialVersionUID = 1L;

  /** Creates the failure with a message that names what was expected and found. */
  public WrongCustomerException(String message) {
    super(FailureCode.WRONG_CUSTOMER, message, null);
  }

  /** Creates the failure with its cause chained. */
  public WrongCustomerException(String message, Throwable cause) {
    super(FailureCode.WRONG_CUSTOMER, message, cause);
  }
}
