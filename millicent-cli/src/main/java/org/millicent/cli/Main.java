package org.millicent.cli;

import java.util.ServiceLoader;
import java.util.concurrent.Callable;
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
 *
 * <p>Optional tools live in jars of their own and are found at run time: any {@link Callable}
 * service (a {@code META-INF/services/java.util.concurrent.Callable} entry) that is a picocli
 * {@link Command} becomes a subcommand. {@code millicent bench} comes this way from
 * millicent-bench, which the distribution ships in {@code lib/}; without that jar the command is
 * simply absent.
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
      VendorCommand.class,
      BrokerCommand.class,
      WalletCommand.class,
      DemoCommand.class,
      // Then the tools found as services (commandLine()), then help.
    })
public final class Main implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  /** Runs the CLI and exits with its code. */
  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /** The configured command line, for tests that capture output. */
  public static CommandLine commandLine() {
    CommandLine cli = new CommandLine(new Main());
    for (Callable<?> tool : ServiceLoader.load(Callable.class, Main.class.getClassLoader())) {
      if (tool.getClass().isAnnotationPresent(Command.class)) {
        cli.addSubcommand(tool);
      }
    }
    cli.addSubcommand(new CommandLine.HelpCommand());
    return cli.setCaseInsensitiveEnumValuesAllowed(true);
  }

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getOut());
    return 2;
  }
}
