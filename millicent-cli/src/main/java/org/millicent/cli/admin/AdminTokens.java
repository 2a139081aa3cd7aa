package org.millicent.cli.admin;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;

/**
 * Reads an admin token (from the environment, a token file or a configuration) and checks it before
 * it goes into an {@code Authorization} header: visible ASCII only. A token with a control
 * character, a space or a non-ASCII character would otherwise make the HTTP client throw with the
 * header value, the token, in its message. Never from the command line, where other users could see
 * it. Stateless.
 */
public final class AdminTokens {
  private AdminTokens() {}

  /**
   * The token in the environment variable {@code variable}, or {@code null} when it is unset or
   * blank.
   *
   * @throws AdminFailure when the variable holds an unusable token
   */
  public static @Nullable String fromEnvironment(String variable) throws AdminFailure {
    String env = System.getenv(variable);
    return env == null || env.isBlank() ? null : checked(env.strip(), variable);
  }

  /**
   * The token in {@code file}.
   *
   * @param variable the environment variable that could have held it, for the message
   * @param options the options that name other places, for the message (e.g. {@code
   *     --admin-token-file or --data})
   * @throws AdminFailure when the file cannot be read or holds an unusable token
   */
  public static String fromFile(Path file, String variable, String options) throws AdminFailure {
    String read;
    try {
      read = Files.readString(file, StandardCharsets.US_ASCII).strip();
    } catch (IOException e) {
      throw new AdminFailure(
          "cannot read the admin token from " + file + " (set " + variable + ", " + options + ")",
          true);
    }
    return checked(read, file.toString());
  }

  /**
   * {@code token}, read from {@code source}, when it is usable.
   *
   * @throws AdminFailure (usage) saying what is wrong with it, without the token
   */
  public static String checked(String token, String source) throws AdminFailure {
    String problem = problem(token, source);
    if (problem != null) {
      throw new AdminFailure(problem, true);
    }
    return token;
  }

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
