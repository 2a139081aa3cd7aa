package org.millicent.bench;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code millicent bench}: short speed measurements, one subcommand per area (core, storage, vendor
 * ...). Prints its usage when called alone. The figures to quote come from the JMH benchmarks; see
 * docs/PERFORMANCE.md.
 */
@Command(
    name = "bench",
    description = "Measures speed for a few seconds; one subcommand per area.",
    subcommands = {
      // One class per area; add new ones here, one per line.
      CoreBenchCommand.class,
      StorageBenchCommand.class,
      VendorBenchCommand.class,
      BrokerBenchCommand.class,
    })
public final class BenchCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  /** Created by picocli. */
  public BenchCommand() {}

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getErr());
    return 2;
  }
}
