package org.millicent.wallet;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Locale;

/**
 * Reads and writes amounts of money for people: a {@code long} count of millicents (1/1000 of a
 * cent) underneath, never a floating-point number. Stateless and thread-safe.
 */
public final class Amounts {
  private static final BigDecimal THOUSAND = BigDecimal.valueOf(1000);
  private static final BigDecimal HUNDRED_THOUSAND = BigDecimal.valueOf(100_000);

  private Amounts() {}

  /**
   * Parses an amount: {@code 5000} or {@code 5000m} (millicents), {@code 2.5c} (cents) or {@code
   * $1.50} / {@code 1.50$} (dollars).
   *
   * @throws IllegalArgumentException when the text is not one of these forms, is negative, or is
   *     not a whole number of millicents
   */
  public static long parse(String text) {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException(
          "expected an amount such as 5000, 5c or $0.05, found none");
    }
    String s = text.strip().toLowerCase(Locale.ROOT).replace("_", "").replace(",", "");
    BigDecimal scale;
    if (s.startsWith("$")) {
      s = s.substring(1);
      scale = HUNDRED_THOUSAND;
    } else if (s.endsWith("$")) {
      s = s.substring(0, s.length() - 1);
      scale = HUNDRED_THOUSAND;
    } else if (s.endsWith("c") || s.endsWith("¢")) {
      s = s.substring(0, s.length() - 1);
      scale = THOUSAND;
    } else if (s.endsWith("m")) {
      s = s.substring(0, s.length() - 1);
      scale = BigDecimal.ONE;
    } else {
      scale = BigDecimal.ONE;
    }
    BigDecimal v;
    try {
      v = new BigDecimal(s.strip()).multiply(scale);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "expected an amount such as 5000 (millicents), 5c or $0.05, found \"" + text + '"', e);
    }
    if (v.signum() < 0) {
      throw new IllegalArgumentException("amount must not be negative, found " + text);
    }
    try {
      return v.setScale(0, RoundingMode.UNNECESSARY).longValueExact();
    } catch (ArithmeticException e) {
      throw new IllegalArgumentException(
          "amount must be a whole number of millicents, found " + text, e);
    }
  }

  /**
   * Formats millicents for people: {@code 5,000 millicents (5¢)}, {@code 150,000 millicents
   * ($1.50)}.
   */
  public static String format(long millicents) {
    return String.format(Locale.ROOT, "%,d millicents (%s)", millicents, human(millicents));
  }

  /** The amount in cents or dollars only: {@code 0.1¢}, {@code 5¢}, {@code $1.50}. */
  public static String human(long millicents) {
    BigDecimal m = BigDecimal.valueOf(millicents);
    if (Math.abs(millicents) >= 100_000) {
      BigDecimal dollars = m.divide(HUNDRED_THOUSAND).stripTrailingZeros();
      return (millicents < 0 ? "-$" : "$")
          + dollars.abs().setScale(Math.max(2, dollars.scale())).toPlainString();
    }
    return m.divide(THOUSAND).stripTrailingZeros().toPlainString() + "¢";
  }
}
