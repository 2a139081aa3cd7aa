package org.millicent.cli;

import org.jspecify.annotations.Nullable;

/**
 * Checks an admin token the CLI read (from the environment, a token file or a configuration) before
 * it goes into an {@code Authorization} header: visible ASCII only. A token with a control
 * character, a space or a non-ASCII character would otherwise make the HTTP client throw with the
 * header value, the token, in its message.
 */
public final class AdminTokens {
  private AdminTokens() {}

  /**
   * What is wrong with {@code token}, read from {@code source}, or {@code null} when it is usable.
   * The answer never contains the token.
   */
  public static @Nullable String problem(String token, String source) {
    if (token.isEmpty()) {
      return "the admin token from " + source + " is empty";
    }
    for (int i = 0; i < token.length(); i++) {
      char c = token.charAt(i);
      if (c < 0x21 || c > 0x7e) {
        return "the admin token from "
            + source
            + " has a character that is not visible ASCII (at position "
            + (i + 1)
            + " of "
            + token.length()
            + "): a token is printable ASCII without spaces; check the variable or file";
      }
    }
    return null;
  }
}
