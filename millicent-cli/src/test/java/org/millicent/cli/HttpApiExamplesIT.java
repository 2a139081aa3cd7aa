package org.millicent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.millicent.cli.ApiScenario.Answer;
import org.millicent.cli.ApiScenario.Got;
import org.millicent.cli.ApiScenario.Observed;
import org.millicent.cli.ApiScenario.SentBody;

/**
 * The JSON examples of docs/HTTP-API.md against the real servers (issue 13): every fenced example
 * carries a marker comment naming its server, method, path and whether it shows a request or a
 * response ({@code <!-- example: vendor GET /.well-known/millicent response 200 -->}), or says why
 * it cannot be checked ({@code <!-- example: unchecked (reason) -->}). Each example must parse as
 * JSON; each response example must have exactly the field names (recursively) of what a real vendor
 * and broker answer to that request, and each request example those of the body this test sends
 * successfully. HTTP examples ({@code ```http}) must also show exactly the Millicent headers the
 * real answer carries ({@code WWW-Authenticate}, {@code Millicent-Receipt}, {@code Retry-After},
 * {@code Allow}). Values may differ. An unmarked JSON block, a JSON object in inline code, or a
 * marker this test has no answer for fails the test, so the page cannot drift.
 */
class HttpApiExamplesIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Objects whose keys are data (a property value, an account, a period), not field names. */
  private static final Set<String> DATA_KEYED =
      Set.of("rates_bps", "balances", "breakage_by_period");

  /** Headers an HTTP example must show exactly when the real answer has them. */
  private static final List<String> MILLICENT_HEADERS =
      List.of("WWW-Authenticate", "Millicent-Receipt", "Retry-After", "Allow");

  private static final Pattern MARKER = Pattern.compile("<!-- example: (.+?) -->");

  @TempDir Path dir;

  private ApiScenario scenario;

  @AfterEach
  void stop() {
    if (scenario != null) {
      scenario.close();
    }
  }

  /** One marked example of the page. */
  record Example(String key, int line, String language, String text) {}

  @Test
  void everyJsonExampleOfHttpApiMd_matchesTheFieldsOfTheRealServers() throws Exception {
    scenario = new ApiScenario(dir);
    Map<String, Observed> observed = scenario.exercise();
    // HTTP-API.md, "Paying": the origin never sees the payment.
    assertThat(scenario.originRequests()).as("paid requests that reached the origin").isPositive();
    assertThat(scenario.originSawAuthorization())
        .as("Authorization values the origin received")
        .isEmpty();
    if (Boolean.getBoolean("millicent.examples.print")) {
      print(observed);
    }
    List<Example> examples = examples(httpApiMd());
    assertThat(examples).as("marked examples in HTTP-API.md").hasSizeGreaterThan(30);

    List<String> failures = new ArrayList<>();
    for (Example e : examples) {
      String where = "HTTP-API.md line " + e.line() + " (" + e.key() + ")";
      JsonNode doc;
      try {
        doc = JSON.readTree(jsonPart(e));
      } catch (IOException ex) {
        failures.add(where + ": the example is not JSON: " + ex.getMessage());
        continue;
      }
      if (e.key().startsWith("unchecked")) {
        continue;
      }
      Observed o = observed.get(e.key());
      if (o == null) {
        failures.add(where + ": no request of this test answers this marker");
        continue;
      }
      JsonNode real =
          switch (o) {
            case SentBody s -> s.body();
            case Got g -> g.answer().json();
          };
      Set<String> docFields = fields(doc);
      Set<String> realFields = fields(real);
      // An empty list in the real answer says nothing about its elements: the doc's stand.
      for (String empty : emptyLists(real)) {
        docFields.removeIf(f -> f.startsWith(empty + "[]."));
      }
      if (!docFields.equals(realFields)) {
        Set<String> onlyDoc = new TreeSet<>(docFields);
        onlyDoc.removeAll(realFields);
        Set<String> onlyReal = new TreeSet<>(realFields);
        onlyReal.removeAll(docFields);
        failures.add(
            where + ": fields only in the doc " + onlyDoc + ", only in the real one " + onlyReal);
      }
      if (o instanceof Got g && "http".equals(e.language())) {
        failures.addAll(headerMismatches(where, e.text(), g.answer()));
      }
    }
    Set<String> marked = new TreeSet<>();
    examples.forEach(e -> marked.add(e.key()));
    for (String key : observed.keySet()) {
      if (!marked.contains(key)) {
        failures.add("no example in HTTP-API.md shows " + key);
      }
    }
    assertThat(failures).as("HTTP-API.md examples that differ from the servers").isEmpty();
  }

  /** What the servers answered, to write the examples from ({@code -Dmillicent.examples.print}). */
  private static void print(Map<String, Observed> observed) throws IOException {
    for (Map.Entry<String, Observed> e : observed.entrySet()) {
      StringBuilder sb = new StringBuilder("=== ").append(e.getKey()).append('\n');
      switch (e.getValue()) {
        case SentBody s -> sb.append(JSON.writeValueAsString(s.body()));
        case Got g -> {
          sb.append("HTTP/1.1 ").append(g.answer().status()).append('\n');
          for (String h :
              List.of(
                  "Content-Type",
                  "WWW-Authenticate",
                  "Millicent-Receipt",
                  "Retry-After",
                  "Allow",
                  "Cache-Control")) {
            if (g.answer().header(h) != null) {
              sb.append(h).append(": ").append(g.answer().header(h)).append('\n');
            }
          }
          sb.append(g.answer().text());
        }
      }
      System.out.println(sb);
    }
  }

  // ------------------------------------------------------------ the markdown

  private static String httpApiMd() throws IOException {
    Path p = Path.of("").toAbsolutePath();
    while (p != null && !Files.exists(p.resolve("docs/HTTP-API.md"))) {
      p = p.getParent();
    }
    assertThat(p).as("docs/HTTP-API.md above the working folder").isNotNull();
    return Files.readString(p.resolve("docs/HTTP-API.md"));
  }

  /**
   * Every fenced block holding JSON, with the marker before it. Fails on a JSON block without a
   * marker and on a JSON object written in inline code.
   */
  static List<Example> examples(String md) {
    List<Example> out = new ArrayList<>();
    String[] lines = md.split("\n", -1);
    String marker = null;
    int markerLine = 0;
    List<String> unmarked = new ArrayList<>();
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i];
      Matcher m = MARKER.matcher(line);
      if (m.find()) {
        marker = m.group(1).strip();
        markerLine = i + 1;
        continue;
      }
      if (line.startsWith("```")) {
        String language = line.substring(3).strip();
        StringBuilder block = new StringBuilder();
        int start = i + 1;
        for (i++; i < lines.length && !lines[i].startsWith("```"); i++) {
          block.append(lines[i]).append('\n');
        }
        String text = block.toString();
        boolean holdsJson =
            "json".equals(language) || ("http".equals(language) && text.contains("\n{"));
        if (holdsJson) {
          if (marker == null || markerLine < start - 3) {
            unmarked.add("line " + start);
          } else {
            out.add(new Example(marker, start, language, text));
          }
        }
        marker = null;
        continue;
      }
      if (!line.startsWith("    ") && line.matches(".*`\\{\".*")) {
        unmarked.add(
            "line " + (i + 1) + " (a JSON object in inline code: make it a fenced example)");
      }
    }
    assertThat(unmarked).as("JSON examples in HTTP-API.md without an example marker").isEmpty();
    return out;
  }

  /** The JSON of an example: the whole block, or the body of an HTTP message. */
  private static String jsonPart(Example e) {
    if (!"http".equals(e.language())) {
      return e.text();
    }
    int body = e.text().indexOf("\n\n");
    return body < 0 ? "" : e.text().substring(body + 2);
  }

  private static List<String> headerMismatches(String where, String text, Answer real) {
    List<String> out = new ArrayList<>();
    String head = text.contains("\n\n") ? text.substring(0, text.indexOf("\n\n")) : text;
    for (String h : MILLICENT_HEADERS) {
      boolean shown =
          head.lines()
              .anyMatch(
                  l -> l.toLowerCase(Locale.ROOT).startsWith(h.toLowerCase(Locale.ROOT) + ":"));
      boolean sent = real.header(h) != null;
      if (shown != sent) {
        out.add(where + ": header " + h + (shown ? " shown but not sent" : " sent but not shown"));
      }
    }
    Matcher status = Pattern.compile("^HTTP/1\\.1 (\\d{3})").matcher(head);
    if (status.find() && Integer.parseInt(status.group(1)) != real.status()) {
      out.add(where + ": status " + status.group(1) + ", the server answered " + real.status());
    }
    return out;
  }

  /**
   * The field names of a JSON value, recursively, as paths: {@code a}, {@code a.b}, {@code a[].c}.
   * The keys of {@link #DATA_KEYED} objects are data, so such an object is one field.
   */
  static Set<String> fields(JsonNode n) {
    Set<String> out = new TreeSet<>();
    collect(n, "", out);
    return out;
  }

  /** The paths of the empty lists in {@code n}. */
  static Set<String> emptyLists(JsonNode n) {
    Set<String> out = new TreeSet<>();
    emptyLists(n, "", out);
    return out;
  }

  private static void emptyLists(JsonNode n, String path, Set<String> out) {
    if (n.isObject()) {
      for (Iterator<Map.Entry<String, JsonNode>> it = n.properties().iterator(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> f = it.next();
        emptyLists(f.getValue(), path.isEmpty() ? f.getKey() : path + "." + f.getKey(), out);
      }
    } else if (n.isArray()) {
      if (n.isEmpty()) {
        out.add(path);
      }
      for (JsonNode e : n) {
        emptyLists(e, path + "[]", out);
      }
    }
  }

  private static void collect(JsonNode n, String path, Set<String> out) {
    if (n.isObject()) {
      for (Iterator<Map.Entry<String, JsonNode>> it = n.properties().iterator(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> f = it.next();
        String p = path.isEmpty() ? f.getKey() : path + "." + f.getKey();
        out.add(p);
        if (!DATA_KEYED.contains(f.getKey())) {
          collect(f.getValue(), p, out);
        }
      }
    } else if (n.isArray()) {
      for (JsonNode e : n) {
        collect(e, path + "[]", out);
      }
    }
  }
}
