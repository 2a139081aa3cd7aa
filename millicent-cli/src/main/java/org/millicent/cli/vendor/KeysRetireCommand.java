package org.millicent.cli.vendor;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.millicent.cli.admin.AdminCommands;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code millicent vendor keys retire ID [--force]}. */
@Command(
    name = "retire",
    description = {
      "Retires a key: its scrip is refused as unknown-key from now on.",
      "Refused for the primary (rotate first), a licence's key (revoke the licence), and a key"
          + " whose scrip may still be valid unless --force (a leaked key: customers lose it)."
    })
public final class KeysRetireCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin KeysTarget target;

  @Parameters(paramLabel = "ID", description = "The key id, 0 to 255.")
  int keyId;

  @Option(
      names = "--force",
      description =
          "Retire even though scrip under the key may still be valid: its holders lose it.")
  boolean force;

  /** Created by picocli. */
  public KeysRetireCommand() {}

  @Override
  public Integer call() {
    return AdminCommands.run(
        spec,
        "millicent vendor keys retire",
        out -> {
          JsonNode n =
              target.url != null
                  ? target.call(
                      "POST",
                      "/millicent/admin/keys/" + keyId + "/retire",
                      force ? "{\"force\": true}".getBytes(StandardCharsets.UTF_8) : new byte[0])
                  : target.offline(k -> k.retire(keyId, force).toMap());
          if (target.printedAsJson(out, n)) {
            return;
          }
          out.printf(
              Locale.ROOT,
              "key %d is retired (since %s): scrip under it is refused as unknown-key%n",
              n.path("key_id").asInt(),
              n.path("retired_at").asText());
        });
  }
}
