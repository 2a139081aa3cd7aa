package org.millicent.failure;

/** A certificate, MAC or sealed message did not verify. Code {@code forged}. */
public final class ForgedException extends PaymentException {
  private static final long serialVersionUID = 1L;

  /** Creates the failure with a message that names what was expected and found. */
  public ForgedException(String message) {
    super(FailureCode.FORGED, message, null);
  }

  /** Creates the failure with its cause chained. */
  public ForgedException(String message, Throwable cause) {
    super(FailureCode.FORGED, message, cause);
  }
}
