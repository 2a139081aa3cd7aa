package org.millicent.cli.wallet;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code millicent wallet vendors}: the origins the wallet may pay each vendor's scrip at
 * (docs/WALLET.md, "Vouched origins"). Prints its usage when called alone.
 */
@Command(
    name = "vendors",
    description = {
      "Lists and vouches for the origins where the wallet pays.",
      "The origins (scheme, host, port) where the wallet pays each vendor's scrip: those its "
          + "brokers' manifests list, and those you vouch for. A 402 from any other origin is refused "
          + "with unvouched-origin: nothing is bought or sent."
    },
    subcommands = {
      VendorsListCommand.class,
      VendorsAddCommand.class,
      VendorsRemoveCommand.class,
    })
public final class VendorsCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  /** Created by picocli. */
  public VendorsCommand() {}

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getErr());
    return 2;
  }
}
