package org.millicent.cli.broker;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import org.millicent.cli.Counts;
import org.millicent.cli.admin.AdminCommands;
import org.millicent.money.Amounts;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code millicent broker statements}: a customer's or a vendor's statement for a period, the
 * books' totals, and closing the periods that have ended.
 */
@Command(
    name = "statements",
    description = {
      "Shows a running broker's statements and books.",
      "Per customer, per vendor, the books' totals; close closes the periods that have ended."
    },
    subcommands = {
      StatementsCommand.Customer.class,
      StatementsCommand.Vendor.class,
      StatementsCommand.Books.class,
      StatementsCommand.Close.class
    })
public final class StatementsCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  /** Created by picocli. */
  public StatementsCommand() {}

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getErr());
    return 2;
  }

  /** The statement period a statement command shows. A picocli mixin; not thread-safe. */
  public static final class Period {
    @Option(names = "--period", paramLabel = "P", description = "YYYY-MM (default: current).")
    @Nullable String period;

    /** Created by picocli. */
    public Period() {}

    /** The query string that asks for the period, empty for the current one. */
    String query() {
      return period == null ? "" : "?period=" + URLEncoder.encode(period, StandardCharsets.UTF_8);
    }
  }

  /** {@code millicent broker statements customer ID [--period P]}. */
  @Command(name = "customer", description = "Shows a customer's charges per vendor and payments.")
  public static final class Customer implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin AdminClient admin;

    @Parameters(paramLabel = "ID", description = "The customer ID.")
    String id;

    @Mixin Period period;

    /** Created by picocli. */
    public Customer() {}

    @Override
    public Integer call() {
      return AdminCommands.run(
          spec,
          "millicent broker statements customer",
          out -> {
            JsonNode n = admin.get("/broker/admin/statements/customers/" + id + period.query());
            if (admin.printedAsJson(out, n)) {
              return;
            }
            out.printf(
                Locale.ROOT,
                "customer %s, period %s%s%n",
                n.path("customer_id").asText(),
                n.path("period").asText(),
                n.path("closed").asBoolean() ? " (closed)" : "");
            for (JsonNode c : n.path("charges")) {
              out.printf(
                  Locale.ROOT,
                  "  %-20s %12s %s%n",
                  c.path("vendor").asText(),
                  Counts.of(c.path("pieces").asLong(), "piece"),
                  Amounts.format(c.path("amount_millicents").asLong()));
            }
            out.printf(
                Locale.ROOT,
                "  charged %s, paid in %s, collected at close %s, expired unspent %s%n",
                Amounts.format(n.path("total_charged_millicents").asLong()),
                Amounts.format(n.path("payments_millicents").asLong()),
                Amounts.format(n.path("collected_millicents").asLong()),
                Amounts.format(n.path("expired_unspent_millicents").asLong()));
          });
    }
  }

  /** {@code millicent broker statements vendor VENDOR [--period P]}. */
  @Command(name = "vendor", description = "Shows a vendor's sales, settlements and amount payable.")
  public static final class Vendor implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin AdminClient admin;

    @Parameters(paramLabel = "VENDOR", description = "The vendor.")
    String vendor;

    @Mixin Period period;

    /** Created by picocli. */
    public Vendor() {}

    @Override
    public Integer call() {
      return AdminCommands.run(
          spec,
          "millicent broker statements vendor",
          out -> {
            JsonNode n = admin.get("/broker/admin/statements/vendors/" + vendor + period.query());
            if (admin.printedAsJson(out, n)) {
              return;
            }
            out.printf(
                Locale.ROOT,
                "vendor %s, period %s%n",
                n.path("vendor").asText(),
                n.path("period").asText());
            out.printf(
                Locale.ROOT,
                "  sold %s worth %s%n",
                Counts.of(n.path("sold_pieces").asLong(), "piece"),
                Amounts.format(n.path("sold_millicents").asLong()));
            out.printf(
                Locale.ROOT,
                "  settled %s worth %s, credited %s%n",
                Counts.of(n.path("settled_pieces").asLong(), "piece"),
                Amounts.format(n.path("settled_value_millicents").asLong()),
                Amounts.format(n.path("settled_paid_millicents").asLong()));
            out.printf(
                Locale.ROOT,
                "  payable now %s, outstanding now %s%n",
                Amounts.format(n.path("payable_millicents").asLong()),
                Amounts.format(n.path("outstanding_millicents").asLong()));
          });
    }
  }

  /** {@code millicent broker statements books}: the conservation invariant's totals. */
  @Command(
      name = "books",
      description = "Shows money in, scrip outstanding and redeemed, and balances.")
  public static final class Books implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin AdminClient admin;

    /** Created by picocli. */
    public Books() {}

    @Override
    public Integer call() {
      return AdminCommands.run(
          spec,
          "millicent broker statements books",
          out -> {
            JsonNode n = admin.get("/broker/admin/books");
            if (admin.printedAsJson(out, n)) {
              return;
            }
            out.printf(
                Locale.ROOT,
                "money in %s = outstanding %s + redeemed %s + breakage %s: %s%n",
                Amounts.format(n.path("money_in_millicents").asLong()),
                Amounts.format(n.path("outstanding_millicents").asLong()),
                Amounts.format(n.path("redeemed_millicents").asLong()),
                Amounts.format(n.path("breakage_millicents").asLong()),
                n.path("conserved").asBoolean() ? "conserved" : "NOT CONSERVED");
            n.path("breakage_by_period")
                .properties()
                .forEach(
                    e ->
                        out.printf(
                            Locale.ROOT,
                            "  breakage %-31s %s%n",
                            e.getKey(),
                            Amounts.format(e.getValue().asLong())));
            n.path("balances")
                .properties()
                .forEach(
                    e ->
                        out.printf(
                            Locale.ROOT,
                            "  %-40s %s%n",
                            e.getKey(),
                            Amounts.format(e.getValue().asLong())));
          });
    }
  }

  /** {@code millicent broker statements close}: closes every period that has ended. */
  @Command(name = "close", description = "Closes every statement period that has ended.")
  public static final class Close implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin AdminClient admin;

    /** Created by picocli. */
    public Close() {}

    @Override
    public Integer call() {
      return AdminCommands.run(
          spec,
          "millicent broker statements close",
          out -> {
            JsonNode n = admin.post("/broker/admin/statements/close", new byte[0]);
            if (admin.printedAsJson(out, n)) {
              return;
            }
            out.printf(Locale.ROOT, "closed %s%n", Counts.of(n.path("closed").size(), "statement"));
            for (JsonNode c : n.path("closed")) {
              out.printf(
                  Locale.ROOT,
                  "  customer %s %s: charged %s, collected %s%n",
                  c.path("customer_id").asText(),
                  c.path("period").asText(),
                  Amounts.format(c.path("charged_millicents").asLong()),
                  Amounts.format(c.path("collected_millicents").asLong()));
            }
          });
    }
  }
}
