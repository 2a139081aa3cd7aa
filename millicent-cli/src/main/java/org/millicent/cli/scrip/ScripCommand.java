package org.millicent.cli.scrip;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code millicent scrip}: tools for scrip tokens. Prints its usage when called alone. */
@Command(
    name = "scrip",
    description = "Tools for scrip tokens.",
    subcommands = {InspectCommand.class})
public final class ScripCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  /** Created by picocli. */
  public ScripCommand() {}

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getErr());
    return 2;
  }
}
