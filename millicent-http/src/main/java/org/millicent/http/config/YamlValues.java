package org.millicent.http.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Reads one YAML value of a server's configuration file (parsed by Jackson) as the type a setting
 * expects, or adds an error to the caller's list: the setting's path, what was expected, what was
 * found (a secret's kind only, never its value) and how to fix a near miss (a quoted number, an
 * unquoted text). The vendor's and the broker's readers both speak through it, so their errors read
 * alike. Stateless and thread-safe.
 */
public final class YamlValues {
  private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)");

  private YamlValues() {}

  /** How a YAML value reads in a message: its kind, and the value itself when it is a scalar. */
  public static String describe(@Nullable JsonNode n) {
    if (n == null || n.isNull() || n.isMissingNode()) {
      return "nothing";
    }
    if (n.isObject()) {
      return "a mapping";
    }
    if (n.isArray()) {
      return "a list";
    }
    if (n.isTextual()) {
      return "the text \"" + n.asText() + '"';
    }
    if (n.isBoolean()) {
      return "the boolean " + n.asText();
    }
    return "the number " + n.asText();
  }

  /** The kind of a YAML value alone (a number, a mapping ...), as said of a secret's value. */
  public static String kind(@Nullable JsonNode n) {
    String d = describe(n);
    return d.startsWith("the ") ? "a " + d.split(" ", -1)[1] : d;
  }

  /** Whether the setting at {@code at} holds a secret, whose value no message may show. */
  public static boolean secret(String at) {
    return at.endsWith("token") || at.endsWith("password") || at.endsWith("secret");
  }

  /**
   * The text {@code n} holds: a YAML string (a number or boolean must be quoted to be text), or
   * null with an error naming {@code at}, also when there is none.
   */
  public static @Nullable String text(@Nullable JsonNode n, String at, List<String> errors) {
    return text(n, at, false, errors);
  }

  /**
   * The text {@code n} holds when there is a value: null without an error when the key is absent
   * ({@code n} is null: the caller's default applies), null with an error when the value is not
   * text (YAML's {@code null} included, with a hint to leave the key out).
   */
  public static @Nullable String optionalText(
      @Nullable JsonNode n, String at, List<String> errors) {
    return n == null ? null : text(n, at, true, errors);
  }

  private static @Nullable String text(
      @Nullable JsonNode n, String at, boolean optional, List<String> errors) {
    if (n != null && n.isTextual()) {
      return n.asText();
    }
    boolean absent = n == null || n.isNull() || n.isMissingNode();
    errors.add(
        at
            + ": expected text, found "
            + (secret(at) ? kind(n) : describe(n))
            + (absent && optional ? " (leave the key out for the default)" : "")
            + (n != null && (n.isNumber() || n.isBoolean()) ? " (quote it to make it text)" : ""));
    return null;
  }

  /**
   * The whole number {@code n} holds (not quoted, within 64 bits), or {@code fallback} with an
   * error naming {@code at}.
   */
  public static long wholeNumber(
      @Nullable JsonNode n, String at, List<String> errors, long fallback) {
    return n != null && n.isIntegralNumber() && n.canConvertToLong()
        ? n.asLong()
        : notWholeNumber(n, at, "", errors, fallback);
  }

  /**
   * The whole number {@code n} holds, {@code min} to {@code max}; {@code fallback} with an error
   * naming {@code at} when it is not one, or out of range.
   */
  public static long wholeNumber(
      @Nullable JsonNode n, String at, long min, long max, List<String> errors, long fallback) {
    if (n == null || !n.isIntegralNumber() || !n.canConvertToLong()) {
      return notWholeNumber(n, at, " " + min + ".." + max, errors, fallback);
    }
    long x = n.asLong();
    if (x < min || x > max) {
      errors.add(at + ": expected " + min + ".." + max + ", found " + x);
      return fallback;
    }
    return x;
  }

  private static long notWholeNumber(
      @Nullable JsonNode n, String at, String range, List<String> errors, long fallback) {
    errors.add(
        at
            + ": expected a whole number"
            + range
            + ", found "
            + describe(n)
            + (n != null && n.isTextual() ? " (write numbers without quotes)" : ""));
    return fallback;
  }

  /**
   * The duration {@code n} holds: {@code 30s}, {@code 15m}, {@code 24h}, {@code 7d}, {@code 250ms},
   * an ISO-8601 duration ({@code PT24H}) or a whole number of seconds; null with an error naming
   * {@code at} otherwise.
   */
  public static @Nullable Duration duration(@Nullable JsonNode n, String at, List<String> errors) {
    String expected =
        ": expected a duration like 30s, 15m, 24h, 7d, PT24H or a whole number of seconds";
    if (n == null || !(n.isTextual() || n.isIntegralNumber())) {
      errors.add(at + expected + ", found " + describe(n));
      return null;
    }
    try {
      if (n.isIntegralNumber()) {
        if (!n.canConvertToLong()) {
          throw new ArithmeticException("too large");
        }
        return Duration.ofSeconds(n.asLong());
      }
      String s = n.asText().strip();
      Matcher m = DURATION.matcher(s);
      if (m.matches()) {
        long v = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
          case "ms" -> Duration.ofMillis(v);
          case "s" -> Duration.ofSeconds(v);
          case "m" -> Duration.ofMinutes(v);
          case "h" -> Duration.ofHours(v);
          default -> Duration.ofDays(v);
        };
      }
      return Duration.parse(s);
    } catch (DateTimeParseException e) {
      errors.add(at + expected + ", found " + describe(n));
    } catch (ArithmeticException | NumberFormatException e) {
      errors.add(at + ": the duration is too long, found " + describe(n));
    }
    return null;
  }

  /**
   * Adds an error for each key of the mapping {@code n} that {@code known} does not hold, naming
   * the keys known there in the order given.
   *
   * @param prefix the path of the mapping, as it precedes a key in an error ({@code "broker."})
   */
  public static void unknownKeys(
      JsonNode n, Collection<String> known, String prefix, List<String> errors) {
    for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
      String k = it.next();
      if (!known.contains(k)) {
        errors.add(prefix + k + ": unknown setting (known here: " + String.join(", ", known) + ")");
      }
    }
  }
}
