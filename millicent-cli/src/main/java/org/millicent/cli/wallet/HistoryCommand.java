package org.millicent.cli.wallet;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.millicent.money.Amounts;
import org.millicent.wallet.HistoryEntry;
import org.millicent.wallet.Wallet;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code millicent wallet history}: the wallet's payments, oldest first. */
@Command(
    name = "history",
    description = {
      "Lists the wallet's payments and their outcome.",
      "Purchases at vendors, exchanges (renewals, merges) and buys from brokers."
    })
public final class HistoryCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin WalletDir wallet;

  @Option(
      names = {"-n", "--limit"},
      paramLabel = "N",
      defaultValue = "50",
      description = "Show the last N payments (default: ${DEFAULT-VALUE}).")
  int limit;

  /** Created by picocli. */
  public HistoryCommand() {}

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    try (Wallet w = wallet.open()) {
      var entries = w.history(Math.max(1, limit));
      if (entries.isEmpty()) {
        out.println("no payments yet");
      }
      for (HistoryEntry e : entries) {
        out.println(line(e));
      }
      return 0;
    } catch (RuntimeException e) {
      return WalletDir.fail(spec.commandLine().getErr(), "millicent wallet history", e);
    }
  }

  static String line(HistoryEntry e) {
    StringBuilder sb =
        new StringBuilder()
            .append('#')
            .append(e.id())
            .append(' ')
            .append(e.startedAt())
            .append(' ')
            .append(e.kind())
            .append(' ')
            .append(e.vendor())
            .append(' ')
            .append(e.method())
            .append(' ')
            .append(e.url())
            .append(": ");
    sb.append(outcome(e));
    e.outcome().filter(o -> !o.equals("ok")).ifPresent(o -> sb.append(" (").append(o).append(')'));
    e.detail().ifPresent(d -> sb.append(": ").append(d));
    return sb.toString();
  }

  /**
   * What happened, in words that match the payment's state: a buy that failed did not buy anything,
   * and one in flight has not bought anything yet.
   */
  private static String outcome(HistoryEntry e) {
    String asked = Amounts.format(e.offeredPriceMillicents());
    String charged = Amounts.format(e.priceMillicents().orElse(e.offeredPriceMillicents()));
    String change = e.changeMillicents().map(c -> ", change " + Amounts.format(c)).orElse("");
    return switch (e.kind() + "/" + e.state()) {
      case "buy/done" -> "bought " + charged;
      case "buy/failed" -> "buying " + asked + " failed, nothing bought";
      case "buy/in-flight" -> "buying " + asked + ", in flight";
      case "exchange/done" -> "exchanged";
      case "exchange/failed" -> "exchange failed";
      case "exchange/in-flight" -> "exchanging, in flight";
      case "purchase/done" -> "paid " + charged + change;
      case "purchase/failed" -> "paying " + asked + " failed";
      case "purchase/in-flight" -> "paying " + asked + ", in flight";
      default -> e.kind() + " " + asked + ", " + e.state();
    };
  }
}
