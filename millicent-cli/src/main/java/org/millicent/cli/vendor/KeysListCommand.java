package org.millicent.cli.vendor;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import org.millicent.cli.admin.AdminCommands;
import org.millicent.vendor.VendorKeys;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code millicent vendor keys list}. */
@Command(
    name = "list",
    description = {
      "Lists every key with its state and dates.",
      "Also until when its scrip may be valid and how much it was used."
    })
public final class KeysListCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin KeysTarget target;

  /** Created by picocli. */
  public KeysListCommand() {}

  @Override
  public Integer call() {
    return AdminCommands.run(
        spec,
        "millicent vendor keys list",
        out -> {
          JsonNode n =
              target.url != null
                  ? target.call("GET", "/millicent/admin/keys", new byte[0])
                  : target.offline(
                      k -> Map.of("keys", k.list().stream().map(VendorKeys.Key::toMap).toList()));
          if (target.printedAsJson(out, n)) {
            return;
          }
          out.printf(
              Locale.ROOT,
              "%-4s %-8s %-21s %-21s %-21s %-21s %10s %8s %s%n",
              "KEY",
              "STATE",
              "CREATED",
              "STOPPED MINTING",
              "VALID UNTIL",
              "RETIRED",
              "MAX ISSUED",
              "SPENT",
              "LICENCE");
          for (JsonNode k : n.path("keys")) {
            String state = k.path("state").asText();
            String validUntil =
                switch (state) {
                  case "primary" -> "(mints)";
                  case "retired" -> "-";
                  default ->
                      or(k.get("expires_by"), k.path("licence_id").isTextual() ? "(licence)" : "?");
                };
            out.printf(
                Locale.ROOT,
                "%-4d %-8s %-21s %-21s %-21s %-21s %10d %8d %s%n",
                k.path("key_id").asInt(),
                state,
                or(k.get("created_at"), "?"),
                or(k.get("demoted_at"), "-"),
                validUntil,
                or(k.get("retired_at"), "-"),
                k.path("serials_reserved_to").asLong(),
                k.path("spends_recorded").asLong(),
                k.path("licence_id").isTextual()
                    ? k.path("licence_id").asText() + " (" + k.path("broker").asText() + ")"
                    : "-");
          }
        });
  }

  private static String or(@Nullable JsonNode n, String dash) {
    return n == null || n.isNull() || n.isMissingNode() ? dash : n.asText();
  }
}
