package org.millicent.scrip;

import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * The vendor-defined key/value pairs of a piece of scrip (for example {@code country=US}), bounded
 * so that scrip stays small: at most {@value #MAX_ENTRIES} entries, keys of 1 to {@value
 * #MAX_KEY_LENGTH} characters from {@code [a-z0-9_.-]}, values of at most {@value #MAX_VALUE_BYTES}
 * UTF-8 bytes. Keys are kept sorted, which makes the encoding canonical. Immutable.
 *
 * @param entries the pairs, sorted by key
 */
public record ScripProperties(SortedMap<String, String> entries) {
  /** Most entries a scrip may carry. */
  public static final int MAX_ENTRIES = 16;

  /** Longest key, in characters (all ASCII). */
  public static final int MAX_KEY_LENGTH = 32;

  /** Longest value, in UTF-8 bytes. */
  public static final int MAX_VALUE_BYTES = 64;

  /** No properties. */
  public static final ScripProperties NONE = new ScripProperties(new TreeMap<>());

  /** Validates the bounds and freezes a sorted copy. */
  public ScripProperties {
    if (entries.size() > MAX_ENTRIES) {
      throw new IllegalArgumentException(
          "at most " + MAX_ENTRIES + " properties, found " + entries.size());
    }
    TreeMap<String, String> copy = new TreeMap<>();
    for (Map.Entry<String, String> e : entries.entrySet()) {
      checkKey(e.getKey());
      checkValue(e.getKey(), e.getValue());
      copy.put(e.getKey(), e.getValue());
    }
    entries = Collections.unmodifiableSortedMap(copy);
  }

  /** Properties from any map. */
  public static ScripProperties of(Map<String, String> map) {
    return map.isEmpty() ? NONE : new ScripProperties(new TreeMap<>(map));
  }

  /** The value for {@code key}, or {@code null}. */
  public @Nullable String get(String key) {
    return entries.get(key);
  }

  /** Whether there are none. */
  public boolean isEmpty() {
    return entries.isEmpty();
  }

  static void checkKey(String key) {
    if (key == null || key.isEmpty() || key.length() > MAX_KEY_LENGTH) {
      throw new IllegalArgumentException(
          "property key must be 1.." + MAX_KEY_LENGTH + " characters, was " + quote(key));
    }
    for (int i = 0; i < key.length(); i++) {
      char c = key.charAt(i);
      boolean ok =
          (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '-';
      if (!ok) {
        throw new IllegalArgumentException(
            "property key may use only [a-z0-9_.-], was " + quote(key));
      }
    }
  }

  static void checkValue(String key, String value) {
    if (value == null) {
      throw new IllegalArgumentException("property " + key + " has no value");
    }
    // An unpaired surrogate has no UTF-8 form: getBytes would write '?', so two different values
    // would share one encoding and the scrip would not decode to itself.
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (Character.isHighSurrogate(c)
          && i + 1 < value.length()
          && Character.isLowSurrogate(value.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        throw new IllegalArgumentException(
            "property " + key + " value has an unpaired surrogate at index " + i);
      }
    }
    if (value.getBytes(StandardCharsets.UTF_8).length > MAX_VALUE_BYTES) {
      throw new IllegalArgumentException(
          "property " + key + " value is longer than " + MAX_VALUE_BYTES + " UTF-8 bytes");
    }
  }

  private static String quote(String s) {
    return s == null ? "null" : '"' + s + '"';
  }
}
