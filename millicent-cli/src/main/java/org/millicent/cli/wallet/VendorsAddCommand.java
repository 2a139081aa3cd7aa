package org.millicent.cli.wallet;

import java.io.PrintWriter;
import java.net.URI;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import org.millicent.wallet.VouchedOrigin;
import org.millicent.wallet.Wallet;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code millicent wallet vendors add VENDOR URL [--broker URL]}: vouches for an origin on the
 * user's word, for the scrip of every broker or of one.
 */
@Command(
    name = "add",
    description = {
      "Vouches for an origin as a vendor's.",
      "Vouches for the origin of URL (scheme, host, port) as VENDOR's: the wallet will pay "
          + "VENDOR's scrip there, whichever broker sold it (with --broker: only scrip that "
          + "broker sold), and buy scrip for it from any broker (with --broker: that one). Only "
          + "vouch for an origin you know to be the vendor's."
    })
public final class VendorsAddCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin WalletDir wallet;

  @Parameters(index = "0", paramLabel = "VENDOR", description = "The vendor id (as in its 402).")
  String vendor;

  @Parameters(index = "1", paramLabel = "URL", description = "A URL at the vendor (http or https).")
  URI url;

  @Option(
      names = "--broker",
      paramLabel = "URL",
      description =
          "Vouch only for the scrip the broker at this URL sells for VENDOR (default: every"
              + " broker's).")
  @Nullable URI broker;

  /** Created by picocli. */
  public VendorsAddCommand() {}

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    try (Wallet w = wallet.open()) {
      VouchedOrigin o = w.vouch(vendor, url, Optional.ofNullable(broker));
      out.println(
          "vouched for "
              + o.origin()
              + " as "
              + o.vendor()
              + "'s, on your word, for "
              + o.broker().map(b -> "the scrip " + b + " sells").orElse("every broker's scrip"));
      return 0;
    } catch (RuntimeException e) {
      return WalletDir.fail(spec.commandLine().getErr(), "millicent wallet vendors add", e);
    }
  }
}
