package org.millicent.cli.scrip;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.PrintWriter;
import java.time.InstantSource;
import java.util.concurrent.Callable;
import org.millicent.failure.MalformedException;
import org.millicent.scrip.Scrip;
import org.millicent.scrip.ScripCodec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code millicent scrip inspect TOKEN}: decodes a scrip token and prints every field readably (or
 * as JSON). It cannot check the certificate, which needs the vendor's master secret, and says so. A
 * token that does not decode is bad input: one line on stderr, exit code 2.
 */
@Command(
    name = "inspect",
    description = {
      "Prints every field of a scrip token.",
      "The certificate is shown, not verified."
    })
public final class InspectCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(paramLabel = "TOKEN", description = "The scrip token (base64url).")
  String token;

  @Option(names = "--json", description = "Print the fields as one JSON object.")
  boolean json;

  /** Created by picocli. */
  public InspectCommand() {}

  @Override
  public Integer call() throws JsonProcessingException {
    Scrip scrip;
    try {
      scrip = ScripCodec.fromToken(token.strip());
    } catch (MalformedException e) {
      spec.commandLine().getErr().println("millicent: malformed scrip: " + e.getMessage());
      return 2;
    }
    ScripReport report =
        new ScripReport(scrip, ScripCodec.encode(scrip).length, InstantSource.system().instant());
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      out.println(
          new ObjectMapper()
              .enable(SerializationFeature.INDENT_OUTPUT)
              .writeValueAsString(report.fields()));
    } else {
      out.print(report.text());
    }
    out.flush();
    return 0;
  }
}
