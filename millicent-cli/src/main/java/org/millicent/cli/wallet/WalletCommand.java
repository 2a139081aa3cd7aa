package org.millicent.cli.wallet;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code millicent wallet}: the customer's wallet. Prints its usage when called alone. */
@Command(
    name = "wallet",
    description = {
      "The customer's wallet: accounts, scrip and paying for pages.",
      "It keeps broker accounts and scrip, and pays for priced resources.",
      "The wallet lives in --wallet DIR (default: $MILLICENT_WALLET, else $HOME/.millicent/wallet)."
    },
    subcommands = {
      RegisterCommand.class,
      BalanceCommand.class,
      BuyCommand.class,
      GetCommand.class,
      HistoryCommand.class,
      RenewCommand.class,
      BudgetCommand.class,
      VendorsCommand.class,
      ProxyCommand.class,
    })
public final class WalletCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  /** Created by picocli. */
  public WalletCommand() {}

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getErr());
    return 2;
  }
}
