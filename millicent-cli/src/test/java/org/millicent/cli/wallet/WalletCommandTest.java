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
        .contains("budget: per request $1.00 (100,000 m¢)");
  }

  @Test
  void budget_setsLimitsGivenInCentsOrDollars_andKeepsThem() {
    CliRun set = run("wallet", "budget", "--per-request", "5c", "--total", "$2");
    CliRun shown = run("wallet", "budget");

    assertThat(set.exitCode()).isZero();
    assertThat(shown.out())
        .contains("per request 5¢ (5,000 m¢)")
        .contains("total $2.00 (200,000 m¢)");
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
        .contains(
            "register", "balance", "buy", "get", "history", "renew", "budget", "vendors", "proxy");
  }

  @Test
  void vendors_addListRemove_keepsTheOriginsTheUserVouchedFor() {
    CliRun added = run("wallet", "vendors", "add", "venetia", "http://127.0.0.1:8080/pages/x");
    CliRun again = run("wallet", "vendors", "add", "venetia", "HTTP://127.0.0.1:8080");
    CliRun listed = run("wallet", "vendors", "list");
    CliRun removed = run("wallet", "vendors", "remove", "venetia", "http://127.0.0.1:8080");
    CliRun empty = run("wallet", "vendors", "list");

    assertThat(added.exitCode()).isZero();
    assertThat(added.out()).contains("vouched for http://127.0.0.1:8080 as venetia's");
    assertThat(again.exitCode()).isZero();
    assertThat(listed.out())
        .containsOnlyOnce("http://127.0.0.1:8080")
        .contains("venetia", "vouched by you");
    assertThat(removed.exitCode()).isZero();
    assertThat(removed.out()).contains("withdrew 1 origin");
    assertThat(empty.out()).contains("no vouched origins");
  }

  @Test
  void vendors_add_withABroker_vouchesOnlyForThatBrokersScrip() {
    CliRun added =
        run(
            "wallet",
            "vendors",
            "add",
            "venetia",
            "http://127.0.0.1:8080",
            "--broker",
            "http://127.0.0.1:8081/");
    CliRun listed = run("wallet", "vendors", "list");
    CliRun removed = run("wallet", "vendors", "remove", "venetia");

    assertThat(added.exitCode()).isZero();
    assertThat(added.out())
        .contains("vouched for http://127.0.0.1:8080 as venetia's")
        .contains("for the scrip http://127.0.0.1:8081 sells");
    assertThat(listed.out()).contains("vouched by you for the scrip of http://127.0.0.1:8081");
    assertThat(removed.out()).contains("withdrew 1 origin");
  }

  @Test
  void vendors_remove_whenNothingWasVouched_exits1_andSaysSo() {
    CliRun r = run("wallet", "vendors", "remove", "venetia");

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err()).contains("you vouched for no origin as venetia's");
  }

  @Test
  void vendors_add_withAUrlThatIsNotHttp_isAUsageError() {
    CliRun r = run("wallet", "vendors", "add", "venetia", "ftp://venetia.example");

    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).contains("bad-request", "http or https");
    assertThat(run("wallet", "vendors", "list").out()).contains("no vouched origins");
  }

  @Test
  void vendors_alone_printsItsUsage() {
    CliRun r = CliRun.of("wallet", "vendors");

    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).contains("list", "add", "remove");
  }
}
