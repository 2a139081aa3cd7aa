package org.millicent.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class StatementPeriodTest {
  @ParameterizedTest
  @ValueSource(
      strings = {
        "+999999999-12",
        "-999999999-01",
        "+10000-01",
        "10000-01",
        "2026-13",
        "2026-1",
        "26-01",
        "2026-03-01",
        " 2026-03",
        ""
      })
  void monthly_refusesLabelsThatAreNotYyyyMm(String label) {
    assertThatThrownBy(() -> StatementPeriod.MONTHLY.parse(label))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("YYYY-MM");
  }

  @ParameterizedTest
  @ValueSource(strings = {"+999999999-12-31", "-999999999-01-01", "2026-02-30", "2026-03"})
  void daily_refusesLabelsThatAreNotYyyyMmDd(String label) {
    assertThatThrownBy(() -> StatementPeriod.DAILY.parse(label))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("YYYY-MM-DD");
  }

  @ParameterizedTest
  @ValueSource(strings = {"0000-01", "1969-12", "2026-03", "9999-12"})
  void monthly_parsesEveryFourDigitYear_andRoundTrips(String label) {
    StatementPeriod.Period p = StatementPeriod.MONTHLY.parse(label);
    assertThat(p.label()).isEqualTo(label);
    assertThat(p.end().toEpochMilli()).isGreaterThan(p.start().toEpochMilli());
    assertThat(StatementPeriod.MONTHLY.containing(p.start())).isEqualTo(p);
  }

  @ParameterizedTest
  @ValueSource(strings = {"0000-01-01", "2024-02-29", "9999-12-31"})
  void daily_parsesEveryFourDigitYear(String label) {
    StatementPeriod.Period p = StatementPeriod.DAILY.parse(label);
    assertThat(p.label()).isEqualTo(label);
    assertThat(p.contains(p.start())).isTrue();
    assertThat(p.contains(p.end())).isFalse();
    assertThat(p.start()).isAfter(Instant.MIN);
  }
}
