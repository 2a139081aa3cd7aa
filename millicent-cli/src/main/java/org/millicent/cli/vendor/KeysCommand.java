package org.millicent.cli.vendor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import org.millicent.failure.Causes;
import org.millicent.storage.StorageException;
import org.millicent.vendor.VendorKeys;
import org.millicent.vendor.VendorServer;
import org.millicent.vendor.config.ConfigException;
import org.millicent.vendor.config.VendorConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code millicent vendor keys list|rotate|retire ID}: the vendor's master scrip secrets
 * (docs/VENDOR-KEYS.md). With {@code --url} it calls a running vendor's admin endpoints; without,
 * it changes the database of a stopped vendor's data folder, which it holds locked meanwhile. A
 * folder a running vendor holds is refused with a message saying to give its {@code --url}.
 */
@Command(
    name = "keys",
    description = {
      "The vendor's master scrip secrets: list, rotate, retire.",
      "With --url, through a running vendor's admin endpoints; without, on the data folder of a"
          + " stopped vendor (--data, and --config for its database)."
    },
    subcommands = {
      KeysCommand.ListCommand.class,
      KeysCommand.RotateCommand.class,
      KeysCommand.RetireCommand.class
    })
public final class KeysCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  /** Created by picocli. */
  public KeysCommand() {}

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getErr());
    return 2;
  }

  /** The environment variable that may hold the vendor's admin token. */
  public static final String TOKEN_VARIABLE = "MILLICENT_VENDOR_ADMIN_TOKEN";

  private static final ObjectMapper JSON = new ObjectMapper();

  /** A failed call: the message says what and why; {@code usage} for exit code 2. */
  static final class Failure extends Exception {
    private static final long serialVersionUID = 1L;
    final boolean usage;

    Failure(String message, boolean usage) {
      super(message);
      this.usage = usage;
    }
  }

  /**
   * Where the keys are: a running vendor's URL, or a stopped vendor's data folder and
   * configuration. The admin token comes from {@value #TOKEN_VARIABLE}, a token file, the
   * configuration or the data folder's {@code admin-token} — never from the command line, where
   * other users could see it. A picocli mixin; not thread-safe.
   */
  public static final class Target {
    @Option(
        names = "--url",
        paramLabel = "URL",
        description =
            "A running vendor's base URL: change its keys through its admin endpoints. Without"
                + " it, the vendor of --data must be stopped.")
    @Nullable URI url;

    @Option(
        names = "--data",
        paramLabel = "DIR",
        defaultValue = "millicent-vendor-data",
        description =
            "The vendor's data folder: its database when stopped, and its admin-token (default:"
                + " ${DEFAULT-VALUE}).")
    Path data;

    @Option(
        names = "--config",
        paramLabel = "FILE",
        description =
            "The vendor's YAML configuration, as given to vendor serve: its database and scrip"
                + " lifetime (default: the sample configuration).")
    @Nullable Path config;

    @Option(
        names = "--admin-token-file",
        paramLabel = "FILE",
        description = "A file holding the admin token (instead of DIR/admin-token).")
    @Nullable Path tokenFile;

    @Option(names = "--json", description = "Print the JSON answer as it is.")
    boolean json;

    /** Created by picocli. */
    public Target() {}

    private VendorConfig vendorConfig() throws Failure {
      try {
        return config == null ? VendorConfig.sampleBuilder().build() : VendorConfig.load(config);
      } catch (ConfigException e) {
        throw new Failure(Causes.describe(e), true);
      }
    }

    private String token() throws Failure {
      String env = System.getenv(TOKEN_VARIABLE);
      if (env != null && !env.isBlank()) {
        return checked(env.strip(), TOKEN_VARIABLE);
      }
      if (tokenFile == null && config != null) {
        String configured = vendorConfig().adminToken();
        if (configured != null) {
          return checked(configured, String.valueOf(config));
        }
      }
      Path f = tokenFile != null ? tokenFile : data.resolve(VendorServer.ADMIN_TOKEN_FILE);
      String read;
      try {
        read = Files.readString(f, StandardCharsets.US_ASCII).strip();
      } catch (IOException e) {
        throw new Failure(
            "cannot read the admin token from "
                + f
                + " (set "
                + TOKEN_VARIABLE
                + ", --admin-token-file, --config or --data)",
            true);
      }
      return checked(read, f.toString());
    }

    private static String checked(String token, String source) throws Failure {
      String problem = org.millicent.cli.AdminTokens.problem(token, source);
      if (problem != null) {
        throw new Failure(problem, true);
      }
      return token;
    }

    /** Calls the admin endpoint {@code path} of the vendor at {@code --url}. */
    JsonNode call(String method, String path, byte[] body) throws Failure {
      URI base = url;
      if (base == null) {
        throw new Failure("this needs the --url of a running vendor", true);
      }
      URI uri = base.resolve(path);
      HttpResponse<byte[]> r;
      try (HttpClient http =
          HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build()) {
        r =
            http.send(
                HttpRequest.newBuilder(uri)
                    .timeout(Duration.ofSeconds(60))
                    .header("Authorization", "Bearer " + token())
                    .header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofByteArray(body))
                    .build(),
                HttpResponse.BodyHandlers.ofByteArray());
      } catch (IOException e) {
        throw new Failure(
            "cannot reach the vendor at "
                + url
                + ": "
                + Causes.describe(e)
                + ". Is it running? Without --url the command works on a stopped vendor's --data"
                + " folder.",
            false);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new Failure("interrupted", false);
      }
      JsonNode n;
      try {
        n = JSON.readTree(r.body());
      } catch (IOException e) {
        n = null;
      }
      if (n == null || (r.statusCode() / 100 == 2 && !n.isObject())) {
        throw new Failure(
            "the vendor answered " + r.statusCode() + " with something that is not JSON", false);
      }
      if (r.statusCode() / 100 != 2) {
        throw new Failure(
            "the vendor refused: "
                + n.path("code").asText("?")
                + " ("
                + r.statusCode()
                + "): "
                + n.path("detail").asText(""),
            r.statusCode() == 400 || r.statusCode() == 404);
      }
      return n;
    }

    /** Runs {@code change} on the keys of the stopped vendor of {@code --data}. */
    JsonNode offline(java.util.function.Function<VendorKeys, Object> change) throws Failure {
      VendorConfig cfg = vendorConfig();
      try (VendorKeys keys = VendorKeys.offline(cfg, data)) {
        return JSON.valueToTree(change.apply(keys));
      } catch (VendorKeys.Refused e) {
        throw new Failure(
            Causes.describe(e),
            "bad-request".equals(e.code().code()) || "not-found".equals(e.code().code()));
      } catch (StorageException | java.io.UncheckedIOException e) {
        throw new Failure(Causes.describe(e), false);
      }
    }

    String pretty(JsonNode n) {
      try {
        return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(n);
      } catch (IOException e) {
        return n.toString();
      }
    }
  }

  /** One call that prints its result. */
  @FunctionalInterface
  interface Call {
    void run(PrintWriter out) throws Failure;
  }

  /** Runs {@code call}: 0 when it succeeds, 2 for usage or bad input, 1 otherwise. */
  static int run(CommandSpec spec, String name, Call call) {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    try {
      call.run(out);
      out.flush();
      return 0;
    } catch (Failure e) {
      err.println("millicent vendor keys " + name + ": " + e.getMessage());
      return e.usage ? 2 : 1;
    }
  }

  private static String or(JsonNode n, String dash) {
    return n == null || n.isNull() || n.isMissingNode() ? dash : n.asText();
  }

  /** {@code millicent vendor keys list}. */
  @Command(
      name = "list",
      description = {
        "Lists every key with its state and dates.",
        "Also until when its scrip may be valid and how much it was used."
      })
  public static final class ListCommand implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin Target target;

    /** Created by picocli. */
    public ListCommand() {}

    @Override
    public Integer call() {
      return run(
          spec,
          "list",
          out -> {
            JsonNode n =
                target.url != null
                    ? target.call("GET", "/millicent/admin/keys", new byte[0])
                    : target.offline(
                        k -> Map.of("keys", k.list().stream().map(VendorKeys.Key::toMap).toList()));
            if (target.json) {
              out.println(target.pretty(n));
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
                        or(
                            k.get("expires_by"),
                            k.path("licence_id").isTextual() ? "(licence)" : "?");
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
  }

  /** {@code millicent vendor keys rotate}. */
  @Command(
      name = "rotate",
      description = {
        "Makes a fresh key primary.",
        "The old one mints no more and keeps validating its scrip."
      })
  public static final class RotateCommand implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin Target target;

    /** Created by picocli. */
    public RotateCommand() {}

    @Override
    public Integer call() {
      return run(
          spec,
          "rotate",
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
            if (target.json) {
              out.println(target.pretty(n));
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

  /** {@code millicent vendor keys retire ID [--force]}. */
  @Command(
      name = "retire",
      description = {
        "Retires a key: its scrip is refused as unknown-key from now on.",
        "Refused for the primary (rotate first), a licence's key (revoke the licence), and a key"
            + " whose scrip may still be valid unless --force (a leaked key: customers lose it)."
      })
  public static final class RetireCommand implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin Target target;

    @Parameters(paramLabel = "ID", description = "The key id, 0 to 255.")
    int keyId;

    @Option(
        names = "--force",
        description =
            "Retire even though scrip under the key may still be valid: its holders lose it.")
    boolean force;

    /** Created by picocli. */
    public RetireCommand() {}

    @Override
    public Integer call() {
      return run(
          spec,
          "retire",
          out -> {
            JsonNode n =
                target.url != null
                    ? target.call(
                        "POST",
                        "/millicent/admin/keys/" + keyId + "/retire",
                        force ? "{\"force\": true}".getBytes(StandardCharsets.UTF_8) : new byte[0])
                    : target.offline(k -> k.retire(keyId, force).toMap());
            if (target.json) {
              out.println(target.pretty(n));
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
}
