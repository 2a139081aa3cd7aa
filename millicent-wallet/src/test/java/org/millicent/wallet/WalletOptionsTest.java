package org.millicent.wallet;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class WalletOptionsTest {
  @Test
  void defaultDir_followsHome() {
    assertThat(WalletOptions.defaultDir("/home/alice", "/root"))
        .isEqualTo(Path.of("/home/alice/.millicent/wallet"));
  }

  @Test
  void defaultDir_withoutHome_fallsBackToUserHome() {
    assertThat(WalletOptions.defaultDir(null, "/root"))
        .isEqualTo(Path.of("/root/.millicent/wallet"));
    assertThat(WalletOptions.defaultDir(" ", "/root"))
        .isEqualTo(Path.of("/root/.millicent/wallet"));
  }

  @Test
  void defaultDir_ofThisProcess_isUnderItsHome() {
    String home = System.getenv("HOME");
    Path expected =
        Path.of(
            home != null && !home.isBlank() ? home : System.getProperty("user.home"),
            ".millicent",
            "wallet");
    assertThat(WalletOptions.defaultDir()).isEqualTo(expected);
  }
}
