package org.millicent.wallet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

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
  void format_showsMillicentsAndCentsOrDollars() {
    assertThat(Amounts.format(100)).isEqualTo("100 millicents (0.1¢)");
    assertThat(Amounts.format(5000)).isEqualTo("5,000 millicents (5¢)");
    assertThat(Amounts.format(150_000)).isEqualTo("150,000 millicents ($1.50)");
    assertThat(Amounts.format(150_500)).isEqualTo("150,500 millicents ($1.505)");
  }

  @Property
  void parse_ofTheHumanForm_isTheAmount(@ForAll @LongRange(min = 0, max = 1_000_000_000) long m) {
    assertThat(Amounts.parse(Amounts.human(m))).isEqualTo(m);
  }
}
