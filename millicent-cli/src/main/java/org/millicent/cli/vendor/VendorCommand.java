package org.millicent.cli.vendor;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code millicent vendor}: the vendor gateway. Prints its usage when called alone. */
@Command(
    name = "vendor",
    description = {
      "Runs the vendor gateway and manages its keys.",
      "The gateway puts HTTP 402 in front of priced resources."
    },
    subcommands = {ServeCommand.class, KeysCommand.class})
public final class VendorCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  /** Created by picocli. */
  public VendorCommand() {}

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getErr());
    return 2;
  }
}
