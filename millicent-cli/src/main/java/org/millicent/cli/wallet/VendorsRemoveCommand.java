package org.millicent.cli.wallet;

import java.io.PrintWriter;
import java.net.URI;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import org.millicent.wallet.VouchedOrigin;
import org.millicent.wallet.Wallet;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code millicent wallet vendors remove VENDOR [URL]}: withdraws the user's word for an origin (or
 * all of a vendor's). Exits 1 when there was nothing to withdraw.
 */
@Command(
    name = "remove",
    description = {
      "Withdraws your word for a vendor's origin.",
      "Withdraws your word for the origin of URL (without URL: every origin you vouched for) as "
          + "VENDOR's. Origins a broker's manifest lists stay vouched while it lists them."
    })
public final class VendorsRemoveCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin WalletDir wallet;

  @Parameters(index = "0", paramLabel = "VENDOR", description = "The vendor id.")
  String vendor;

  @Parameters(
      index = "1",
      arity = "0..1",
      paramLabel = "URL",
      description = "A URL at the origin to withdraw (default: all you vouched for).")
  @Nullable URI url;

  /** Created by picocli. */
  public VendorsRemoveCommand() {}

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    try (Wallet w = wallet.open()) {
      int removed = w.unvouch(vendor, Optional.ofNullable(url));
      List<VouchedOrigin> left =
          w.vouchedOrigins().stream().filter(o -> o.vendor().equals(vendor)).toList();
      if (removed == 0) {
        err.println(
            "millicent wallet vendors remove: you vouched for no origin"
                + (url == null ? "" : " at " + url)
                + " as "
                + vendor
                + "'s");
      } else {
        out.println(
            "withdrew "
                + removed
                + (removed == 1 ? " origin" : " origins")
                + " you vouched for as "
                + vendor
                + "'s");
      }
      for (VouchedOrigin o : left) {
        out.println("  still vouched: " + o.origin() + " by " + o.source());
      }
      out.flush();
      err.flush();
      return removed == 0 ? 1 : 0;
    } catch (RuntimeException e) {
      return WalletDir.fail(err, "millicent wallet vendors remove", e);
    }
  }
}
