package org.millicent.vendor.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.millicent.failure.Causes;

/**
 * The key file of {@code content.paid_headers_key_file} (docs/CONFIG.md, docs/ORIGIN.md): the key
 * is the file's text without leading and trailing white space, {@value #MIN_CHARACTERS} to {@value
 * #MAX_CHARACTERS} visible ASCII characters, and its ASCII bytes are the HMAC key, so the origin
 * reads the same file the same way ({@code openssl rand -hex 32 > paid-headers.key} makes one). The
 * key is never printed: problems name the file and the length only. Stateless.
 */
public final class PaidHeadersKey {
  /** The shortest key, in characters (= bytes): 256 bits of hex or more. */
  public static final int MIN_CHARACTERS = 32;

  /** The longest key, in characters. */
  public static final int MAX_CHARACTERS = 1024;

  private static final String AT = "content.paid_headers_key_file: ";

  private PaidHeadersKey() {}

  /**
   * The key in {@code file}.
   *
   * @throws ConfigException when the file cannot be read or holds no valid key
   */
  public static byte[] read(Path file) {
    byte[] key = new byte[0];
    String problem = problem(file);
    if (problem == null) {
      try {
        key =
            Files.readString(file, StandardCharsets.US_ASCII)
                .strip()
                .getBytes(StandardCharsets.US_ASCII);
      } catch (IOException e) {
        problem = AT + "cannot read " + file + ": " + Causes.describe(e);
      }
    }
    if (problem != null) {
      throw new ConfigException(List.of(problem));
    }
    return key;
  }

  /** What is wrong with {@code file} as a key file, named by its YAML key; null when nothing. */
  static @Nullable String problem(Path file) {
    String text;
    try {
      if (!Files.isRegularFile(file) || Files.size(file) > 4 * MAX_CHARACTERS) {
        return AT + "expected a file of at most " + MAX_CHARACTERS + " characters, found " + file;
      }
      text = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1).strip();
    } catch (IOException e) {
      return AT + "cannot read " + file + ": " + Causes.describe(e);
    }
    if (text.length() < MIN_CHARACTERS || text.length() > MAX_CHARACTERS) {
      return AT
          + "expected a key of "
          + MIN_CHARACTERS
          + ".."
          + MAX_CHARACTERS
          + " characters in "
          + file
          + ", found "
          + text.length();
    }
    for (int i = 0; i < text.length(); i++) {
      if (text.charAt(i) < 0x21 || text.charAt(i) > 0x7e) {
        return AT + "expected visible ASCII characters only (no space) in " + file;
      }
    }
    return null;
  }
}
