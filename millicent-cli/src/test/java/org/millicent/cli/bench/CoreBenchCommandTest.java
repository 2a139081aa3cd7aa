package org.millicent.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.millicent.bench.CoreWorkloads;
import org.millicent.cli.CliRun;

class CoreBenchCommandTest {
  @Test
  void benchCore_shortRun_printsOneRateLinePerCaseThenRatios() {
    CliRun run = CliRun.of("bench", "core", "--seconds", "0.02");

    assertThat(run.exitCode()).isZero();
    List<String> lines =
        Arrays.stream(run.out().split("\\R")).filter(l -> !l.startsWith("#")).toList();
    assertThat(lines).hasSize(CoreWorkloads.NAMES.size() + 3);
    for (int i = 0; i < CoreWorkloads.NAMES.size(); i++) {
      assertThat(lines.get(i)).matches(CoreWorkloads.NAMES.get(i) + " [1-9][0-9]*");
    }
    assertThat(lines.get(CoreWorkloads.NAMES.size()))
        .matches("signed_purchase/\\(hmac_raw/5\\) [0-9]+\\.[0-9]{2}");
  }

  @Test
  void benchCore_cpuClock_printsTheSameCases() {
    CliRun run = CliRun.of("bench", "core", "--seconds", "0.02", "--clock", "cpu");

    assertThat(run.exitCode()).isZero();
    assertThat(run.out())
        .contains("cpu clock")
        .containsPattern("(?m)^signed_purchase [1-9][0-9]*$");
  }

  @Test
  void benchCore_unknownClock_isAUsageError() {
    CliRun run = CliRun.of("bench", "core", "--clock", "sundial");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("sundial");
  }

  @Test
  void benchCore_zeroSeconds_isAUsageError() {
    CliRun run = CliRun.of("bench", "core", "--seconds", "0");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("--seconds must be more than 0");
  }

  @Test
  void bench_alone_printsUsageWithExitCode2() {
    CliRun run = CliRun.of("bench");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("core");
  }
}
