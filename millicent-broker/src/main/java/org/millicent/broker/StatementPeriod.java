package org.millicent.broker;

import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * How long a customer statement runs: a calendar month ({@code YYYY-MM}) or a day ({@code
 * YYYY-MM-DD}), in UTC. Statements close when their period ends.
 */
public enum StatementPeriod {
  /** Calendar months, labelled {@code 2026-03}. */
  MONTHLY,
  /** Calendar days, labelled {@code 2026-03-14}. */
  DAILY;

  /** One period: its label and its half-open interval [start, end). */
  public record Period(String label, Instant start, Instant end) {
    /** Whether {@code t} falls in this period. */
    public boolean contains(Instant t) {
      return !t.isBefore(start) && t.isBefore(end);
    }
  }

  /** The name used in configuration. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The period with this wire name, or {@code null}. */
  public static @Nullable StatementPeriod fromWireName(String name) {
    for (StatementPeriod p : values()) {
      if (p.wireName().equals(name)) {
        return p;
      }
    }
    return null;
  }

  /** The period containing {@code t}. */
  public Period containing(Instant t) {
    LocalDate d = LocalDate.ofInstant(t, ZoneOffset.UTC);
    return switch (this) {
      case MONTHLY -> month(YearMonth.from(d));
      case DAILY -> day(d);
    };
  }

  /** The period just before {@code p}. */
  public Period previous(Period p) {
    return containing(p.start().minusSeconds(1));
  }

  /** A label's shape: a four-digit year, so every period's bounds fit an {@link Instant}. */
  private static final Pattern MONTH_LABEL = Pattern.compile("[0-9]{4}-[0-9]{2}");

  private static final Pattern DAY_LABEL = Pattern.compile("[0-9]{4}-[0-9]{2}-[0-9]{2}");

  /**
   * Parses a period label: {@code YYYY-MM} or {@code YYYY-MM-DD} with a four-digit year, as {@link
   * #containing} labels them. Signed or longer years ({@code +999999999-12}) are refused: their
   * bounds overflow the books' millisecond timestamps.
   *
   * @throws IllegalArgumentException when it is not a label of this kind of period
   */
  public Period parse(String label) {
    try {
      if (label == null || !(this == MONTHLY ? MONTH_LABEL : DAY_LABEL).matcher(label).matches()) {
        throw new DateTimeParseException("not a period label", String.valueOf(label), 0);
      }
      return switch (this) {
        case MONTHLY -> month(YearMonth.parse(label));
        case DAILY -> day(LocalDate.parse(label));
      };
    } catch (DateTimeParseException | NullPointerException e) {
      throw new IllegalArgumentException(
          "expected a "
              + wireName()
              + " period label ("
              + (this == MONTHLY ? "YYYY-MM" : "YYYY-MM-DD")
              + "), found "
              + (label == null ? "nothing" : '"' + label + '"'));
    }
  }

  private static Period month(YearMonth m) {
    return new Period(
        m.toString(),
        m.atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant(),
        m.plusMonths(1).atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant());
  }

  private static Period day(LocalDate d) {
    return new Period(
        d.toString(),
        d.atStartOfDay(ZoneOffset.UTC).toInstant(),
        d.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant());
  }
}
