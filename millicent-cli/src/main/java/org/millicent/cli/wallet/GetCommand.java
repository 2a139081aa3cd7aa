package org.millicent.cli.wallet;

import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import org.millicent.failure.Causes;
import org.millicent.money.Amounts;
import org.millicent.wallet.Wallet;
import org.millicent.wallet.WalletTotals;
import org.millicent.wallet.http.Request;
import org.millicent.wallet.http.Response;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code millicent wallet get URL}: fetches a priced resource, paying within the budget (buying
 * scrip from a broker the vendor names when needed); the body goes to standard output or a file,
 * what was paid to standard error. Exits 0 on a 2xx answer, 1 otherwise.
 */
@Command(
    name = "get",
    description = {
      "Fetches a resource, paying for it as needed within the budget.",
      "The body goes to standard output (or -o FILE), what was paid to standard error."
    })
public final class GetCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin WalletDir wallet;

  @Parameters(index = "0", paramLabel = "URL", description = "The resource (http or https).")
  URI url;

  @Option(
      names = {"-o", "--output"},
      paramLabel = "FILE",
      description = "Write the body to FILE.")
  @Nullable Path output;

  @Option(
      names = {"-i", "--include"},
      description = "Print the status line and headers before the body.")
  boolean include;

  /** Created by picocli. */
  public GetCommand() {}

  @Override
  public Integer call() throws InterruptedException {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Request request;
    try {
      request = Request.get(url);
    } catch (IllegalArgumentException e) {
      err.println("millicent wallet get: " + Causes.describe(e));
      return 2;
    }
    try (Wallet w = wallet.open()) {
      WalletTotals before = w.totals();
      Response r = w.httpClient().send(request);
      WalletTotals after = w.totals();
      long paid = after.paidMillicents() - before.paidMillicents();
      long bought = after.boughtMillicents() - before.boughtMillicents();
      if (bought > 0) {
        err.println("bought " + Amounts.format(bought) + " of scrip from a broker");
      }
      if (paid > 0) {
        err.println(
            "paid "
                + Amounts.format(paid)
                + "; the wallet now holds "
                + Amounts.format(after.heldMillicents())
                + " of scrip");
      }
      if (include) {
        out.println("HTTP/1.1 " + r.status());
        r.headers().map().forEach((k, vs) -> vs.forEach(v -> out.println(k + ": " + v)));
        out.println();
      }
      writeBody(r, out);
      if (r.status() / 100 != 2) {
        err.println("millicent wallet get: " + url + " answered " + r.status());
        return 1;
      }
      return 0;
    } catch (IOException e) {
      err.println(
          "millicent wallet get: could not reach "
              + url
              + ": "
              + (e instanceof java.net.ConnectException
                  ? "nothing answers there (connection refused); is the vendor running?"
                  : Causes.describe(e)));
      return 1;
    } catch (RuntimeException e) {
      return WalletDir.fail(err, "millicent wallet get", e);
    } finally {
      err.flush();
    }
  }

  private void writeBody(Response r, PrintWriter out) throws IOException {
    byte[] body = r.body();
    if (output != null) {
      Files.write(output, body);
      spec.commandLine()
          .getErr()
          .println("wrote " + body.length + " bytes to " + output.toAbsolutePath());
      return;
    }
    String type = r.header("Content-Type").orElse("").toLowerCase(Locale.ROOT);
    boolean text =
        type.isEmpty()
            || type.startsWith("text/")
            || type.contains("json")
            || type.contains("xml")
            || type.contains("javascript");
    if (text) {
      out.print(new String(body, StandardCharsets.UTF_8));
      out.flush();
    } else {
      out.flush();
      PrintStream raw = System.out;
      raw.write(body);
      raw.flush();
    }
  }
}
