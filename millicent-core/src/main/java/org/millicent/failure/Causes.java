package org.millicent.failure;

import java.io.EOFException;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.channels.ClosedChannelException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * Says in words why an operation failed, for messages people read: never {@code null}, never empty.
 * refused connection, {@code ClosedChannelException}), so a message built as {@code "...: " +
 * e.getMessage()} reads "...: null"; this class names the failure by its kind and by the first
 * cause that has something to say instead. Stateless and thread-safe.
 */
public final class Causes {
  private Causes() {}

  /**
   * A short description of {@code t}: the first message found along its causes, or what kind of
   * failure it is when none has one (a refused connection, a timeout), and the kind before the
   * message when the message only names the thing concerned (a missing file's path, a host).
   *
   * @return for example {@code "connection refused"}, {@code "timed out"}, {@code "no such file:
   *     /tmp/x"}; {@code "unknown failure"} for {@code null}
   */
  public static String describe(Throwable t) {
    if (t == null) {
      return "unknown failure";
    }
    String firstKind = null;
    int depth = 0;
    for (Throwable c = t; c != null && depth < 16; c = c.getCause(), depth++) {
      String m = c.getMessage();
      if (m != null && (m.isBlank() || m.equals(String.valueOf(c.getCause())))) {
        m = null; // a wrapper that repeats its cause says nothing of its own
      }
      String named = namedThing(c);
      if (named != null) {
        return m == null ? named : named + ": " + m.strip();
      }
      if (m != null) {
        return m.strip();
      }
      if (firstKind == null) {
        firstKind = kind(c);
      }
    }
    if (firstKind != null) {
      return firstKind;
    }
    return t instanceof IOException ? "input/output error" : words(t.getClass().getSimpleName());
  }

  /**
   * Failures whose message is only the thing concerned (a path, a host): their kind comes first.
   */
  private static @Nullable String namedThing(Throwable t) {
    return switch (t) {
      case UnknownHostException e -> "unknown host";
      case NoSuchFileException e -> "no such file";
      case AccessDeniedException e -> "permission denied";
      case FileAlreadyExistsException e -> "already exists";
      case NotDirectoryException e -> "not a folder";
      default -> null;
    };
  }

  /** The failure's kind in words when its type tells it and it has no message, else null. */
  private static @Nullable String kind(Throwable t) {
    return switch (t) {
      case SocketTimeoutException e -> "timed out";
      case ConnectException e -> "connection refused";
      case NoRouteToHostException e -> "no route to host";
      case ClosedChannelException e -> "the connection was closed";
      case EOFException e -> "the connection closed before the answer was complete";
      case FileNotFoundException e -> "no such file";
      case InterruptedException e -> "interrupted";
      default -> null;
    };
  }

  /** {@code SomeThingException} as {@code some thing}. */
  private static String words(String simpleName) {
    String n = simpleName.replaceAll("(Exception|Error)$", "");
    String spaced = n.replaceAll("([a-z0-9])([A-Z])", "$1 $2").toLowerCase(Locale.ROOT);
    return spaced.isBlank() ? "unknown failure" : spaced;
  }
}
