package org.millicent.cli.broker;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.millicent.cli.admin.AdminCommands;
import org.millicent.cli.admin.AdminFailure;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code millicent broker licences}: the licences a running broker mints under ({@code list}, the
 * default; secrets are never shown) and {@code import FILE} for a licence file from a vendor.
 */
@Command(
    name = "licences",
    description = {
      "Lists the licences a running broker holds.",
      "The import subcommand adds a licence file."
    },
    subcommands = {LicencesCommand.Import.class})
public final class LicencesCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin AdminClient admin;

  /** Created by picocli. */
  public LicencesCommand() {}

  @Override
  public Integer call() {
    return AdminCommands.run(
        spec,
        "millicent broker licences",
        out -> {
          JsonNode n = admin.get("/broker/admin/licences");
          if (admin.printedAsJson(out, n)) {
            return;
          }
          for (JsonNode l : n.path("licences")) {
            if (l.path("licence_id").isNull()) {
              out.printf(Locale.ROOT, "%-20s no licence yet%n", l.path("vendor").asText());
            } else {
              out.printf(
                  Locale.ROOT,
                  "%-20s licence %s: key ids %s, customer selector %d, discount %d bps,"
                      + " scrip lives %d s%n",
                  l.path("vendor").asText(),
                  l.path("licence_id").asText(),
                  l.path("key_ids"),
                  l.path("customer_selector").asInt(),
                  l.path("discount_bps").asInt(),
                  l.path("scrip_lifetime_seconds").asLong());
            }
          }
        });
  }

  /** {@code millicent broker licences import FILE}. */
  @Command(
      name = "import",
      description = {
        "Imports a licence file.",
        "The file is the JSON a vendor's POST /millicent/admin/licences returns."
      })
  public static final class Import implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin AdminClient admin;

    @Parameters(paramLabel = "FILE", description = "The licence file.")
    Path file;

    /** Created by picocli. */
    public Import() {}

    @Override
    public Integer call() {
      return AdminCommands.run(
          spec,
          "millicent broker licences import",
          out -> {
            byte[] body;
            try {
              body = Files.readAllBytes(file);
            } catch (IOException e) {
              throw new AdminFailure("cannot read " + file, true);
            }
            JsonNode n = admin.post("/broker/admin/licences", body);
            out.printf(
                Locale.ROOT,
                "licence %s for %s is in force%n",
                n.path("licence_id").asText(),
                n.path("vendor").asText());
          });
    }
  }
}
