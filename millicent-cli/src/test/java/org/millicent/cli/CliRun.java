package org.millicent.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/**
 * One run of the CLI in-process with its output captured, for tests of any subcommand.
 *
 * @param exitCode what the process would exit with
 * @param out everything written to standard output
 * @param err everything written to standard error
 */
public record CliRun(int exitCode, String out, String err) {
  /** Runs {@code millicent args...} and captures both writers. */
  public static CliRun of(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = Main.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    int code = cli.execute(args);
    return new CliRun(code, out.toString(), err.toString());
  }
}
