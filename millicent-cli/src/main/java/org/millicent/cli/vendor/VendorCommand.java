package org.millicent.cli.vendor;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code millicent vendor}: the vendor gateway. Prints its usage when called alone. */
@Command(
    name = "vendor",
    description = "The vendor gateway: HTTP 402 in front of priced resources, and its keys.",
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
