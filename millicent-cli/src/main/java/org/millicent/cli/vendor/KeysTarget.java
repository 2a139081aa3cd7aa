package org.millicent.cli.vendor;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.millicent.cli.admin.AdminFailure;
import org.millicent.cli.admin.AdminHttp;
import org.millicent.cli.admin.AdminTokens;
import org.millicent.failure.Causes;
import org.millicent.storage.StorageException;
import org.millicent.vendor.VendorKeys;
import org.millicent.vendor.VendorServer;
import org.millicent.vendor.config.ConfigException;
import org.millicent.vendor.config.VendorConfig;
import picocli.CommandLine.Option;

/**
 * Where the keys are: a running vendor's URL, or a stopped vendor's data folder and configuration.
 * The admin token comes from {@value KeysCommand#TOKEN_VARIABLE}, a token file, the configuration
 * or the data folder's {@code admin-token} — never from the command line, where other users could
 * see it. A picocli mixin; not thread-safe.
 */
public final class KeysTarget {
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
  public KeysTarget() {}

  private VendorConfig vendorConfig() throws AdminFailure {
    try {
      return config == null ? VendorConfig.sampleBuilder().build() : VendorConfig.load(config);
    } catch (ConfigException e) {
      throw new AdminFailure(Causes.describe(e), true);
    }
  }

  private String token() throws AdminFailure {
    String env = AdminTokens.fromEnvironment(KeysCommand.TOKEN_VARIABLE);
    if (env != null) {
      return env;
    }
    if (tokenFile == null && config != null) {
      String configured = vendorConfig().adminToken();
      if (configured != null) {
        return AdminTokens.checked(configured, String.valueOf(config));
      }
    }
    Path f = tokenFile != null ? tokenFile : data.resolve(VendorServer.ADMIN_TOKEN_FILE);
    return AdminTokens.fromFile(
        f, KeysCommand.TOKEN_VARIABLE, "--admin-token-file, --config or --data");
  }

  /** Calls the admin endpoint {@code path} of the vendor at {@code --url}. */
  JsonNode call(String method, String path, byte[] body) throws AdminFailure {
    URI base = url;
    if (base == null) {
      throw new AdminFailure("this needs the --url of a running vendor", true);
    }
    return AdminHttp.send(
        HttpRequest.newBuilder()
            .header("Content-Type", "application/json")
            .method(method, HttpRequest.BodyPublishers.ofByteArray(body)),
        base.resolve(path),
        token(),
        "the vendor",
        failure ->
            "cannot reach the vendor at "
                + base
                + ": "
                + failure
                + ". Is it running? Without --url the command works on a stopped vendor's --data"
                + " folder.");
  }

  /** Runs {@code change} on the keys of the stopped vendor of {@code --data}. */
  JsonNode offline(Function<VendorKeys, Object> change) throws AdminFailure {
    VendorConfig cfg = vendorConfig();
    try (VendorKeys keys = VendorKeys.offline(cfg, data)) {
      return AdminHttp.JSON.valueToTree(change.apply(keys));
    } catch (VendorKeys.Refused e) {
      throw new AdminFailure(
          Causes.describe(e),
          "bad-request".equals(e.code().code()) || "not-found".equals(e.code().code()));
    } catch (StorageException | UncheckedIOException e) {
      throw new AdminFailure(Causes.describe(e), false);
    }
  }

  /** With {@code --json}, prints {@code n} as it is and says so. */
  boolean printedAsJson(PrintWriter out, JsonNode n) {
    return AdminHttp.printedAsJson(json, out, n);
  }
}
