package org.millicent.cli.broker;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code millicent broker}: the broker server and its admin commands. Prints usage alone. */
@Command(
    name = "broker",
    description = {
      "Runs a broker and manages a running one.",
      "The broker keeps accounts, sells broker and vendor scrip, closes statements and settles."
    },
    subcommands = {
      ServeCommand.class,
      VendorsCommand.class,
      LicencesCommand.class,
      StatementsCommand.class
    })
public final class BrokerCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  /** Created by picocli. */
  public BrokerCommand() {}

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getErr());
    return 2;
  }
}
