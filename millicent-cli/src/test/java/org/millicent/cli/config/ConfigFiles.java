package org.millicent.cli.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.millicent.broker.BrokerConfig;
import org.millicent.vendor.config.VendorConfig;

/**
 * What the configuration tests share: the repository's docs and schemas, the YAML examples marked
 * in them, writing an example where its loader can read it, and key paths of YAML files and
 * schemas. Stateless.
 */
final class ConfigFiles {
  /** The two servers whose files are described. */
  @SuppressWarnings("ImmutableEnumChecker") // caches its parsed schema; tests only
  enum Server {
    VENDOR("vendor-config.schema.json"),
    BROKER("broker-config.schema.json");

    private final String schemaFile;
    private Schema schema;

    Server(String schemaFile) {
      this.schemaFile = schemaFile;
    }

    /** The keys its loader accepts, from the loader itself. */
    SortedSet<String> loaderKeys() {
      return this == VENDOR ? VendorConfig.yamlKeys() : BrokerConfig.yamlKeys();
    }

    /** The schema file in docs/schema/. */
    Path schemaPath() {
      return ROOT.resolve("docs/schema").resolve(schemaFile);
    }

    /** The schema as a tree. */
    JsonNode schemaTree() {
      try {
        return YAML.readTree(schemaPath().toFile());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    synchronized Schema schema() {
      if (schema == null) {
        schema =
            SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12)
                .getSchema(schemaTree());
      }
      return schema;
    }

    /** The schema's complaints about {@code yaml}; empty when it is valid. */
    List<Error> schemaErrors(String yaml) {
      return schema().validate(tree(yaml));
    }

    /**
     * Writes {@code yaml} as {@code dir/NAME.yaml}, with empty stand-ins for the files and folders
     * it names (a keystore, a static folder, a licence file) so that the loader's existence checks
     * pass, and loads it with the real loader.
     *
     * @throws RuntimeException the loader's exception when the file is refused
     */
    Object load(Path dir, String yaml) throws IOException {
      Path file = dir.resolve(name().toLowerCase(java.util.Locale.ROOT) + ".yaml");
      Files.writeString(file, yaml);
      JsonNode root = tree(yaml);
      touchFile(dir, root.at("/tls/keystore"));
      if (this == VENDOR) {
        JsonNode key = root.at("/content/paid_headers_key_file");
        if (key.isTextual() && !key.asText().isBlank()) {
          Files.createDirectories(dir.resolve(key.asText()).getParent());
          Files.writeString(dir.resolve(key.asText()), "0123456789abcdef".repeat(4) + "\n");
        }
        JsonNode site = root.at("/content/static");
        if (site.isTextual() && !site.asText().isBlank()) {
          Files.createDirectories(dir.resolve(site.asText()));
        }
        return VendorConfig.load(file);
      }
      for (JsonNode v : root.path("vendors")) {
        touchFile(dir, v.at("/licence/file"));
      }
      return BrokerConfig.load(file);
    }

    private static void touchFile(Path dir, JsonNode name) throws IOException {
      if (name.isTextual() && !name.asText().isBlank()) {
        Path f = dir.resolve(name.asText());
        Files.createDirectories(f.getParent());
        if (!Files.exists(f)) {
          Files.createFile(f);
        }
      }
    }
  }

  /** The repository: the folder above the module holding mvnw and docs/. */
  static final Path ROOT = root();

  static final YAMLMapper YAML = new YAMLMapper();

  private static final Pattern MARKER =
      Pattern.compile("^\\s*<!--\\s*config:\\s*(vendor|broker|other)\\s*-->\\s*$");

  /**
   * Another HTML comment (README's {@code <!-- runnable -->}) may stand between marker and block.
   */
  private static final Pattern OTHER_COMMENT = Pattern.compile("^\\s*<!--.*-->\\s*$");

  private static final Pattern HEREDOC =
      Pattern.compile(
          ">\\s*\\S+\\.ya?ml\\b.*<<-?\\s*['\"]?(\\w+)['\"]?|<<-?\\s*['\"]?(\\w+)['\"]?.*>\\s*\\S+\\.ya?ml\\b");

  private ConfigFiles() {}

  private static Path root() {
    for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
      if (Files.isRegularFile(d.resolve("mvnw")) && Files.isDirectory(d.resolve("docs"))) {
        return d;
      }
    }
    throw new IllegalStateException("no repository (mvnw and docs/) above the working directory");
  }

  static JsonNode tree(String yaml) {
    try {
      return YAML.readTree(yaml);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * A YAML configuration shown in a markdown file: a fenced {@code yaml} block, or a here-document
   * writing a {@code .yaml} file in a shell block.
   *
   * @param marker the server named by the {@code <!-- config: ... -->} comment before the block, or
   *     null when there is none
   */
  record Example(Path doc, int line, String marker, String yaml) {
    @Override
    public String toString() {
      return ROOT.relativize(doc) + ":" + line;
    }
  }

  /** The markdown files examples are looked for in: README.md and docs/*.md. */
  static List<Path> docs() throws IOException {
    List<Path> docs = new ArrayList<>();
    docs.add(ROOT.resolve("README.md"));
    try (Stream<Path> s = Files.list(ROOT.resolve("docs"))) {
      s.filter(p -> p.toString().endsWith(".md")).sorted().forEach(docs::add);
    }
    return docs;
  }

  /** Every YAML configuration shown in the docs, marked or not. */
  static List<Example> examples() throws IOException {
    List<Example> out = new ArrayList<>();
    for (Path doc : docs()) {
      out.addAll(examples(doc));
    }
    return out;
  }

  static List<Example> examples(Path doc) throws IOException {
    List<String> lines = Files.readAllLines(doc);
    List<Example> out = new ArrayList<>();
    String marker = null;
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      Matcher m = MARKER.matcher(line);
      if (m.matches()) {
        marker = m.group(1);
        continue;
      }
      String fence = line.strip();
      if (!fence.startsWith("```")) {
        if (!line.isBlank() && !OTHER_COMMENT.matcher(line).matches()) {
          marker = null; // a marker applies to the block right below it only
        }
        continue;
      }
      String lang = fence.substring(3).strip();
      int indent = line.indexOf('`');
      int start = i + 1;
      List<String> body = new ArrayList<>();
      for (i = start; i < lines.size() && !lines.get(i).strip().startsWith("```"); i++) {
        String b = lines.get(i);
        body.add(b.substring(Math.min(indent, leading(b))));
      }
      if (lang.equals("yaml") || lang.equals("yml")) {
        out.add(new Example(doc, start, marker, String.join("\n", body) + "\n"));
      } else {
        for (int j = 0; j < body.size(); j++) {
          Matcher h = HEREDOC.matcher(body.get(j));
          if (h.find()) {
            String tag = h.group(1) != null ? h.group(1) : h.group(2);
            StringBuilder y = new StringBuilder();
            int first = j + 1;
            for (j = first; j < body.size() && !body.get(j).strip().equals(tag); j++) {
              y.append(body.get(j)).append('\n');
            }
            out.add(new Example(doc, start + first, marker, y.toString()));
          }
        }
      }
      marker = null;
    }
    return out;
  }

  private static int leading(String s) {
    int n = 0;
    while (n < s.length() && s.charAt(n) == ' ') {
      n++;
    }
    return n;
  }

  /**
   * The key paths a YAML tree uses, in the loaders' notation ({@code tls.keystore}, {@code
   * prices[].path}); a mapping is descended into only where {@code known} has keys below it, so the
   * free keys of a mapping such as {@code rates_bps} are not taken for settings.
   */
  static SortedSet<String> keysUsed(JsonNode root, Set<String> known) {
    SortedSet<String> out = new TreeSet<>();
    walk(root, "", known, out);
    return out;
  }

  private static void walk(JsonNode n, String path, Set<String> known, SortedSet<String> out) {
    if (n.isArray()) {
      for (JsonNode e : n) {
        walk(e, path + "[]", known, out);
      }
      return;
    }
    if (!n.isObject()
        || (!path.isEmpty() && known.stream().noneMatch(k -> k.startsWith(path + ".")))) {
      return;
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = n.properties().iterator(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      String p = path.isEmpty() ? e.getKey() : path + "." + e.getKey();
      out.add(p);
      walk(e.getValue(), p, known, out);
    }
  }

  /**
   * Every property a schema declares, as key paths; {@code undescribed} collects those without a
   * description.
   */
  static SortedSet<String> schemaKeys(JsonNode schema, List<String> undescribed) {
    SortedSet<String> out = new TreeSet<>();
    schemaWalk(schema, schema, "", out, undescribed);
    return out;
  }

  private static void schemaWalk(
      JsonNode root, JsonNode s, String path, SortedSet<String> out, List<String> undescribed) {
    s = deref(root, s);
    JsonNode items = s.get("items");
    if (items != null) {
      schemaWalk(root, items, path + "[]", out, undescribed);
      return;
    }
    JsonNode props = s.get("properties");
    if (props == null) {
      return;
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = props.properties().iterator(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      String p = path.isEmpty() ? e.getKey() : path + "." + e.getKey();
      out.add(p);
      if (!e.getValue().has("description") && !deref(root, e.getValue()).has("description")) {
        undescribed.add(p);
      }
      schemaWalk(root, e.getValue(), p, out, undescribed);
    }
  }

  private static JsonNode deref(JsonNode root, JsonNode s) {
    JsonNode ref = s.get("$ref");
    if (ref != null && ref.asText().startsWith("#/")) {
      JsonNode target = root.at(ref.asText().substring(1));
      if (s.has("properties") || s.has("items")) {
        return s;
      }
      return target;
    }
    return s;
  }
}
