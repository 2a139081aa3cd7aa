package org.millicent.http;

import java.io.Serial;
import org.jspecify.annotations.Nullable;
import org.millicent.failure.MillicentException;

/**
 * A request whose body does not say what its endpoint reads (not JSON, a field missing or of the
 * wrong type), found by a reader both servers share; each server answers it {@code 400 bad-request}
 * in its one failure mapping. Unchecked; the message names the field and what was found, never a
 * secret.
 */
public final class BadRequestException extends MillicentException {
  @Serial private static final long serialVersionUID = 1L;

  /** A refusal saying what was expected and what was found. */
  public BadRequestException(String message) {
    this(message, null);
  }

  /** A refusal with the failure that caused it chained. */
  public BadRequestException(String message, @Nullable Throwable cause) {
    super(message, cause);
  }

  /** Always {@link HttpRefusal#BAD_REQUEST}. */
  @Override
  public HttpRefusal code() {
    return HttpRefusal.BAD_REQUEST;
  }
}
