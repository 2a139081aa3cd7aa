package org.millicent.http;

import org.millicent.failure.Causes;

/**
 * The words for a caught exception in a problem detail or a log line: its message, or, when it has
 * none (a {@code ConnectException} of the JDK's HTTP client often has none), its class name, so
 * that no detail ends in {@code ": null"}. Stateless.
 */
public final class FailureText {
  private FailureText() {}

  /**
   * The message of {@code t}, or, when it has none, the first message along its causes or its kind
   * in words ({@link Causes#describe}: "connection refused" rather than "ConnectException").
   */
  public static String of(Throwable t) {
    return Causes.describe(t);
  }
}
