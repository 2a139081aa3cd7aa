package org.millicent.cli.admin;

import java.io.PrintWriter;
import picocli.CommandLine.Model.CommandSpec;

/** Runs an admin command's call and maps its failure to an exit code. Stateless. */
public final class AdminCommands {
  private AdminCommands() {}

  /** One admin call that prints its result. */
  @FunctionalInterface
  public interface Call {
    /**
     * Makes the call and prints its result to {@code out}.
     *
     * @throws AdminFailure when the call fails
     */
    void run(PrintWriter out) throws AdminFailure;
  }

  /**
   * Runs {@code call}: 0 when it succeeds, 2 for usage or bad input, 1 otherwise, with the failure
   * printed after {@code command} (e.g. {@code millicent broker vendors}).
   */
  public static int run(CommandSpec spec, String command, Call call) {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    try {
      call.run(out);
      out.flush();
      return 0;
    } catch (AdminFailure e) {
      err.println(command + ": " + e.getMessage());
      return e.usage() ? 2 : 1;
    }
  }
}
