package org.millicent.money;

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
   * Formats millicents for people, the one way amounts are shown (CLI, demo, wallet, messages): the
   * amount in cents below a dollar or in dollars from a dollar on, exact, followed by the
   * millicents it is made of.
   *
   * <ul>
   *   <li>{@code 0} is {@code 0¢};
   *   <li>below a dollar, cents with up to three decimals: {@code 1} is {@code 0.001¢ (1 m¢)},
   *       {@code 100} is {@code 0.1¢ (100 m¢)}, {@code 5000} is {@code 5¢ (5,000 m¢)};
   *   <li>from a dollar (100,000 millicents) on, dollars with two to five decimals and thousands
   *       separators: {@code 150000} is {@code $1.50 (150,000 m¢)}, {@code 150500} is {@code $1.505
   *       (150,500 m¢)};
   *   <li>a negative amount has a minus sign before both: {@code -0.1¢ (-100 m¢)}.
   * </ul>
   *
   * The part before the parentheses is {@link #human(long)} and parses back to the amount.
   */
  public static String format(long millicents) {
    if (millicents == 0) {
      return "0¢";
    }
    return String.format(Locale.ROOT, "%s (%,d m¢)", human(millicents), millicents);
  }

  /**
   * The amount in cents below a dollar or in dollars from a dollar on, without the millicents:
   * {@code 0.1¢}, {@code 5¢}, {@code $1.50}, {@code $1,234.56789}. {@link #parse(String)} reads it
   * back (after removing the thousands separators, which it ignores).
   */
  public static String human(long millicents) {
    BigDecimal m = BigDecimal.valueOf(millicents);
    String sign = millicents < 0 ? "-" : "";
    if (m.abs().compareTo(HUNDRED_THOUSAND) >= 0) {
      BigDecimal dollars = m.abs().divide(HUNDRED_THOUSAND).stripTrailingZeros();
      BigDecimal shown = dollars.setScale(Math.max(2, dollars.scale()));
      return sign
          + "$"
          + String.format(Locale.ROOT, "%,d", shown.toBigInteger())
          + shown.toPlainString().substring(shown.toPlainString().indexOf('.'));
    }
    return sign + m.abs().divide(THOUSAND).stripTrailingZeros().toPlainString() + "¢";
  }
}
