package org.millicent.vendor.config;

import java.nio.file.Path;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.millicent.failure.ErrorCode;
import org.millicent.failure.MillicentException;

/**
 * A vendor configuration that cannot be used, with every problem found, each naming the setting
 * (e.g. {@code prices[2].price_millicents: expected 0..1000000000000, found -5}), and the file when
 * it was read from one. Never carries a secret.
 */
public final class ConfigException extends MillicentException {
  /** The code of every unusable configuration. */
  public static final ErrorCode CODE = ErrorCode.of("config-invalid");

  private static final long serialVersionUID = 1L;

  /** The problems, one per setting, in the order found. */
  private final String[] errors;

  /** A failure listing {@code errors} (at least one). */
  public ConfigException(List<String> errors) {
    this(null, errors);
  }

  /**
   * A failure of the file {@code file} listing {@code errors} (at least one); the message names the
   * file first.
   */
  public ConfigException(@Nullable Path file, List<String> errors) {
    super(message(file, errors), null);
    this.errors = errors.toArray(String[]::new);
  }

  @Override
  public ErrorCode code() {
    return CODE;
  }

  /** The problems, one per setting. */
  public List<String> errors() {
    return List.of(errors);
  }

  private static String message(@Nullable Path file, List<String> errors) {
    StringBuilder sb = new StringBuilder();
    if (file != null) {
      sb.append(file).append(": ");
    }
    sb.append("vendor configuration has ")
        .append(errors.size())
        .append(errors.size() == 1 ? " error:" : " errors:");
    for (String e : errors) {
      sb.append("\n  - ").append(e);
    }
    return sb.toString();
  }
}
