package org.millicent.cli.wallet;

import java.io.PrintWriter;
import java.net.URI;
import java.util.concurrent.Callable;
import org.millicent.money.Amounts;
import org.millicent.wallet.BrokerAccount;
import org.millicent.wallet.VouchedOrigin;
import org.millicent.wallet.Wallet;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code millicent wallet register --broker URL}: opens an account at a broker. */
@Command(
    name = "register",
    description = {
      "Opens an account at a broker.",
      "The account's customer secret is kept in the wallet.",
      "Use TLS (https) for brokers that are not on this machine: the secret travels in the answer."
    })
public final class RegisterCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin WalletDir wallet;

  @Option(names = "--broker", required = true, paramLabel = "URL", description = "The broker.")
  URI broker;

  @Option(
      names = "--name",
      paramLabel = "NAME",
      defaultValue = "${sys:user.name}",
      description = "The name on the account (default: ${DEFAULT-VALUE}).")
  String name;

  /** Created by picocli. */
  public RegisterCommand() {}

  @Override
  public Integer call() throws InterruptedException {
    PrintWriter out = spec.commandLine().getOut();
    try (Wallet w = wallet.open()) {
      BrokerAccount a = w.register(broker, name);
      out.println(
          "registered with the broker \""
              + a.broker()
              + "\" at "
              + a.url()
              + " as customer "
              + a.customerIdText()
              + " (\""
              + a.name()
              + "\")"
              + (a.creditLimitMillicents() >= 0
                  ? ", credit limit " + Amounts.format(a.creditLimitMillicents())
                  : ""));
      for (VouchedOrigin o : w.vouchedOrigins()) {
        if (o.source().equals(a.url().toString()) && !o.vendor().equals(a.broker())) {
          out.println("  sells " + o.vendor() + ", paid only at " + o.origin());
        }
      }
      out.println("wallet: " + w.describe());
      return 0;
    } catch (RuntimeException e) {
      return WalletDir.fail(spec.commandLine().getErr(), "millicent wallet register", e);
    }
  }
}
