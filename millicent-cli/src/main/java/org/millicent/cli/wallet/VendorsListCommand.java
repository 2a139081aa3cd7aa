package org.millicent.cli.wallet;

import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.millicent.wallet.VouchedOrigin;
import org.millicent.wallet.Wallet;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code millicent wallet vendors list}: each vendor's vouched origins and who vouched. */
@Command(
    name = "list",
    description = {
      "Lists each vendor's vouched origins.",
      "Each with who vouched for it: a broker's manifest or you."
    })
public final class VendorsListCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin WalletDir wallet;

  @Option(
      names = "--refresh",
      description = "Read the brokers' manifests again first, so that what they vouch is current.")
  boolean refresh;

  /** Created by picocli. */
  public VendorsListCommand() {}

  @Override
  public Integer call() throws InterruptedException {
    PrintWriter out = spec.commandLine().getOut();
    try (Wallet w = wallet.open()) {
      if (refresh) {
        int read = w.refreshVouchedOrigins();
        int brokers = w.brokers().size();
        out.println(
            "read "
                + read
                + " of "
                + brokers
                + (brokers == 1 ? " broker's manifest" : " brokers' manifests"));
      }
      List<VouchedOrigin> all = w.vouchedOrigins();
      if (all.isEmpty()) {
        out.println(
            "no vouched origins: register with a broker (`millicent wallet register --broker"
                + " URL`) or vouch for one (`millicent wallet vendors add VENDOR URL`)");
        return 0;
      }
      for (VouchedOrigin o : all) {
        out.printf(
            Locale.ROOT,
            "%-20s %-40s %s%n",
            o.vendor(),
            o.origin(),
            o.byUser()
                ? "vouched by you" + o.broker().map(b -> " for the scrip of " + b).orElse("")
                : "vouched by " + o.source());
      }
      out.flush();
      return 0;
    } catch (RuntimeException e) {
      return WalletDir.fail(spec.commandLine().getErr(), "millicent wallet vendors list", e);
    }
  }
}
