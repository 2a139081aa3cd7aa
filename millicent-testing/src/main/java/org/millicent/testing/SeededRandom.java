package org.millicent.testing;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.function.Executable;

/**
 * The random source of one case of a property test: deterministic from its seed, and biased towards
 * the edge values where bugs live (bounds, 0, 1, empty and longest), as a property-testing library
 * would be. A property test runs one case per seed from {@link #seeds}; {@link #check} names the
 * seed and the case when the case fails, so {@code new SeededRandom(seed)} replays it. Not
 * thread-safe: one per case.
 */
public final class SeededRandom {
  /** One in this many numbers and lengths is an edge value instead of a uniform one. */
  private static final int EDGE_ONE_IN = 8;

  private final SplittableRandom random;

  /** The source of the case with this seed. */
  public SeededRandom(long seed) {
    this.random = new SplittableRandom(seed);
  }

  /** The seeds {@code 0 .. count-1}: fixed, so every run tries the same cases. */
  public static LongStream seeds(int count) {
    return LongStream.range(0, count);
  }

  /**
   * Runs one case's check; when it fails or throws anything, fails with the seed and the case.
   *
   * @param seed the seed the case was built from
   * @param testCase the case, printed on failure (give a readable form, not a byte array)
   * @param check the property for this case
   */
  public static void check(long seed, Object testCase, Executable check) {
    try {
      check.execute();
    } catch (Throwable t) {
      Assertions.fail("seed " + seed + " fails; case: " + testCase, t);
    }
  }

  /** True with probability {@code 1/n}. */
  public boolean oneIn(int n) {
    return random.nextInt(n) == 0;
  }

  /** A number in {@code [min, max]}, often one of min, min+1, 0, 1, max-1, max (when in range). */
  public long longBetween(long min, long max) {
    if (oneIn(EDGE_ONE_IN)) {
      long[] edges = {min, min + 1, 0, 1, -1, max - 1, max};
      long e = edges[random.nextInt(edges.length)];
      if (e >= min && e <= max) {
        return e;
      }
    }
    if (max < Long.MAX_VALUE) {
      return random.nextLong(min, max + 1);
    }
    // [min, MAX_VALUE] cannot be written as a half-open range ending at max + 1: shift it by one.
    return min == Long.MIN_VALUE ? random.nextLong() : random.nextLong(min - 1, max) + 1;
  }

  /** Any long, often one of the edges of {@link #longBetween}. */
  public long anyLong() {
    return longBetween(Long.MIN_VALUE, Long.MAX_VALUE);
  }

  /** A number in {@code [min, max]}, edge-biased like {@link #longBetween}. */
  public int intBetween(int min, int max) {
    return (int) longBetween(min, max);
  }

  /** A length in {@code [min, max]}: often min or max, otherwise biased towards short. */
  public int length(int min, int max) {
    if (oneIn(EDGE_ONE_IN)) {
      return oneIn(2) ? min : max;
    }
    // Half the lengths are drawn from the first tenth of the range: short inputs find most bugs.
    int span = oneIn(2) ? (max - min) / 10 : max - min;
    return min + random.nextInt(span + 1);
  }

  /** One of the values, each equally likely. */
  @SafeVarargs
  public final <T> T oneOf(T... values) {
    return values[random.nextInt(values.length)];
  }

  /** Bytes of a length in {@code [min, max]}; sometimes all 0x00 or all 0xff. */
  public byte[] bytes(int min, int max) {
    byte[] b = new byte[length(min, max)];
    if (oneIn(EDGE_ONE_IN)) {
      Arrays.fill(b, oneIn(2) ? (byte) 0 : (byte) 0xff);
    } else {
      random.nextBytes(b);
    }
    return b;
  }

  /** A string of a length in {@code [min, max]} of characters drawn from {@code alphabet}. */
  public String string(String alphabet, int min, int max) {
    int n = length(min, max);
    StringBuilder sb = new StringBuilder(n);
    for (int i = 0; i < n; i++) {
      sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
    }
    return sb.toString();
  }

  /**
   * Any text of at most {@code max} UTF-16 units: ASCII (controls included), Latin-1, any BMP
   * character including unpaired surrogates, and supplementary characters as surrogate pairs.
   */
  public String text(int max) {
    int n = length(0, max);
    StringBuilder sb = new StringBuilder(n);
    while (sb.length() < n) {
      switch (random.nextInt(8)) {
        case 0 -> sb.append((char) random.nextInt(0x20));
        case 1 -> sb.append((char) random.nextInt(0x80, 0x100));
        case 2 -> sb.append((char) random.nextInt(0x10000));
        case 3 -> {
          if (sb.length() + 2 <= n) {
            sb.appendCodePoint(random.nextInt(0x10000, Character.MAX_CODE_POINT + 1));
          }
        }
        default -> sb.append((char) random.nextInt(0x20, 0x7f));
      }
    }
    return sb.toString();
  }

  /** Lower-case letters, digits and {@code extra}: the alphabets of identifiers. */
  public static String alphanumeric(String extra) {
    return "abcdefghijklmnopqrstuvwxyz0123456789" + extra;
  }
}
