package org.millicent.cli.vendor;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code millicent vendor keys list|rotate|retire ID}: the vendor's master scrip secrets
 * (docs/VENDOR-KEYS.md). With {@code --url} it calls a running vendor's admin endpoints; without,
 * it changes the database of a stopped vendor's data folder, which it holds locked meanwhile. A
 * folder a running vendor holds is refused with a message saying to give its {@code --url}.
 */
@Command(
    name = "keys",
    description = {
      "The vendor's master scrip secrets: list, rotate, retire.",
      "With --url, through a running vendor's admin endpoints; without, on the data folder of a"
          + " stopped vendor (--data, and --config for its database)."
    },
    subcommands = {KeysListCommand.class, KeysRotateCommand.class, KeysRetireCommand.class})
public final class KeysCommand implements Callable<Integer> {
  /** The environment variable that may hold the vendor's admin token. */
  public static final String TOKEN_VARIABLE = "MILLICENT_VENDOR_ADMIN_TOKEN";

  @Spec CommandSpec spec;

  /** Created by picocli. */
  public KeysCommand() {}

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getErr());
    return 2;
  }
}
