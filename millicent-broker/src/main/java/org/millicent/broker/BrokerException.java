package org.millicent.broker;

import java.io.Serial;
import org.jspecify.annotations.Nullable;
import org.millicent.failure.MillicentException;

/**
 * A broker operation that failed with a stable {@link BrokerError code}; the books are unchanged.
 * Messages say what was expected and what was found and never carry a secret.
 */
public final class BrokerException extends MillicentException {
  @Serial private static final long serialVersionUID = 1L;

  private final BrokerError error;

  /** Creates the failure. */
  public BrokerException(BrokerError error, String message) {
    super(message, null);
    this.error = error;
  }

  /** Creates the failure with its cause chained. */
  public BrokerException(BrokerError error, String message, @Nullable Throwable cause) {
    super(message, cause);
    this.error = error;
  }

  /** The machine code. */
  @Override
  public BrokerError code() {
    return error;
  }
}
