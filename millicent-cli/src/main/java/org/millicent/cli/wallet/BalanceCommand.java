package org.millicent.cli.wallet;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.millicent.cli.Counts;
import org.millicent.money.Amounts;
import org.millicent.wallet.BrokerAccount;
import org.millicent.wallet.VendorBalance;
import org.millicent.wallet.Wallet;
import org.millicent.wallet.WalletException;
import org.millicent.wallet.WalletTotals;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code millicent wallet balance}: what the wallet holds, per vendor, and its books. */
@Command(
    name = "balance",
    description = {
      "Shows the scrip held per vendor and the wallet's books.",
      "Also payments in flight, broker accounts and the budget."
    })
public final class BalanceCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin WalletDir wallet;

  @Option(
      names = "--brokers",
      description = "Also ask each broker for the account's state (balance, charges).")
  boolean askBrokers;

  /** Created by picocli. */
  public BalanceCommand() {}

  @Override
  public Integer call() throws InterruptedException {
    PrintWriter out = spec.commandLine().getOut();
    try (Wallet w = wallet.open()) {
      List<VendorBalance> balances = w.balance();
      if (balances.isEmpty()) {
        out.println("no scrip held");
      }
      for (VendorBalance b : balances) {
        out.println(
            b.vendor()
                + ": "
                + Amounts.format(b.availableMillicents())
                + " available in "
                + Counts.of(b.availablePieces(), "piece")
                + b.nextExpiry().map(t -> ", first expiry " + t).orElse("")
                + (b.inFlightPieces() > 0
                    ? "; " + Amounts.format(b.inFlightMillicents()) + " in flight"
                    : ""));
      }
      WalletTotals t = w.totals();
      out.println(
          "books: bought "
              + Amounts.format(t.boughtMillicents())
              + ", paid "
              + Amounts.format(t.paidMillicents())
              + " in "
              + Counts.of(t.purchases(), "purchase")
              + ", held "
              + Amounts.format(t.heldMillicents())
              + ", in flight "
              + Amounts.format(t.inFlightMillicents())
              + ", lost "
              + Amounts.format(t.lostMillicents()));
      if (t.inFlightMillicents() > 0) {
        out.println(
            "payments in flight are re-sent (same scrip and nonce) by the next payment to their"
                + " vendor or by `millicent wallet renew`");
      }
      for (BrokerAccount a : w.brokers()) {
        out.println(
            "account at the broker \""
                + a.broker()
                + "\" ("
                + a.url()
                + "): customer "
                + a.customerIdText()
                + ", \""
                + a.name()
                + "\"");
        if (askBrokers) {
          try {
            JsonNode n = w.brokerAccount(a.url());
            for (Map.Entry<String, JsonNode> e : n.properties()) {
              out.println("  " + e.getKey() + ": " + e.getValue());
            }
          } catch (WalletException e) {
            out.println("  (" + e.code().code() + ": " + e.getMessage() + ")");
          }
        }
      }
      out.println(BudgetCommand.describe(w.budget()));
      return 0;
    } catch (RuntimeException e) {
      return WalletDir.fail(spec.commandLine().getErr(), "millicent wallet balance", e);
    }
  }
}
