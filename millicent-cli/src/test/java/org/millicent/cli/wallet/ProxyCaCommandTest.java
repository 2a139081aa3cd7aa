package org.millicent.cli.wallet;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.millicent.cli.CliRun;
import org.millicent.wallet.proxy.LocalCa;

class ProxyCaCommandTest {
  @TempDir Path dir;

  @Test
  void ca_printsTheCertificateOnly_andHowToTrustIt_theSameEachTime() {
    String wallet = dir.resolve("w").toString();

    CliRun first = CliRun.of("wallet", "proxy", "ca", "--wallet", wallet);
    CliRun again = CliRun.of("wallet", "proxy", "ca", "--wallet", wallet);

    assertThat(first.exitCode()).isZero();
    assertThat(first.out())
        .startsWith("-----BEGIN CERTIFICATE-----")
        .endsWith("-----END CERTIFICATE-----\n")
        .doesNotContain("PRIVATE");
    assertThat(again.out()).isEqualTo(first.out());
    assertThat(first.err())
        .contains("SHA-256 fingerprint")
        .contains("--cacert")
        .contains("update-ca-certificates")
        .contains("Firefox");
    assertThat(dir.resolve("w").resolve(LocalCa.KEY_FILE)).exists();
  }

  @Test
  void ca_withOut_writesTheFile() throws Exception {
    Path pem = dir.resolve("ca.pem");

    CliRun r =
        CliRun.of(
            "wallet", "proxy", "ca", "-o", pem.toString(), "--wallet", dir.resolve("w").toString());

    assertThat(r.exitCode()).isZero();
    assertThat(r.out()).isEmpty();
    assertThat(Files.readString(pem)).startsWith("-----BEGIN CERTIFICATE-----");
    assertThat(r.err()).contains("--cacert " + pem);
  }
}
