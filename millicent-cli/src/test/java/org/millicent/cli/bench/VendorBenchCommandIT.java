package org.millicent.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.millicent.cli.CliRun;

class VendorBenchCommandIT {
  @Test
  void benchVendor_shortRun_printsBothKindsAndTheRatio() {
    CliRun run =
        CliRun.of(
            "bench",
            "vendor",
            "--workers",
            "4",
            "--warmup",
            "1s",
            "--duration",
            "2s",
            "--phases",
            "2");
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out())
        .containsPattern("(?m)^free +[1-9][0-9]* ")
        .containsPattern("(?m)^paid +[1-9][0-9]* ")
        .contains("paid/free throughput:");
    assertThat(run.err()).contains("vendor bench:").contains("100%");
  }

  @Test
  void benchVendor_urlWithoutBrokerToken_isUsageError() {
    CliRun run = CliRun.of("bench", "vendor", "--url", "http://127.0.0.1:1");
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("--broker-token");
  }
}
