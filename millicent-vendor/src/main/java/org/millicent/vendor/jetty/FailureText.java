package org.millicent.vendor.jetty;

/**
 * The words for a caught exception in a problem detail or a log line: its message, or, when it has
 * none (a {@code ConnectException} of the JDK's HTTP client often has none), its class name, so
 * that no detail ends in {@code ": null"}. Stateless.
 */
public final class FailureText {
  private FailureText() {}

  /** The message of {@code t}, or its simple class name when the message is missing or blank. */
  public static String of(Throwable t) {
    String m = t.getMessage();
    return m == null || m.isBlank() ? t.getClass().getSimpleName() : m;
  }
}
