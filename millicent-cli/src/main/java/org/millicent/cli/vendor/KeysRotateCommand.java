package org.millicent.cli.vendor;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.millicent.cli.admin.AdminCommands;
import org.millicent.vendor.VendorKeys;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code millicent vendor keys rotate}. */
@Command(
    name = "rotate",
    description = {
      "Makes a fresh key primary.",
      "The old one mints no more and keeps validating its scrip."
    })
public final class KeysRotateCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin KeysTarget target;

  /** Created by picocli. */
  public KeysRotateCommand() {}

  @Override
  public Integer call() {
    return AdminCommands.run(
        spec,
        "millicent vendor keys rotate",
        out -> {
          JsonNode n =
              target.url != null
                  ? target.call("POST", "/millicent/admin/keys/rotate", new byte[0])
                  : target.offline(
                      k -> {
                        VendorKeys.Rotation r = k.rotate();
                        return Map.of(
                            "primary", r.primary().toMap(), "previous", r.previous().toMap());
                      });
          if (target.printedAsJson(out, n)) {
            return;
          }
          int previous = n.at("/previous/key_id").asInt();
          out.printf(
              Locale.ROOT,
              "key %d is primary: new scrip and change are minted under it%n",
              n.at("/primary/key_id").asInt());
          out.printf(
              Locale.ROOT,
              "key %d mints no more; its scrip still pays and renews until %s%n",
              previous,
              n.at("/previous/expires_by").asText());
          out.printf(
              Locale.ROOT, "retire it after that: millicent vendor keys retire %d%n", previous);
        });
  }
}
