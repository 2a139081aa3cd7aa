package org.millicent.cli.wallet;

import java.net.URI;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import org.millicent.money.Amounts;
import org.millicent.scrip.Scrip;
import org.millicent.wallet.Wallet;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code millicent wallet buy --vendor V --amount A}: buys vendor scrip from a broker. */
@Command(
    name = "buy",
    description = {
      "Buys vendor scrip from a broker.",
      "It is charged to the wallet's account there.",
      "Amounts: 5000 (millicents), 5c (cents) or $0.05."
    })
public final class BuyCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin WalletDir wallet;

  @Option(names = "--vendor", required = true, paramLabel = "V", description = "The vendor id.")
  String vendor;

  @Option(
      names = "--amount",
      required = true,
      paramLabel = "A",
      converter = AmountConverter.class,
      description = "How much scrip to buy.")
  long amount;

  @Option(
      names = "--broker",
      paramLabel = "URL",
      description = "The broker to buy from (default: one that sells the vendor's scrip).")
  @Nullable URI broker;

  /** Created by picocli. */
  public BuyCommand() {}

  @Override
  public Integer call() throws InterruptedException {
    try (Wallet w = wallet.open()) {
      Recovery.run(w, spec.commandLine().getErr());
      Scrip s = w.buy(vendor, amount, Optional.ofNullable(broker));
      spec.commandLine()
          .getOut()
          .println(
              "bought "
                  + Amounts.format(s.valueMillicents())
                  + " of "
                  + s.vendor()
                  + " scrip (id "
                  + s.id()
                  + ", customer "
                  + Long.toUnsignedString(s.customerId())
                  + ", expires "
                  + s.expiresAt()
                  + ")");
      return 0;
    } catch (RuntimeException e) {
      return WalletDir.fail(spec.commandLine().getErr(), "millicent wallet buy", e);
    }
  }
}
