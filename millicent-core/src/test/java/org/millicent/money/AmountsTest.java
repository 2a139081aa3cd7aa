package org.millicent.money;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.SplittableRandom;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class AmountsTest {
  @Test
  void parse_readsMillicentsCentsAndDollars() {
    assertThat(Amounts.parse("5000")).isEqualTo(5000);
    assertThat(Amounts.parse("5000m")).isEqualTo(5000);
    assertThat(Amounts.parse("2.5c")).isEqualTo(2500);
    assertThat(Amounts.parse("0.1¢")).isEqualTo(100);
    assertThat(Amounts.parse("$1.50")).isEqualTo(150_000);
    assertThat(Amounts.parse("1,000")).isEqualTo(1000);
  }

  @Test
  void parse_fractionOfAMillicent_isRefused() {
    assertThatThrownBy(() -> Amounts.parse("0.0001c"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("whole number of millicents");
  }

  @Test
  void parse_garbageOrNegative_isRefusedWithTheExpectedForms() {
    assertThatThrownBy(() -> Amounts.parse("ten")).hasMessageContaining("5c or $0.05");
    assertThatThrownBy(() -> Amounts.parse("-5")).hasMessageContaining("negative");
  }

  @Test
  void format_zero_isZeroCents() {
    assertThat(Amounts.format(0)).isEqualTo("0¢");
  }

  @Test
  void format_belowADollar_isCentsThenMillicents() {
    assertThat(Amounts.format(1)).isEqualTo("0.001¢ (1 m¢)");
    assertThat(Amounts.format(100)).isEqualTo("0.1¢ (100 m¢)");
    assertThat(Amounts.format(1000)).isEqualTo("1¢ (1,000 m¢)");
    assertThat(Amounts.format(5050)).isEqualTo("5.05¢ (5,050 m¢)");
    assertThat(Amounts.format(99_999)).isEqualTo("99.999¢ (99,999 m¢)");
  }

  @Test
  void format_fromADollarOn_isDollarsThenMillicents() {
    assertThat(Amounts.format(100_000)).isEqualTo("$1.00 (100,000 m¢)");
    assertThat(Amounts.format(150_500)).isEqualTo("$1.505 (150,500 m¢)");
    assertThat(Amounts.format(100_001)).isEqualTo("$1.00001 (100,001 m¢)");
    assertThat(Amounts.format(123_456_700_000L)).isEqualTo("$1,234,567.00 (123,456,700,000 m¢)");
  }

  @Test
  void format_negative_signsBothParts() {
    assertThat(Amounts.format(-100)).isEqualTo("-0.1¢ (-100 m¢)");
    assertThat(Amounts.format(-150_000)).isEqualTo("-$1.50 (-150,000 m¢)");
  }

  @Test
  void format_extremes_areExact() {
    assertThat(Amounts.format(Long.MAX_VALUE))
        .isEqualTo("$92,233,720,368,547.75807 (9,223,372,036,854,775,807 m¢)");
    assertThat(Amounts.format(Long.MIN_VALUE))
        .isEqualTo("-$92,233,720,368,547.75808 (-9,223,372,036,854,775,808 m¢)");
  }

  @Test
  void human_ofLargeAmounts_parsesBack() {
    assertThat(Amounts.parse(Amounts.human(Long.MAX_VALUE))).isEqualTo(Long.MAX_VALUE);
  }

  private static final long MAX_TRIED = 1_000_000_000;

  /** Fixed seeds, so every run tries the same amounts; a failure names its seed. */
  static LongStream seeds() {
    return LongStream.range(0, 1000);
  }

  /**
   * An amount in [0, {@link #MAX_TRIED}] whose number of digits is uniform, so that cents (below a
   * dollar) are tried as often as dollars.
   */
  static long amount(long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    long bound = Math.min(MAX_TRIED + 1, (long) Math.pow(10, r.nextInt(1, 11)));
    return r.nextLong(bound);
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void parse_ofTheHumanForm_isTheAmount(long seed) {
    long m = amount(seed);
    assertThat(Amounts.parse(Amounts.human(m)))
        .as("seed %d: %d millicents, human form %s", seed, m, Amounts.human(m))
        .isEqualTo(m);
  }

  /** The bounds of the range and of each unit (cent = 1,000, dollar = 100,000 millicents). */
  @ParameterizedTest
  @ValueSource(
      longs = {
        0,
        1,
        9,
        10,
        99,
        100,
        101,
        999,
        1_000,
        1_001,
        10_000,
        99_999,
        100_000,
        100_001,
        100_010,
        100_100,
        101_000,
        110_000,
        999_999,
        1_000_000,
        MAX_TRIED - 1,
        MAX_TRIED
      })
  void parse_ofTheHumanForm_isTheAmount_atTheEdges(long m) {
    assertThat(Amounts.parse(Amounts.human(m))).as("human form %s", Amounts.human(m)).isEqualTo(m);
  }
}
