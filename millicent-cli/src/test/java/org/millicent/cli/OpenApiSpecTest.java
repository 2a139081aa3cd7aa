package org.millicent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import java.net.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.millicent.cli.ApiScenario.Answer;

/**
 * docs/openapi/*.yaml are well-formed for what OpenApiIT relies on, and its check does fail an
 * answer that differs from them (so that the IT cannot pass by checking nothing).
 */
class OpenApiSpecTest {
  @ParameterizedTest
  @ValueSource(strings = {"vendor", "broker"})
  void everyRefResolves_andEveryOperationHasAnIdAndResponses(String name) throws Exception {
    OpenApiSpec spec = OpenApiSpec.load(name);
    JsonNode doc = spec.doc();
    assertThat(doc.get("openapi").asText()).isEqualTo("3.1.0");
    List<String> refs = new ArrayList<>();
    collectRefs(doc, refs);
    for (String ref : refs) {
      assertThat(ref).as("a local $ref").startsWith("#/");
      JsonNode n = doc.at(ref.substring(1));
      assertThat(n.isMissingNode()).as(ref + " names nothing").isFalse();
    }
    List<String> ids = new ArrayList<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = doc.get("paths").properties().iterator();
        it.hasNext(); ) {
      Map.Entry<String, JsonNode> p = it.next();
      for (String m : OpenApiSpec.METHODS) {
        JsonNode op = p.getValue().get(m);
        if (op != null) {
          assertThat(op.has("operationId")).as(m + " " + p.getKey()).isTrue();
          assertThat(op.get("responses").isEmpty()).as(m + " " + p.getKey()).isFalse();
          ids.add(op.get("operationId").asText());
        }
      }
    }
    assertThat(ids).doesNotHaveDuplicates();
    spec.compileSchemas();
  }

  /** The structure of the document, by a maintained OpenAPI parser (swagger-parser). */
  @ParameterizedTest
  @ValueSource(strings = {"vendor", "broker"})
  void theDocumentIsValidOpenApi31(String name) throws Exception {
    ParseOptions options = new ParseOptions();
    options.setResolve(true);
    SwaggerParseResult r =
        new OpenAPIV3Parser().readContents(Files.readString(OpenApiSpec.file(name)), null, options);
    assertThat(r.getMessages()).as("what the parser found wrong").isEmpty();
    assertThat(r.getOpenAPI().getOpenapi()).isEqualTo("3.1.0");
    assertThat(r.getOpenAPI().getPaths()).hasSizeGreaterThan(10);
  }

  private static void collectRefs(JsonNode n, List<String> out) {
    if (n.isObject()) {
      JsonNode ref = n.get("$ref");
      if (ref != null && ref.isTextual()) {
        out.add(ref.asText());
      }
    }
    n.forEach(c -> collectRefs(c, out));
  }

  @Test
  void aHealthAnswerAsDescribed_passes() throws Exception {
    OpenApiSpec vendor = OpenApiSpec.load("vendor");
    assertThat(
            vendor.check(
                "GET",
                "/health",
                new byte[0],
                answer(
                    200,
                    "application/json",
                    "{\"status\":\"up\",\"vendor\":\"v\",\"database\":\"up\"}",
                    "Cache-Control",
                    "no-store"),
                new ArrayList<>()))
        .isEmpty();
  }

  @Test
  void answersThatDifferFromTheDescription_fail() throws Exception {
    OpenApiSpec vendor = OpenApiSpec.load("vendor");
    String health = "{\"status\":\"up\",\"vendor\":\"v\",\"database\":\"up\"}";
    // A field the schema does not name, one it requires missing, a wrong type.
    assertThat(
            check(
                vendor,
                "GET",
                "/health",
                answer(
                    200,
                    "application/json",
                    "{\"status\":\"up\",\"vendor\":\"v\",\"database\":\"up\",\"extra\":1}",
                    "Cache-Control",
                    "no-store")))
        .singleElement()
        .asString()
        .contains("extra");
    assertThat(
            check(
                vendor,
                "GET",
                "/health",
                answer(
                    200,
                    "application/json",
                    "{\"status\":\"up\",\"vendor\":\"v\"}",
                    "Cache-Control",
                    "no-store")))
        .singleElement()
        .asString()
        .contains("database");
    assertThat(
            check(
                vendor,
                "GET",
                "/health",
                answer(
                    200,
                    "application/json",
                    "{\"status\":\"sideways\",\"vendor\":\"v\",\"database\":\"up\"}",
                    "Cache-Control",
                    "no-store")))
        .singleElement()
        .asString()
        .contains("status");
    // A status, a media type, a required header the description does not have.
    assertThat(check(vendor, "GET", "/health", answer(418, "application/json", health)))
        .singleElement()
        .asString()
        .contains("418 is not declared");
    assertThat(
            check(
                vendor,
                "GET",
                "/health",
                answer(200, "text/plain", "up", "Cache-Control", "no-store")))
        .singleElement()
        .asString()
        .contains("text/plain is not declared");
    assertThat(check(vendor, "GET", "/health", answer(200, "application/json", health)))
        .singleElement()
        .asString()
        .contains("Cache-Control is missing");
    // An offer without its WWW-Authenticate; a problem code no server gives.
    String offer =
        "{\"type\":\"https://millicent.dev/problems/payment-required\",\"title\":\"t\","
            + "\"status\":402,\"code\":\"payment-required\",\"detail\":\"d\",\"vendor\":\"v\","
            + "\"price_millicents\":100,\"currency\":\"USD\",\"variants\":[\"signed\"],"
            + "\"brokers\":[]}";
    assertThat(
            check(
                vendor,
                "GET",
                "/pages/1",
                answer(
                    402,
                    "application/problem+json",
                    offer,
                    "Cache-Control",
                    "no-store",
                    "Vary",
                    "Accept")))
        .singleElement()
        .asString()
        .contains("WWW-Authenticate is missing");
    assertThat(
            check(
                vendor,
                "GET",
                "/nothing",
                answer(
                    404,
                    "application/problem+json",
                    "{\"type\":\"https://millicent.dev/problems/gone\",\"title\":\"t\",\"status\":404,"
                        + "\"code\":\"gone\",\"detail\":\"d\"}")))
        .isNotEmpty();
  }

  @Test
  void aRequestBodyTheServerTookButTheDescriptionRefuses_fails() throws Exception {
    OpenApiSpec vendor = OpenApiSpec.load("vendor");
    Answer settled =
        answer(
            200,
            "application/json",
            "{\"broker\":\"b\",\"settled_upto\":1}",
            "Cache-Control",
            "no-store");
    assertThat(
            vendor.check(
                "POST",
                "/millicent/broker/received/settled",
                "{\"upto\":1}".getBytes(StandardCharsets.UTF_8),
                settled,
                new ArrayList<>()))
        .isEmpty();
    assertThat(
            vendor.check(
                "POST",
                "/millicent/broker/received/settled",
                "{\"upto\":\"one\"}".getBytes(StandardCharsets.UTF_8),
                settled,
                new ArrayList<>()))
        .singleElement()
        .asString()
        .contains("request body");
  }

  @Test
  void aProblemWhoseStatusOrTypeDisagrees_fails() throws Exception {
    OpenApiSpec vendor = OpenApiSpec.load("vendor");
    String problem =
        "{\"type\":\"https://millicent.dev/problems/not-found\",\"title\":\"t\","
            + "\"status\":%d,\"code\":\"%s\",\"detail\":\"d\"}";
    assertThat(
            check(
                vendor,
                "GET",
                "/nothing",
                answer(404, "application/problem+json", problem.formatted(404, "not-found"))))
        .isEmpty();
    assertThat(
            check(
                vendor,
                "GET",
                "/nothing",
                answer(404, "application/problem+json", problem.formatted(400, "not-found"))))
        .singleElement()
        .asString()
        .contains("status 400");
    assertThat(
            check(
                vendor,
                "GET",
                "/nothing",
                answer(404, "application/problem+json", problem.formatted(404, "bad-request"))))
        .singleElement()
        .asString()
        .contains("for code");
  }

  private static List<String> check(OpenApiSpec spec, String method, String target, Answer a) {
    return spec.check(method, target, new byte[0], a, new ArrayList<>());
  }

  private static Answer answer(int status, String type, String body, String... headers) {
    Map<String, List<String>> h = new java.util.TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    h.put("Content-Type", List.of(type));
    for (int i = 0; i < headers.length; i += 2) {
      h.put(headers[i], List.of(headers[i + 1]));
    }
    return new Answer(
        status, HttpHeaders.of(h, (k, v) -> true), body.getBytes(StandardCharsets.UTF_8));
  }
}
