package org.millicent.cli.wallet;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class WalletDirTest {
  private static final Path HOME_DEFAULT = Path.of("/home/alice/.millicent/wallet");

  private static WalletDir parse(String... args) {
    WalletDir w = new WalletDir();
    new CommandLine(w).parseArgs(args);
    return w;
  }

  @Test
  void dir_withoutFlagOrVariable_isTheDefaultUnderHome() {
    assertThat(parse().dir(null, HOME_DEFAULT)).isEqualTo(HOME_DEFAULT);
    assertThat(parse().dir("", HOME_DEFAULT)).isEqualTo(HOME_DEFAULT);
  }

  @Test
  void dir_variable_winsOverTheDefault() {
    assertThat(parse().dir("/srv/wallet", HOME_DEFAULT)).isEqualTo(Path.of("/srv/wallet"));
  }

  @Test
  void dir_flag_winsOverVariableAndDefault() {
    assertThat(parse("--wallet", "/tmp/w").dir("/srv/wallet", HOME_DEFAULT))
        .isEqualTo(Path.of("/tmp/w"));
  }
}
