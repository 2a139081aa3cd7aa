package org.millicent.vendor.config;

import java.util.List;

/**
 * A vendor configuration that cannot be used, with every problem found, each naming the setting
 * (e.g. {@code prices[2].price_millicents: expected 0..1000000000000, found -5}). Never carries a
 * secret.
 */
public final class ConfigException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** The problems, one per setting, in the order found. */
  private final String[] errors;

  /** A failure listing {@code errors} (at least one). */
  public ConfigException(List<String> errors) {
    super(message(errors));
    this.errors = errors.toArray(String[]::new);
  }

  /** The problems, one per setting. */
  public List<String> errors() {
    return List.of(errors);
  }

  private static String message(List<String> errors) {
    StringBuilder sb =
        new StringBuilder("vendor configuration has ")
            .append(errors.size())
            .append(errors.size() == 1 ? " error:" : " errors:");
    for (String e : errors) {
      sb.append("\n  - ").append(e);
    }
    return sb.toString();
  }
}
