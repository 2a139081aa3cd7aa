package org.millicent.cli.broker;

import java.io.PrintWriter;
import picocli.CommandLine.Model.CommandSpec;

/** Runs an admin call and maps its failure to an exit code. Stateless. */
final class AdminCommands {
  private AdminCommands() {}

  /** One admin call that prints its result. */
  @FunctionalInterface
  interface Call {
    void run(PrintWriter out) throws AdminClient.AdminException;
  }

  /** Runs {@code call}: 0 when it succeeds, 2 for usage or bad input, 1 otherwise. */
  static int run(CommandSpec spec, String name, Call call) {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    try {
      call.run(out);
      out.flush();
      return 0;
    } catch (AdminClient.AdminException e) {
      err.println("millicent broker " + name + ": " + e.getMessage());
      return e.usage ? 2 : 1;
    }
  }
}
