package org.millicent.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.millicent.cli.CliRun;

class StorageBenchCommandTest {
  @TempDir Path tmp;

  @Test
  void benchStorage_shortSqliteRun_printsSpendCeilingAndDebitRatesThenTheirRatios() {
    CliRun run =
        CliRun.of(
            "bench", "storage", "--seconds", "0.2", "--spenders", "4", "--dir", tmp.toString());

    assertThat(run.exitCode()).as(run.err()).isZero();
    List<String> lines =
        Arrays.stream(run.out().split("\\R")).filter(l -> !l.startsWith("#")).toList();
    assertThat(lines).hasSize(6);
    assertThat(lines.get(0)).matches("sqlite_spend [1-9][0-9]*");
    assertThat(lines.get(1)).matches("sqlite_commit_ceiling [1-9][0-9]*");
    assertThat(lines.get(2)).matches("sqlite_claim_commit [1-9][0-9]*");
    assertThat(lines.get(3)).matches("sqlite_debit [1-9][0-9]*");
    assertThat(lines.get(4)).matches("sqlite_spend/sqlite_debit [0-9]+\\.[0-9]{2}");
    assertThat(lines.get(5)).matches("sqlite_spend/sqlite_commit_ceiling [0-9]+\\.[0-9]{2}");
    assertThat(run.out())
        .as("the ceiling's batches are as large as the spenders allow")
        .contains("batches of 4 spends");
    assertThat(tmp.toFile().list()).as("throw-away databases are removed").isEmpty();
  }

  @Test
  void benchStorage_only_measuresJustTheNamedCases() {
    CliRun run =
        CliRun.of(
            "bench",
            "storage",
            "--seconds",
            "0.2",
            "--spenders",
            "4",
            "--dir",
            tmp.toString(),
            "--only",
            "sqlite_claim_commit");

    assertThat(run.exitCode()).as(run.err()).isZero();
    List<String> lines =
        Arrays.stream(run.out().split("\\R")).filter(l -> !l.startsWith("#")).toList();
    assertThat(lines).singleElement().asString().matches("sqlite_claim_commit [1-9][0-9]*");
  }

  @Test
  void benchStorage_onlyAnUnknownCase_isAUsageError() {
    CliRun run = CliRun.of("bench", "storage", "--only", "sqlite_spend,mysql_spend");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("unknown case mysql_spend");
  }

  @Test
  void benchStorage_badOptions_areAllReportedAsAUsageError() {
    CliRun run = CliRun.of("bench", "storage", "--seconds", "0", "--spenders", "0");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("--seconds must be").contains("--spenders must be");
  }
}
