package org.millicent.failure;

/**
 * A stable machine code of a failure, such as {@code spent} or {@code storage-busy}: what clients,
 * the CLI and problem documents switch on. Codes never change once published. A code says what
 * failed, never how a transport answers it: each server maps codes to HTTP statuses in one place.
 */
public interface ErrorCode {
  /** The stable text form, e.g. {@code wrong-vendor}. */
  String code();

  /**
   * A code known by its text alone (the ones without an enum of their own, like the storage codes).
   * Two such codes are equal when their texts are.
   */
  static ErrorCode of(String code) {
    return new Named(code);
  }

  /**
   * A code that is its text.
   *
   * @param code the stable text form
   */
  record Named(String code) implements ErrorCode {
    /** Checks the text: lower-case letters, digits and hyphens. */
    public Named {
      if (code.isEmpty() || !code.matches("[a-z0-9]+(-[a-z0-9]+)*")) {
        throw new IllegalArgumentException("not a stable code: \"" + code + '"');
      }
    }

    @Override
    public String toString() {
      return code;
    }
  }
}
