package org.millicent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.millicent.cli.ApiScenario.Account;
import org.millicent.cli.ApiScenario.Answer;
import org.millicent.cli.ApiScenario.Exchange;
import org.millicent.keys.CustomerSecret;
import org.millicent.vendor.VendorServer;
import org.millicent.vendor.config.BrokerConfig;
import org.millicent.vendor.config.VendorConfig;

/**
 * docs/openapi/vendor.yaml and broker.yaml against the real servers (issue 17, "Described for
 * machines"): the scripted day of {@link ApiScenario} (every endpoint of docs/HTTP-API.md) and the
 * main refusals below are sent to a running vendor and broker, and every answer must be one its
 * description declares: the status for that operation, the media type, the required headers and the
 * body by the schema. Every operation of both descriptions must have been exercised, and the main
 * problem codes seen.
 */
class OpenApiIT {
  /** Codes the scripted requests must have met, each validated against its response schema. */
  private static final Set<String> CODES =
      Set.of(
          "payment-required",
          "spent",
          "wrong-customer",
          "malformed",
          "bad-request",
          "bad-path",
          "bad-amount",
          "unauthorized",
          "credit-limit",
          "not-found",
          "unknown-vendor",
          "method-not-allowed",
          "replayed",
          "vendor-exists",
          "unknown-authority");

  @TempDir java.nio.file.Path dir;

  private ApiScenario scenario;
  private VendorServer vera;

  @AfterEach
  void stop() {
    if (vera != null) {
      vera.close();
    }
    if (scenario != null) {
      scenario.close();
    }
  }

  @Test
  void everyAnswerOfTheScriptedDay_isOneTheOpenApiDescriptionsDeclare() throws Exception {
    scenario = new ApiScenario(dir);
    scenario.exercise();
    refusals();
    Map<String, OpenApiSpec> specs =
        Map.of("vendor", OpenApiSpec.load("vendor"), "broker", OpenApiSpec.load("broker"));

    List<String> failures = new ArrayList<>();
    Set<String> exercised = new TreeSet<>();
    Set<String> codes = new TreeSet<>();
    for (Exchange e : scenario.traffic()) {
      List<String> operation = new ArrayList<>();
      failures.addAll(
          specs.get(e.server()).check(e.method(), e.target(), e.body(), e.answer(), operation));
      if (!operation.isEmpty()) {
        exercised.add(e.server() + " " + operation.get(0) + " " + operation.get(1));
      }
      String type = e.answer().header("Content-Type");
      if (type != null
          && type.startsWith("application/problem+json")
          && e.answer().body().length > 0) {
        codes.add(e.answer().json().path("code").asText());
      }
    }
    assertThat(failures).as("answers the OpenAPI descriptions do not declare").isEmpty();

    Set<String> never = new TreeSet<>();
    for (Map.Entry<String, OpenApiSpec> s : specs.entrySet()) {
      for (String op : s.getValue().operations()) {
        if (!exercised.contains(s.getKey() + " " + op)) {
          never.add(s.getKey() + " " + op);
        }
      }
    }
    assertThat(never).as("operations no scripted request exercised").isEmpty();
    assertThat(codes).as("problem codes met").containsAll(CODES);
  }

  @Test
  void everyRouteTheServersAnswer_isDescribed_andEveryDescribedOperationIsRouted()
      throws Exception {
    scenario = new ApiScenario(dir);
    scenario.startServers();
    assertThat(operations(scenario.venetia.routes()))
        .as("the vendor's routes")
        .isEqualTo(operations(OpenApiSpec.load("vendor").operations()));
    assertThat(operations(scenario.broker.routes()))
        .as("the broker's routes")
        .isEqualTo(operations(OpenApiSpec.load("broker").operations()));
  }

  /**
   * Routes or operations as "METHOD /path" with every parameter written {@code {}}: the vendor's
   * catch-all ({@code /*} and {@code /}) is the described {@code /{content}}; a HEAD route stands
   * beside its GET (described once).
   */
  private static Set<String> operations(List<String> routes) {
    Set<String> out = new TreeSet<>();
    for (String r : routes) {
      String method = r.substring(0, r.indexOf(' '));
      String path = r.substring(r.indexOf(' ') + 1);
      if (path.equals("/*") || (path.equals("/") && routes.contains(method + " /*"))) {
        path = "/{}";
      }
      path = path.replaceAll("\\{[^}]+}", "{}");
      if (method.equals("HEAD")) {
        assertThat(routes).as("the GET beside " + r).contains("GET " + r.substring(5));
        continue;
      }
      out.add(method + " " + path);
    }
    return out;
  }

  /** The main refusals of both servers, and the endpoints the scripted day leaves out. */
  private void refusals() throws Exception {
    URI v = scenario.venetia.url();
    URI b = scenario.broker.url();
    Map<String, String> vendorAdmin = ApiScenario.bearer(scenario.venetia.adminToken());
    Map<String, String> brokerAdmin = ApiScenario.bearer(scenario.broker.adminToken());

    // Each server serves its description as it is in docs/openapi/.
    for (URI base : List.of(v, b)) {
      String name = base.equals(b) ? "broker" : "vendor";
      Answer served = scenario.send("GET", base, "/.well-known/openapi.yaml");
      assertThat(served.text())
          .as(name + " /.well-known/openapi.yaml")
          .isEqualTo(Files.readString(OpenApiSpec.file(name)));
      scenario.send("HEAD", base, "/.well-known/openapi.yaml");
    }

    // Vendor: operations, the client modules, the paywall, refusals.
    scenario.send("GET", v, "/metrics");
    scenario.send("GET", v, "/millicent/client/index.js");
    scenario.send("GET", v, "/millicent/client/nothing.js");
    scenario.send("GET", v, "/pages/1", Map.of("Accept", "text/html,*/*;q=0.8"), null);
    scenario.send("HEAD", v, "/pages/1");
    // head-not-payable: a HEAD carries no body to read the code from; its 405 and Allow say it.
    Answer paidHead =
        scenario.send("HEAD", v, "/pages/1", Map.of("Authorization", "Millicent v=2"), null);
    assertThat(paidHead.status()).isEqualTo(405);
    assertThat(paidHead.header("Allow")).isEqualTo("GET");
    scenario.send("PUT", v, "/orders", Map.of(), "{}".getBytes(StandardCharsets.UTF_8));
    scenario.send("PATCH", v, "/free/notes", Map.of(), "{}".getBytes(StandardCharsets.UTF_8));
    scenario.send("DELETE", v, "/orders");
    scenario.send("POST", v, "/health", Map.of(), "{}".getBytes(StandardCharsets.UTF_8));
    scenario.send("GET", v, "/pages//1");
    scenario.send("GET", v, "/millicent/admin/keys");
    scenario.send("GET", v, "/millicent/broker/account", ApiScenario.bearer("not-a-token"), null);
    scenario.send(
        "POST",
        v,
        "/millicent/exchange",
        Map.of("Authorization", "Millicent v=2, variant=signed"),
        "{}".getBytes(StandardCharsets.UTF_8));
    scenario.send(
        "POST",
        v,
        "/millicent/broker/warehouse",
        ApiScenario.bearer(ApiScenario.BROKER_TOKEN),
        ApiScenario.bytes(ApiScenario.body("count", 0L)));
    scenario.send("DELETE", v, "/millicent/admin/licences/lic-00", vendorAdmin, null);
    scenario.send("GET", v, "/millicent/admin/dashboard");
    scenario.send("GET", v, "/millicent/dashboard-assets/nothing.js");
    otherHost(v, "/pages/1", "Millicent v=2, variant=signed, scrip=AA, nonce=AA, mac=AA");

    // Broker: the home page both ways, operations, refusals.
    scenario.send("GET", b, "/", Map.of("Accept", "text/html"), null);
    scenario.send("GET", b, "/");
    scenario.send("GET", b, "/metrics");
    scenario.send("POST", b, "/broker/accounts", Map.of(), "{}".getBytes(StandardCharsets.UTF_8));
    scenario.send("GET", b, "/broker/accounts/1");
    scenario.send(
        "POST", b, "/broker/accounts/1/topup", brokerAdmin, bytes("amount_millicents", 5));
    scenario.send("POST", b, "/broker/settlements", ApiScenario.bearer("nope"), bytes("x", 1));
    scenario.send("GET", b, "/broker/admin/statements/vendors/nobody", brokerAdmin, null);
    scenario.send("GET", b, "/broker/admin/dashboard");
    scenario.send("GET", b, "/broker/dashboard-assets/nothing.js");
    scenario.send("POST", b, "/broker/admin/settlements/nobody", brokerAdmin, null);
    Answer reg =
        scenario.send(
            "POST",
            b,
            "/broker/accounts",
            Map.of(),
            ApiScenario.bytes(ApiScenario.body("name", "carol")));
    Account carol =
        new Account(
            Long.parseUnsignedLong(reg.json().get("customer_id").asText()),
            CustomerSecret.of(
                Base64.getUrlDecoder().decode(reg.json().get("customer_secret").asText())));
    scenario.accountRequest(carol, "POST", "/broker/scrip", bytes("amount_millicents", 0));
    ObjectNode nobody =
        ApiScenario.JSON.createObjectNode().put("vendor", "nobody").put("amount_millicents", 10);
    scenario.accountRequest(carol, "POST", "/broker/vendor-scrip", ApiScenario.bytes(nobody));

    // Joining: a configured name is vendor-exists; a new vendor joins.
    Answer licence =
        scenario.send(
            "POST",
            v,
            "/millicent/admin/licences",
            vendorAdmin,
            ApiScenario.bytes(ApiScenario.body("broker", "bob")));
    scenario.send("POST", b, "/broker/vendors/join", Map.of(), join("venetia", v, licence.json()));
    String veraToken = "bob-token-at-vera-0123456789";
    vera =
        VendorServer.start(
            VendorConfig.builder("vera")
                .port(0)
                .price("GET", "/pages/*", 100)
                .broker(new BrokerConfig("bob", b, veraToken, 7, 500))
                .build(),
            dir.resolve("vera"));
    Answer veraLicence =
        scenario.send(
            "POST",
            vera.url(),
            "/millicent/admin/licences",
            ApiScenario.bearer(vera.adminToken()),
            ApiScenario.bytes(ApiScenario.body("broker", "bob")));
    Map<String, String> token = new LinkedHashMap<>();
    token.put("Authorization", "Bearer " + scenario.broker.joinToken());
    scenario.send(
        "POST",
        b,
        "/broker/vendors/join",
        token,
        join("vera", vera.url(), veraLicence.json(), veraToken));
  }

  /**
   * A paid GET whose Host names another origin (421 unknown-authority), sent over a socket since
   * Java's HTTP client sets Host itself; HTTP/1.0, so the answer is not chunked.
   */
  private void otherHost(URI base, String target, String authorization) throws Exception {
    byte[] raw;
    try (Socket s = new Socket(base.getHost(), base.getPort())) {
      s.setSoTimeout(30_000);
      String request =
          "GET "
              + target
              + " HTTP/1.0\r\nHost: evil.example\r\nAuthorization: "
              + authorization
              + "\r\n\r\n";
      s.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
      raw = s.getInputStream().readAllBytes();
    }
    String text = new String(raw, StandardCharsets.ISO_8859_1);
    int end = text.indexOf("\r\n\r\n");
    String[] head = text.substring(0, end).split("\r\n", -1);
    Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    for (int i = 1; i < head.length; i++) {
      int colon = head[i].indexOf(':');
      headers
          .computeIfAbsent(head[i].substring(0, colon).strip(), k -> new ArrayList<>())
          .add(head[i].substring(colon + 1).strip());
    }
    Answer a =
        new Answer(
            Integer.parseInt(head[0].split(" ", -1)[1]),
            HttpHeaders.of(headers, (k, val) -> true),
            Arrays.copyOfRange(raw, end + 4, raw.length));
    assertThat(a.status()).as(a::text).isEqualTo(421);
    scenario.record(new Exchange("vendor", "GET", target, new byte[0], a));
  }

  private static byte[] join(String vendor, URI url, JsonNode licence) throws Exception {
    return join(vendor, url, licence, ApiScenario.BROKER_TOKEN);
  }

  private static byte[] join(String vendor, URI url, JsonNode licence, String token)
      throws Exception {
    ObjectNode j =
        ApiScenario.JSON
            .createObjectNode()
            .put("vendor", vendor)
            .put("url", url.toString())
            .put("token", token);
    j.set("licence", licence);
    return ApiScenario.bytes(j);
  }

  private static byte[] bytes(String field, long value) throws Exception {
    return ApiScenario.bytes(ApiScenario.body(field, value));
  }
}
