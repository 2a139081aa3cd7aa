package org.millicent.cli.broker;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;
import org.millicent.broker.BrokerServer;
import org.millicent.cli.admin.AdminFailure;
import org.millicent.cli.admin.AdminHttp;
import org.millicent.cli.admin.AdminTokens;
import org.millicent.failure.Causes;
import picocli.CommandLine.Option;

/**
 * The options and HTTP calls every admin command shares: the broker's URL and its admin token, read
 * from the environment ({@code MILLICENT_BROKER_ADMIN_TOKEN}), a token file, or the data folder's
 * {@code admin-token} — never from the command line, where other users could see it. Without {@code
 * --url} it calls the broker the data folder belongs to, at the URL that broker recorded in {@code
 * DIR/url} when it started. A picocli mixin; not thread-safe.
 */
public final class AdminClient {
  /** The environment variable that may hold the admin token. */
  public static final String TOKEN_VARIABLE = "MILLICENT_BROKER_ADMIN_TOKEN";

  /** Where the admin commands look when neither {@code --url} nor a recorded URL says. */
  static final URI DEFAULT_URL = URI.create("http://127.0.0.1:8081");

  @Option(
      names = "--url",
      paramLabel = "URL",
      description =
          "The broker's base URL (default: the URL the broker running with --data DIR recorded in"
              + " DIR/url, else http://127.0.0.1:8081).")
  @Nullable URI url;

  @Option(
      names = "--data",
      paramLabel = "DIR",
      defaultValue = "millicent-broker-data",
      description =
          "The broker's data folder, to read admin-token from (default: ${DEFAULT-VALUE}).")
  Path data;

  @Option(
      names = "--admin-token-file",
      paramLabel = "FILE",
      description = "A file holding the admin token (instead of DIR/admin-token).")
  @Nullable Path tokenFile;

  @Option(names = "--json", description = "Print the broker's JSON answer as it is.")
  boolean json;

  /** Created by picocli. */
  public AdminClient() {}

  private String token() throws AdminFailure {
    String env = AdminTokens.fromEnvironment(TOKEN_VARIABLE);
    if (env != null) {
      return env;
    }
    Path f = tokenFile != null ? tokenFile : data.resolve("admin-token");
    return AdminTokens.fromFile(f, TOKEN_VARIABLE, "--admin-token-file or --data");
  }

  JsonNode get(String path) throws AdminFailure {
    return call(HttpRequest.newBuilder().GET(), path);
  }

  JsonNode post(String path, byte[] body) throws AdminFailure {
    return call(
        HttpRequest.newBuilder()
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofByteArray(body)),
        path);
  }

  /** The broker to call and how it was chosen, for messages. */
  record Target(URI url, String source) {}

  /**
   * The broker to call: {@code --url}, else the URL recorded in the data folder by the broker
   * running there, else the default port.
   */
  Target target() {
    if (url != null) {
      return new Target(url, "given by --url");
    }
    Path f = data.resolve(BrokerServer.URL_FILE);
    try {
      String recorded = Files.readString(f, StandardCharsets.US_ASCII).strip();
      return new Target(
          URI.create(recorded), "recorded in " + f + " by the broker using that folder");
    } catch (NoSuchFileException e) {
      return new Target(
          DEFAULT_URL,
          "the default: no broker running with --data " + data + " has recorded its URL in " + f);
    } catch (IOException | IllegalArgumentException e) {
      return new Target(
          DEFAULT_URL, "the default: " + f + " could not be read (" + Causes.describe(e) + ")");
    }
  }

  private JsonNode call(HttpRequest.Builder b, String path) throws AdminFailure {
    Target target = target();
    return AdminHttp.send(
        b,
        target.url().resolve(path),
        token(),
        "the broker at " + target.url(),
        failure ->
            "cannot reach the broker at "
                + target.url()
                + " ("
                + target.source()
                + "): "
                + failure
                + ". Start it with `millicent broker serve --data "
                + data
                + "`, or name it with --url.");
  }

  /** With {@code --json}, prints {@code n} as it is and says so. */
  boolean printedAsJson(PrintWriter out, JsonNode n) {
    return AdminHttp.printedAsJson(json, out, n);
  }
}
