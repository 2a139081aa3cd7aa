package org.millicent.cli.admin;

/**
 * A failed admin command: the message says what and why, never the admin token; {@link #usage()}
 * for exit code 2 (bad input or usage), exit code 1 otherwise. Immutable.
 */
public final class AdminFailure extends Exception {
  private static final long serialVersionUID = 1L;

  private final boolean usage;

  /** A failure with {@code message}; {@code usage} when the user's input or usage is at fault. */
  public AdminFailure(String message, boolean usage) {
    super(message);
    this.usage = usage;
  }

  /** Whether the user's input or usage is at fault (exit code 2). */
  public boolean usage() {
    return usage;
  }
}
