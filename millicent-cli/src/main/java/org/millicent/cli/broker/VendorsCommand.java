package org.millicent.cli.broker;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.millicent.cli.Counts;
import org.millicent.cli.admin.AdminCommands;
import org.millicent.money.Amounts;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code millicent broker vendors}: the vendors a running broker sells, with what it sold and owes
 * each ({@code list}, the default), and the settlement trigger ({@code settle VENDOR}).
 */
@Command(
    name = "vendors",
    description = "Lists the vendors a running broker sells, or settles with one.",
    subcommands = {VendorsCommand.Settle.class})
public final class VendorsCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin AdminClient admin;

  /** Created by picocli. */
  public VendorsCommand() {}

  @Override
  public Integer call() {
    return AdminCommands.run(
        spec,
        "millicent broker vendors",
        out -> {
          JsonNode n = admin.get("/broker/admin/vendors");
          if (admin.printedAsJson(out, n)) {
            return;
          }
          if (n.path("vendors").isEmpty()) {
            out.println(
                "the broker at "
                    + admin.target().url()
                    + " sells no vendor's scrip: vendors are listed in its configuration"
                    + " (docs/BROKER.md)");
          }
          for (JsonNode v : n.path("vendors")) {
            JsonNode s = v.path("statement");
            out.printf(
                Locale.ROOT,
                "%-20s %-9s %-40s discount %d bps%s%n",
                v.path("vendor").asText(),
                v.path("supply").asText(),
                v.path("url").asText(),
                v.path("discount_bps").asInt(),
                v.hasNonNull("licence_id") ? "  licence " + v.path("licence_id").asText() : "");
            out.printf(
                Locale.ROOT,
                "    this period %s: sold %s (%s), settled %s (%s), payable %s,"
                    + " outstanding %s%n",
                s.path("period").asText(),
                Counts.of(s.path("sold_pieces").asLong(), "piece"),
                Amounts.format(s.path("sold_millicents").asLong()),
                Counts.of(s.path("settled_pieces").asLong(), "piece"),
                Amounts.format(s.path("settled_paid_millicents").asLong()),
                Amounts.format(s.path("payable_millicents").asLong()),
                Amounts.format(s.path("outstanding_millicents").asLong()));
          }
        });
  }

  /** {@code millicent broker vendors settle VENDOR}: pulls the vendor's report and settles it. */
  @Command(
      name = "settle",
      description = {
        "Settles with a licensed vendor for the scrip it received.",
        "Pulls the vendor's received-IDs report: each ID issued by this broker and not settled"
            + " before is paid once, at value x (1 - discount)."
      })
  public static final class Settle implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin AdminClient admin;

    @Parameters(paramLabel = "VENDOR", description = "The vendor to settle with.")
    String vendor;

    /** Created by picocli. */
    public Settle() {}

    @Override
    public Integer call() {
      return AdminCommands.run(
          spec,
          "millicent broker vendors settle",
          out -> {
            JsonNode n = admin.post("/broker/admin/settlements/" + vendor, new byte[0]);
            if (admin.printedAsJson(out, n)) {
              return;
            }
            out.printf(
                Locale.ROOT,
                "settled with %s: %d accepted, %d rejected, paid %s%n",
                vendor,
                n.path("accepted").size(),
                n.path("rejected").size(),
                Amounts.format(n.path("paid_millicents").asLong()));
            for (JsonNode r : n.path("rejected")) {
              out.printf(
                  Locale.ROOT,
                  "  rejected %s: %s%n",
                  r.path("scrip_id").asText(),
                  r.path("code").asText());
            }
          });
    }
  }
}
