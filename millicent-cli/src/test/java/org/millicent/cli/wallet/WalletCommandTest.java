package org.millicent.cli.wallet;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.millicent.cli.CliRun;

class WalletCommandTest {
  @TempDir Path dir;

  private CliRun run(String... args) {
    String[] all = new String[args.length + 2];
    System.arraycopy(args, 0, all, 0, args.length);
    all[args.length] = "--wallet";
    all[args.length + 1] = dir.resolve("w").toString();
    return CliRun.of(all);
  }

  @Test
  void balance_ofANewWallet_saysNothingIsHeld_andShowsTheDefaultBudget() {
    CliRun r = run("wallet", "balance");

    assertThat(r.exitCode()).isZero();
    assertThat(r.out())
        .contains("no scrip held")
        .contains("budget: per request 100,000 millicents ($1.00)");
  }

  @Test
  void budget_setsLimitsGivenInCentsOrDollars_andKeepsThem() {
    CliRun set = run("wallet", "budget", "--per-request", "5c", "--total", "$2");
    CliRun shown = run("wallet", "budget");

    assertThat(set.exitCode()).isZero();
    assertThat(shown.out())
        .contains("per request 5,000 millicents (5¢)")
        .contains("total 200,000 millicents ($2.00)");
  }

  @Test
  void buy_withoutABrokerAccount_failsWithNotRegistered_andSaysHowToRegister() {
    CliRun r = run("wallet", "buy", "--vendor", "venetia", "--amount", "5000");

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err()).contains("not-registered").contains("millicent wallet register --broker");
  }

  @Test
  void buy_withAnAmountThatIsNotMoney_isAUsageError() {
    CliRun r = run("wallet", "buy", "--vendor", "venetia", "--amount", "lots");

    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).contains("lots");
  }

  @Test
  void history_ofANewWallet_saysThereAreNoPayments() {
    CliRun r = run("wallet", "history");

    assertThat(r.exitCode()).isZero();
    assertThat(r.out()).contains("no payments yet");
  }

  @Test
  void wallet_alone_printsItsUsage_withEverySubcommand() {
    CliRun r = CliRun.of("wallet");

    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err())
        .contains("register", "balance", "buy", "get", "history", "renew", "budget", "proxy");
  }
}
