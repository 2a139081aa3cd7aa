package org.millicent.cli.wallet;

import java.io.PrintWriter;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;
import org.millicent.failure.Causes;
import org.millicent.storage.StorageException;
import org.millicent.wallet.Wallet;
import org.millicent.wallet.WalletException;
import org.millicent.wallet.WalletOptions;
import picocli.CommandLine.Option;

/**
 * The {@code --wallet DIR} option every wallet subcommand takes, and the one place wallet failures
 * become messages and exit codes. Not thread-safe (one per command run).
 */
public final class WalletDir {
  /** Environment variable naming the wallet folder when {@code --wallet} is not given. */
  public static final String ENV = "MILLICENT_WALLET";

  @Option(
      names = "--wallet",
      paramLabel = "DIR",
      description = "The wallet folder (default: $MILLICENT_WALLET, else $HOME/.millicent/wallet).")
  @Nullable Path dir;

  /** Created by picocli. */
  public WalletDir() {}

  /** The folder in use. */
  public Path dir() {
    return dir(System.getenv(ENV), WalletOptions.defaultDir());
  }

  /**
   * The folder in use given {@code $MILLICENT_WALLET} and the default folder: {@code --wallet}
   * wins, then the variable, then the default ({@code $HOME/.millicent/wallet}).
   */
  Path dir(String env, Path defaultDir) {
    if (dir != null) {
      return dir;
    }
    return env != null && !env.isBlank() ? Path.of(env) : defaultDir;
  }

  /** The options for the folder in use. */
  public WalletOptions options() {
    return WalletOptions.defaults(dir());
  }

  /**
   * Opens the wallet.
   *
   * @throws StorageException when the file cannot be opened
   */
  public Wallet open() {
    return Wallet.open(options());
  }

  /**
   * Prints why a command failed and returns its exit code: 2 for bad input, 1 otherwise.
   *
   * @param command the command's name, e.g. {@code millicent wallet get}
   */
  public static int fail(PrintWriter err, String command, RuntimeException e) {
    switch (e) {
      case WalletException w -> {
        err.println(command + ": " + w.code().code() + ": " + w.getMessage());
        err.flush();
        return w.code() == WalletException.Code.BAD_REQUEST ? 2 : 1;
      }
      case StorageException s -> {
        err.println(command + ": the wallet's storage failed: " + Causes.describe(s));
        err.flush();
        return 1;
      }
      case IllegalArgumentException i -> {
        err.println(command + ": " + Causes.describe(i));
        err.flush();
        return 2;
      }
      default -> throw e;
    }
  }
}
