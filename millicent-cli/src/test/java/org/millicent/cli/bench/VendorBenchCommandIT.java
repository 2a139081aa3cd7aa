package org.millicent.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.millicent.cli.CliRun;

class VendorBenchCommandIT {
  @Test
  void benchVendor_ownProcess_printsBothKindsTheServersCpuAndTheRatio() {
    // --no-pin: binding this test JVM to half of the CPUs would slow the tests that follow.
    CliRun run = CliRun.of(shortRun("--no-pin"));
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out())
        .containsPattern("(?m)^free +[1-9][0-9]* .* [0-9]+\\.[0-9] +[0-9]+%$")
        .containsPattern("(?m)^paid +[1-9][0-9]* .* [0-9]+\\.[0-9] +[0-9]+%$")
        .contains("paid/free throughput:")
        .containsPattern("server CPU per request, free/paid: [0-9]+\\.[0-9]{2}\n");
    assertThat(run.err()).contains("vendor bench:").contains("its own JVM").contains("100%");
    assertThat(run.err()).as("no bar frames when not in a terminal").doesNotContain("\r");
  }

  @Test
  void benchVendor_inProcess_printsBothKinds() {
    CliRun run = CliRun.of(shortRun("--in-process"));
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out())
        .containsPattern("(?m)^free +[1-9][0-9]* ")
        .containsPattern("(?m)^paid +[1-9][0-9]* ")
        .contains("includes the load generator");
    assertThat(run.err()).contains("in-process");
  }

  private static String[] shortRun(String mode) {
    return new String[] {
      "bench",
      "vendor",
      mode,
      "--workers",
      "4",
      "--warmup",
      "1s",
      "--duration",
      "2s",
      "--phases",
      "2"
    };
  }

  @Test
  void benchVendor_urlWithoutBrokerToken_isUsageError() {
    CliRun run = CliRun.of("bench", "vendor", "--url", "http://127.0.0.1:1");
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("--broker-token");
  }
}
