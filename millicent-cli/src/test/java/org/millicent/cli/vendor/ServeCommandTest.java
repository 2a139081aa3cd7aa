package org.millicent.cli.vendor;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.millicent.cli.CliRun;

class ServeCommandTest {
  @TempDir Path dir;

  @Test
  void serve_configWithErrors_printsEveryErrorAndExits2() throws IOException {
    Path yaml = dir.resolve("vendor.yaml");
    Files.writeString(
        yaml,
        """
        vendor: Not A Vendor
        currency: usd
        prices: [{method: GET, path: "nope", price_millicents: -1}]
        """);
    CliRun run =
        CliRun.of("vendor", "serve", "--config", yaml.toString(), "--data", dir.toString());
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err())
        .contains("vendor configuration has 4 errors")
        .contains("vendor:")
        .contains("currency:")
        .contains("prices[0].path:")
        .contains("prices[0].price_millicents:")
        .doesNotContain("Exception");
  }

  @Test
  void serve_joiningAPlainHttpBrokerOnAnotherMachine_isRefusedBeforeStarting_exit2() {
    CliRun run =
        CliRun.of(
            "vendor",
            "serve",
            "--broker",
            "http://broker.example:8081",
            "--data",
            dir.resolve("v").toString());

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("--broker").contains("over https").doesNotContain("Exception");
    assertThat(dir.resolve("v")).doesNotExist();
  }

  @Test
  void vendor_alone_printsUsageAndExits2() {
    CliRun run = CliRun.of("vendor");
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("serve");
  }
}
