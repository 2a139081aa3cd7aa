package org.millicent.vendor;

import org.millicent.failure.MillicentException;

/**
 * A failure of the gateway itself (not of a payment), with its stable problem code and a detail
 * that says what was expected and found. Never carries a secret.
 */
final class ProblemException extends MillicentException {
  private static final long serialVersionUID = 1L;

  private final ProblemCode code;

  ProblemException(ProblemCode code, String detail) {
    super(detail, null);
    this.code = code;
  }

  ProblemException(ProblemCode code, String detail, Throwable cause) {
    super(detail, cause);
    this.code = code;
  }

  @Override
  public ProblemCode code() {
    return code;
  }
}
