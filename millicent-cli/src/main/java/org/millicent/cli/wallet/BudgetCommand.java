package org.millicent.cli.wallet;

import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import org.millicent.money.Amounts;
import org.millicent.wallet.Budget;
import org.millicent.wallet.Wallet;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code millicent wallet budget}: shows or sets what the wallet may pay without asking. */
@Command(
    name = "budget",
    description = {
      "Shows the budget, or sets any of its limits.",
      "Payments above a limit are refused with budget-exceeded before anything is bought or "
          + "sent. Amounts: 5000, 5c or $0.05."
    })
public final class BudgetCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin WalletDir wallet;

  @Option(
      names = "--per-request",
      paramLabel = "A",
      converter = AmountConverter.class,
      description = "The most one request may cost.")
  @Nullable Long perRequest;

  @Option(
      names = "--per-vendor-day",
      paramLabel = "A",
      converter = AmountConverter.class,
      description = "The most one vendor may be paid in one UTC day.")
  @Nullable Long perVendorDay;

  @Option(
      names = "--total",
      paramLabel = "A",
      converter = AmountConverter.class,
      description = "The most all vendors may be paid in total.")
  @Nullable Long total;

  /** Created by picocli. */
  public BudgetCommand() {}

  @Override
  public Integer call() {
    try (Wallet w = wallet.open()) {
      Budget b = w.budget();
      if (perRequest != null) {
        b = b.withPerRequest(perRequest);
      }
      if (perVendorDay != null) {
        b = b.withPerVendorPerDay(perVendorDay);
      }
      if (total != null) {
        b = b.withTotal(total);
      }
      if (perRequest != null || perVendorDay != null || total != null) {
        w.setBudget(b);
      }
      spec.commandLine().getOut().println(describe(b));
      return 0;
    } catch (RuntimeException e) {
      return WalletDir.fail(spec.commandLine().getErr(), "millicent wallet budget", e);
    }
  }

  /** One line naming every limit of {@code b}. */
  static String describe(Budget b) {
    return "budget: per request "
        + Amounts.format(b.perRequestMillicents())
        + ", per vendor per day "
        + Amounts.format(b.perVendorPerDayMillicents())
        + ", total "
        + Amounts.format(b.totalMillicents());
  }
}
