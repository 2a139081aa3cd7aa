package org.millicent.cli;

import java.util.Locale;

/** Counts of things in words people read: {@code 1 piece}, {@code 2 pieces}. Stateless. */
public final class Counts {
  private Counts() {}

  /** {@code n} and the noun, singular for exactly one: {@code of(1, "piece")} is "1 piece". */
  public static String of(long n, String singular) {
    return of(n, singular, plural(singular));
  }

  /** {@code n} and the noun, with an irregular plural: {@code of(2, "entry", "entries")}. */
  public static String of(long n, String singular, String plural) {
    return String.format(Locale.ROOT, "%,d %s", n, n == 1 ? singular : plural);
  }

  private static String plural(String singular) {
    if (singular.endsWith("y") && !singular.endsWith("ay") && !singular.endsWith("ey")) {
      return singular.substring(0, singular.length() - 1) + "ies";
    }
    if (singular.endsWith("s") || singular.endsWith("x") || singular.endsWith("ch")) {
      return singular + "es";
    }
    return singular + "s";
  }
}
