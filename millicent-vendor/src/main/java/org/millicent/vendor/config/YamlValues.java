package org.millicent.vendor.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Iterator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Reads one YAML value of the vendor's file as the type a setting expects (text, a whole number, a
 * duration) or adds an error naming the setting, what was expected and what was found; a secret's
 * value is never shown, only its kind. Also refuses keys a mapping does not know. Stateless.
 */
final class YamlValues {
  private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)");

  private YamlValues() {}

  /** The duration at {@code n}, or null with an error naming {@code at}. */
  static @Nullable Duration duration(@Nullable JsonNode n, String at, List<String> errors) {
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
   * The text at {@code key}: a YAML string (a number or boolean must be quoted to be text), or null
   * with an error.
   */
  static @Nullable String text(JsonNode parent, String key, String at, List<String> errors) {
    JsonNode n = parent.get(key);
    if (n == null || n.isNull()) {
      errors.add(at + ": expected text, found nothing");
      return null;
    }
    if (!n.isTextual()) {
      errors.add(
          at
              + ": expected text, found "
              + (secret(at) ? kind(n) : describe(n))
              + (n.isNumber() || n.isBoolean() ? " (quote it to make it text)" : ""));
      return null;
    }
    return n.asText();
  }

  /** A YAML whole number (not quoted), or {@code fallback} with an error. */
  static long integer(@Nullable JsonNode n, String at, List<String> errors, long fallback) {
    if (n != null && n.isIntegralNumber() && n.canConvertToLong()) {
      return n.asLong();
    }
    errors.add(
        at
            + ": expected a whole number, found "
            + describe(n)
            + (n != null && n.isTextual() ? " (write numbers without quotes)" : ""));
    return fallback;
  }

  static void unknownKeys(JsonNode n, String mapping, String prefix, List<String> errors) {
    List<String> known = VendorConfigYaml.KEYS.get(mapping);
    if (known == null) {
      throw new IllegalArgumentException("no known keys for the mapping \"" + mapping + "\"");
    }
    for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
      String k = it.next();
      if (!known.contains(k)) {
        errors.add(
            prefix
                + k
                + ": unknown setting (known here: "
                + String.join(", ", new java.util.TreeSet<>(known))
                + ")");
      }
    }
  }

  /** Whether the setting at {@code at} holds a secret, whose value no message may show. */
  static boolean secret(String at) {
    return at.endsWith("token") || at.endsWith("password");
  }

  /** The kind of a YAML value alone (a number, a mapping, ...), for settings that are secrets. */
  static String kind(@Nullable JsonNode n) {
    String d = describe(n);
    return d.startsWith("the ") ? "a " + d.split(" ", -1)[1] : d;
  }

  /** How a YAML value reads in a message: its kind, and the value itself when it is a scalar. */
  static String describe(@Nullable JsonNode n) {
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
}
