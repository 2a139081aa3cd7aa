package org.millicent.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.dialect.Dialect;
import com.networknt.schema.dialect.Dialects;
import com.networknt.schema.keyword.DisallowUnknownKeywordFactory;
import com.networknt.schema.keyword.NonValidationKeyword;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.millicent.cli.ApiScenario.Answer;

/**
 * One OpenAPI 3.1 description of docs/openapi/ and the check of a real answer against it: the
 * operation the request names, a status it declares, a media type it declares, every header it
 * declares as required (and the value of every declared header against its schema), and the body
 * against the media type's JSON Schema (draft 2020-12 with the OpenAPI dialect, by the validator
 * the config schemas use). Local {@code $ref}s only.
 */
final class OpenApiSpec {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final YAMLMapper YAML = new YAMLMapper();

  /** The extension that makes a one-parameter path stand for a path of any depth (the content). */
  static final String ANY_DEPTH = "x-millicent-any-depth";

  /** The operations of a path item. */
  static final List<String> METHODS = List.of("get", "put", "post", "delete", "patch", "head");

  /**
   * OpenAPI 3.1's dialect, refusing unknown keywords (a misspelt one would otherwise be ignored);
   * the document's own top-level fields are not schema keywords (the document is loaded as the
   * resource its schemas' {@code $ref}s point into).
   */
  private static final Dialect DIALECT =
      Dialect.builder(Dialects.getOpenApi31())
          .keywords(
              Stream.of(
                      "openapi",
                      "info",
                      "servers",
                      "tags",
                      "paths",
                      "components",
                      "security",
                      "webhooks",
                      "externalDocs",
                      "jsonSchemaDialect")
                  .map(NonValidationKeyword::new)
                  .toList())
          .unknownKeywordFactory(DisallowUnknownKeywordFactory.getInstance())
          .build();

  private final String name;
  private final String iri;
  private final JsonNode doc;
  private final SchemaRegistry registry;
  private final Map<String, Schema> schemas = new java.util.concurrent.ConcurrentHashMap<>();

  private OpenApiSpec(String name, String text) throws IOException {
    this.name = name;
    this.iri = "https://millicent.dev/openapi/" + name + ".yaml";
    this.doc = YAML.readTree(text);
    String json = JSON.writeValueAsString(doc);
    this.registry = SchemaRegistry.withDefaultDialect(DIALECT, b -> b.schemas(Map.of(iri, json)));
  }

  /** docs/openapi/{name}.yaml of the checkout this test runs in. */
  static OpenApiSpec load(String name) throws IOException {
    return new OpenApiSpec(name, Files.readString(file(name), StandardCharsets.UTF_8));
  }

  /** The path of docs/openapi/{name}.yaml above the working folder. */
  static Path file(String name) {
    Path p = Path.of("").toAbsolutePath();
    while (p != null && !Files.exists(p.resolve("docs/openapi"))) {
      p = p.getParent();
    }
    if (p == null) {
      throw new IllegalStateException("no docs/openapi above " + Path.of("").toAbsolutePath());
    }
    return p.resolve("docs/openapi/" + name + ".yaml");
  }

  JsonNode doc() {
    return doc;
  }

  /** Every operation as "METHOD /path/{template}". */
  List<String> operations() {
    List<String> out = new ArrayList<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = doc.get("paths").properties().iterator();
        it.hasNext(); ) {
      Map.Entry<String, JsonNode> p = it.next();
      for (String m : METHODS) {
        if (p.getValue().has(m)) {
          out.add(m.toUpperCase(Locale.ROOT) + " " + p.getKey());
        }
      }
    }
    return out;
  }

  /**
   * The path template that serves {@code path} (without query): a literal path first, then a
   * template of single segments, then a path of any depth.
   */
  Optional<String> template(String path) {
    String best = null;
    int rank = Integer.MAX_VALUE;
    for (Iterator<String> it = doc.get("paths").fieldNames(); it.hasNext(); ) {
      String t = it.next();
      int r;
      if (t.equals(path)) {
        r = 0;
      } else if (doc.get("paths").get(t).path(ANY_DEPTH).asBoolean(false)) {
        r = path.startsWith(t.substring(0, t.indexOf('{'))) ? 2 : -1;
      } else {
        r = regex(t).matcher(path).matches() ? 1 : -1;
      }
      if (r >= 0 && r < rank) {
        best = t;
        rank = r;
      }
    }
    return Optional.ofNullable(best);
  }

  private static Pattern regex(String template) {
    StringBuilder re = new StringBuilder();
    for (String part : template.split("\\{[^/}]+\\}", -1)) {
      if (!re.isEmpty()) {
        re.append("([^/]+)");
      }
      re.append(Pattern.quote(part));
    }
    return Pattern.compile(re.toString());
  }

  /**
   * What in {@code answer} disagrees with the description of {@code method} {@code target}, and,
   * when the server took the request (2xx), what in its JSON {@code body} disagrees with the
   * request body the operation describes; {@code operation} receives the method and path template
   * it was checked as, and the status.
   */
  List<String> check(
      String method, String target, byte[] body, Answer answer, List<String> operation) {
    List<String> out = new ArrayList<>();
    String path = target.contains("?") ? target.substring(0, target.indexOf('?')) : target;
    String where = name + " " + method + " " + target + " -> " + answer.status();
    Optional<String> template = template(path);
    String m = "HEAD".equals(method) ? "get" : method.toLowerCase(Locale.ROOT);
    JsonNode op = template.map(t -> doc.get("paths").get(t).get(m)).orElse(null);
    if (op == null) {
      // No operation: the refusal every route gives another method, or an unknown path.
      int expected = template.isPresent() ? 405 : 404;
      if (answer.status() != expected) {
        out.add(where + ": no operation describes it, so " + expected + " was expected");
      }
      if (expected == 405 && answer.header("Allow") == null) {
        out.add(where + ": a 405 without Allow");
      }
      checkBody(where, answer, method, "application/problem+json", schema("Problem"), out);
      return out;
    }
    String status = String.valueOf(answer.status());
    JsonNode responses = op.get("responses");
    Ref response = null;
    for (String key : List.of(status, status.charAt(0) + "XX")) {
      if (responses.has(key)) {
        response =
            resolve(
                new Ref(
                    responses.get(key),
                    List.<Object>of("paths", template.get(), m, "responses", key)));
        break;
      }
    }
    operation.add(method.equals("HEAD") ? "HEAD" : m.toUpperCase(Locale.ROOT));
    operation.add(template.get());
    operation.add(status);
    if (response == null) {
      out.add(where + ": status " + status + " is not declared (" + fieldNames(responses) + ")");
      return out;
    }
    if (answer.status() / 100 == 2) {
      checkRequestBody(where, op, List.<Object>of("paths", template.get(), m), body, out);
      checkPathParameters(where, template.get(), m, path, out);
    }
    checkHeaders(where, answer, response, out);
    JsonNode content = response.node().get("content");
    if (content == null || content.isEmpty()) {
      if (answer.body().length > 0) {
        out.add(where + ": a body, but the response declares no content");
      }
      return out;
    }
    String type = answer.header("Content-Type");
    if (type == null) {
      out.add(where + ": no Content-Type; declared " + fieldNames(content));
      return out;
    }
    String media = type.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
    String key = null;
    for (String candidate : List.of(media, media.split("/", -1)[0] + "/*", "*/*")) {
      if (content.has(candidate)) {
        key = candidate;
        break;
      }
    }
    if (key == null) {
      out.add(where + ": Content-Type " + type + " is not declared (" + fieldNames(content) + ")");
      return out;
    }
    Ref schema = response.child("content").child(key).child("schema");
    checkBody(where, answer, method, media, schema, out);
    return out;
  }

  /** The values of a path the server took against the schemas of its path parameters. */
  private void checkPathParameters(
      String where, String template, String method, String path, List<String> out) {
    java.util.regex.Matcher values = regex(template).matcher(path);
    if (!values.matches() || values.groupCount() == 0) {
      return;
    }
    java.util.regex.Matcher names = Pattern.compile("\\{([^/}]+)\\}").matcher(template);
    Ref item = new Ref(doc.get("paths").get(template), List.<Object>of("paths", template));
    for (int g = 1; names.find(); g++) {
      String name = names.group(1);
      Ref schema = null;
      for (Ref list : List.of(item.child("parameters"), item.child(method).child("parameters"))) {
        for (int i = 0; list.node() != null && i < list.node().size(); i++) {
          Ref p = resolve(list.child(i));
          if (name.equals(p.node().path("name").asText())
              && "path".equals(p.node().path("in").asText())) {
            schema = p.child("schema");
          }
        }
      }
      if (schema == null) {
        out.add(where + ": path parameter {" + name + "} is not described");
        continue;
      }
      for (Error e : validate(schema, TextNode.valueOf(values.group(g)))) {
        out.add(where + ": path parameter {" + name + "}: " + e.getMessage());
      }
    }
  }

  /** A request body the server took against the operation's {@code requestBody}. */
  private void checkRequestBody(
      String where, JsonNode op, List<Object> at, byte[] body, List<String> out) {
    if (body.length == 0) {
      return;
    }
    if (!op.has("requestBody")) {
      out.add(where + ": a request body the operation does not describe");
      return;
    }
    Ref requestBody = resolve(new Ref(op, at).child("requestBody"));
    JsonNode json;
    try {
      json = JSON.readTree(body);
    } catch (IOException e) {
      return; // not JSON: content passed on as sent
    }
    if (!requestBody.node().path("content").has("application/json")) {
      return;
    }
    Ref schema = requestBody.child("content").child("application/json").child("schema");
    for (Error e : validate(schema, json)) {
      out.add(where + ": request body " + e.getInstanceLocation() + ": " + e.getMessage());
    }
  }

  private void checkHeaders(String where, Answer answer, Ref response, List<String> out) {
    JsonNode headers = response.node().get("headers");
    if (headers == null) {
      return;
    }
    for (Iterator<String> it = headers.fieldNames(); it.hasNext(); ) {
      String h = it.next();
      Ref header = resolve(response.child("headers").child(h));
      String value = answer.header(h);
      if (value == null) {
        if (header.node().path("required").asBoolean(false)) {
          out.add(where + ": required header " + h + " is missing");
        }
        continue;
      }
      if (header.node().has("schema")) {
        for (Error e : validate(header.child("schema"), TextNode.valueOf(value))) {
          out.add(where + ": header " + h + ": " + value + ": " + e.getMessage());
        }
      }
    }
  }

  private void checkBody(
      String where, Answer answer, String method, String media, Ref schema, List<String> out) {
    if ("HEAD".equals(method)) {
      return;
    }
    if (!media.equals("application/json") && !media.endsWith("+json")) {
      return;
    }
    JsonNode body;
    try {
      body = JSON.readTree(answer.body());
    } catch (IOException e) {
      out.add(where + ": " + media + " that is not JSON: " + answer.text());
      return;
    }
    for (Error e : validate(schema, body)) {
      out.add(where + ": " + e.getInstanceLocation() + ": " + e.getMessage());
    }
    // RFC 9457: a problem's status is the answer's, and its type is named by its code.
    if (media.equals("application/problem+json") && body.isObject()) {
      if (body.path("status").asInt() != answer.status()) {
        out.add(where + ": a problem document with status " + body.path("status"));
      }
      if (!body.path("type").asText().endsWith("/" + body.path("code").asText())) {
        out.add(where + ": problem type " + body.path("type") + " for code " + body.path("code"));
      }
    }
  }

  private List<Error> validate(Ref schema, JsonNode instance) {
    SchemaLocation at = SchemaLocation.of(iri);
    for (Object segment : schema.pointer()) {
      at = segment instanceof Integer i ? at.append(i) : at.append((String) segment);
    }
    Schema s =
        schemas.computeIfAbsent(at.toString(), k -> registry.getSchema(SchemaLocation.of(k)));
    return s.validate(instance);
  }

  /** Compiles every schema of {@code components/schemas} (an unknown keyword fails). */
  void compileSchemas() {
    for (Iterator<String> it = doc.get("components").get("schemas").fieldNames(); it.hasNext(); ) {
      validate(schema(it.next()), com.fasterxml.jackson.databind.node.NullNode.getInstance());
    }
  }

  /** The schema {@code #/components/schemas/{name}}. */
  private Ref schema(String schemaName) {
    return new Ref(doc.get("components"), List.<Object>of("components"))
        .child("schemas")
        .child(schemaName);
  }

  /** A node of the description and the JSON pointer where it is. */
  record Ref(JsonNode node, List<Object> pointer) {
    Ref child(String field) {
      List<Object> p = new ArrayList<>(pointer);
      p.add(field);
      return new Ref(node == null ? null : node.get(field), p);
    }

    Ref child(int index) {
      List<Object> p = new ArrayList<>(pointer);
      p.add(index);
      return new Ref(node.get(index), p);
    }
  }

  /** Follows a local {@code $ref} (repeatedly). */
  private Ref resolve(Ref r) {
    Ref at = r;
    for (int i = 0; i < 8 && at.node().has("$ref"); i++) {
      String ref = at.node().get("$ref").asText();
      if (!ref.startsWith("#/")) {
        throw new IllegalStateException(name + ": only local $refs are followed: " + ref);
      }
      List<Object> pointer = new ArrayList<>();
      JsonNode n = doc;
      for (String segment : ref.substring(2).split("/", -1)) {
        String s = segment.replace("~1", "/").replace("~0", "~");
        pointer.add(s);
        n = n.get(s);
        if (n == null) {
          throw new IllegalStateException(name + ": $ref " + ref + " names nothing");
        }
      }
      at = new Ref(n, pointer);
    }
    return at;
  }

  private static String fieldNames(JsonNode n) {
    TreeSet<String> names = new TreeSet<>();
    n.fieldNames().forEachRemaining(names::add);
    return String.join(", ", names);
  }

  @Override
  public String toString() {
    return name;
  }
}
