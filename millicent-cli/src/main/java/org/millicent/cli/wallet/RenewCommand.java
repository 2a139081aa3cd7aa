package org.millicent.cli.wallet;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.millicent.cli.Counts;
import org.millicent.money.Amounts;
import org.millicent.wallet.Renewal;
import org.millicent.wallet.RenewalReport;
import org.millicent.wallet.Wallet;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code millicent wallet renew}: re-sends payments left in flight, then exchanges scrip that is
 * about to expire for fresh scrip at its vendor. Exits 1 when anything could not be done.
 */
@Command(
    name = "renew",
    description = {
      "Settles payments left in flight and renews scrip before it expires.",
      "Re-sends payments left in flight (after a crash or timeout) and settles them, then renews "
          + "scrip that expires within the hour at its vendor (--all: every piece)."
    })
public final class RenewCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin WalletDir wallet;

  @Option(names = "--all", description = "Renew every piece, not only those about to expire.")
  boolean all;

  /** Created by picocli. */
  public RenewCommand() {}

  @Override
  public Integer call() throws InterruptedException {
    PrintWriter out = spec.commandLine().getOut();
    try (Wallet w = wallet.open()) {
      RenewalReport r = w.renew(all);
      r.recovery().lines().forEach(l -> out.println("recovery: " + l));
      for (Renewal n : r.renewed()) {
        out.println(
            "renewed "
                + Amounts.format(n.valueMillicents())
                + " of "
                + n.vendor()
                + " scrip: "
                + n.oldId()
                + " (expiring "
                + n.oldExpiry()
                + ") -> "
                + n.newId()
                + " (expiring "
                + n.newExpiry()
                + ")");
      }
      if (r.expired() > 0) {
        out.println(
            Counts.of(r.expired(), "piece")
                + " had expired before "
                + (r.expired() == 1 ? "it" : "they")
                + " could be renewed");
      }
      r.problems().forEach(p -> out.println("could not renew " + p));
      if (r.renewed().isEmpty() && r.problems().isEmpty()) {
        out.println("nothing to renew");
      }
      return r.problems().isEmpty() && r.recovery().stillInFlight() == 0 ? 0 : 1;
    } catch (RuntimeException e) {
      return WalletDir.fail(spec.commandLine().getErr(), "millicent wallet renew", e);
    }
  }
}
