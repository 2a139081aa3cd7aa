package org.millicent.cli.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.millicent.failure.Causes;

/**
 * The one HTTP call of every admin command, to the broker's or the vendor's admin endpoints: the
 * bearer token, the timeouts, and the answer read as a JSON object, a refusal (a problem document)
 * turned into an {@link AdminFailure} that says the problem's code and detail. Stateless.
 */
public final class AdminHttp {
  /** Reads the answers; writes {@code --json} output and offline answers. */
  public static final ObjectMapper JSON = new ObjectMapper();

  private AdminHttp() {}

  /**
   * Sends {@code request} to {@code uri} with {@code token} and returns the answer.
   *
   * @param who the server, for messages (e.g. {@code the vendor})
   * @param unreachable the message when the server cannot be reached, given the failure's
   *     description
   * @throws AdminFailure when the server cannot be reached, answers something other than a JSON
   *     object, or refuses (usage for 400 and 404)
   */
  public static JsonNode send(
      HttpRequest.Builder request,
      URI uri,
      String token,
      String who,
      Function<String, String> unreachable)
      throws AdminFailure {
    HttpResponse<byte[]> r;
    try (HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build()) {
      r =
          http.send(
              request
                  .uri(uri)
                  .timeout(Duration.ofSeconds(60))
                  .header("Authorization", "Bearer " + token)
                  .build(),
              HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      throw new AdminFailure(unreachable.apply(Causes.describe(e)), false);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AdminFailure("interrupted", false);
    }
    JsonNode n = parse(r.body());
    if (n == null || (r.statusCode() / 100 == 2 && !n.isObject())) {
      throw new AdminFailure(
          who + " answered " + r.statusCode() + " with something that is not JSON", false);
    }
    if (r.statusCode() / 100 != 2) {
      throw new AdminFailure(
          who
              + " refused: "
              + n.path("code").asText("?")
              + " ("
              + r.statusCode()
              + "): "
              + n.path("detail").asText(""),
          r.statusCode() == 400 || r.statusCode() == 404);
    }
    return n;
  }

  private static @Nullable JsonNode parse(byte[] body) {
    try {
      return JSON.readTree(body);
    } catch (IOException e) {
      return null;
    }
  }

  /**
   * With {@code json} ({@code --json}), prints {@code n} as it is, indented, and says so: the
   * command then prints nothing else.
   */
  public static boolean printedAsJson(boolean json, PrintWriter out, JsonNode n) {
    if (json) {
      out.println(pretty(n));
    }
    return json;
  }

  private static String pretty(JsonNode n) {
    try {
      return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(n);
    } catch (IOException e) {
      return n.toString();
    }
  }
}
