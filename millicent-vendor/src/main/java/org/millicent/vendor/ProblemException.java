package org.millicent.vendor;

/**
 * A failure of the gateway itself (not of a payment), with its stable problem code and a detail
 * that says what was expected and found. Never carries a secret.
 */
final class ProblemException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final ProblemCode code;

  ProblemException(ProblemCode code, String detail) {
    super(detail);
    this.code = code;
  }

  ProblemException(ProblemCode code, String detail, Throwable cause) {
    super(detail, cause);
    this.code = code;
  }

  ProblemCode code() {
    return code;
  }
}
