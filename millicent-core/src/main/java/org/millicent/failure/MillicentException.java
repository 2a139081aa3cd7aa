package org.millicent.failure;

import java.io.Serial;
import org.jspecify.annotations.Nullable;

/**
 * Root of every failure Millicent reports on purpose: a refused payment ({@link PaymentException}),
 * a storage failure, a broker or gateway refusal, a wallet that would not pay, a configuration that
 * cannot be used. Each has one stable {@link #code()}; what a code means over HTTP is the business
 * of each server's one mapping, never of the failure. Anything thrown that is not one of these is a
 * bug, answered {@code 500 internal}. Messages say what was expected and what was found and never
 * carry a secret.
 */
public abstract class MillicentException extends RuntimeException {
  @Serial private static final long serialVersionUID = 1L;

  /** A failure with {@code message} and, when there is one, its {@code cause}. */
  protected MillicentException(String message, @Nullable Throwable cause) {
    super(message, cause);
  }

  /** The stable machine code of this failure. */
  public abstract ErrorCode code();
}
