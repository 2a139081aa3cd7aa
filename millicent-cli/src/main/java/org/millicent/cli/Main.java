package org.millicent.cli;

import java.util.concurrent.Callable;
import org.millicent.cli.bench.BenchCommand;
import org.millicent.cli.broker.BrokerCommand;
import org.millicent.cli.demo.DemoCommand;
import org.millicent.cli.scrip.ScripCommand;
import org.millicent.cli.vendor.VendorCommand;
import org.millicent.cli.wallet.WalletCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code millicent} command: one picocli subcommand class per subcommand. Exit codes: 0 ok, 1
 * failure, 2 usage or bad input.
 */
@Command(
    name = "millicent",
    mixinStandardHelpOptions = true,
    // Subcommands inherit --help, --version and the version provider.
    scope = CommandLine.ScopeType.INHERIT,
    versionProvider = VersionProvider.class,
    description = "Millicent micropayments: broker, vendor gateway, wallet and tools.",
    subcommands = {
      // One class per subcommand; add new ones here, one per line.
      ScripCommand.class,
      BenchCommand.class,
      VendorCommand.class,
      BrokerCommand.class,
      WalletCommand.class,
      DemoCommand.class,
      CommandLine.HelpCommand.class,
    })
public final class Main implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  /** Runs the CLI and exits with its code. */
  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /** The configured command line, for tests that capture output. */
  public static CommandLine commandLine() {
    return new CommandLine(new Main()).setCaseInsensitiveEnumValuesAllowed(true);
  }

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getOut());
    return 2;
  }
}
