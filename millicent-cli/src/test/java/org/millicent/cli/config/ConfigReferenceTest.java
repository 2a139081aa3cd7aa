package org.millicent.cli.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.millicent.cli.Main;
import org.millicent.cli.config.ConfigFiles.Example;
import org.millicent.cli.config.ConfigFiles.Server;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Keeps docs/CONFIG.md, the two JSON Schemas (docs/schema/) and the two loaders in agreement: every
 * configuration shown in the docs loads and validates, every key the loaders know (taken from the
 * loaders, {@code VendorConfig.yamlKeys()} and {@code BrokerConfig.yamlKeys()}) is in the schema,
 * in CONFIG.md's table and in one of its examples, and nothing else is, and every flag of the two
 * {@code serve} commands is documented. Broken files are in {@link ConfigRejectionTest}.
 */
class ConfigReferenceTest {
  private static final Path CONFIG_MD = ConfigFiles.ROOT.resolve("docs/CONFIG.md");
  private static final Pattern TABLE_KEY = Pattern.compile("^\\| `([^`]+)` \\|");

  @TempDir Path dir;

  static List<Example> markedExamples() throws IOException {
    return ConfigFiles.examples().stream()
        .filter(e -> "vendor".equals(e.marker()) || "broker".equals(e.marker()))
        .toList();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("markedExamples")
  void markedExample_loadsWithTheLoader_andMatchesTheSchema(Example e) {
    Server server = Server.valueOf(e.marker().toUpperCase(java.util.Locale.ROOT));
    assertThatCode(() -> server.load(dir, e.yaml())).as("%s, loaded", e).doesNotThrowAnyException();
    assertThat(server.schemaErrors(e.yaml())).as("%s, against the schema", e).isEmpty();
  }

  @Test
  void everyConfigurationInTheDocs_isMarked() throws IOException {
    assertThat(ConfigFiles.examples())
        .as(
            "YAML blocks without <!-- config: vendor|broker|other --> on the line before: mark"
                + " them so that they are tested")
        .filteredOn(e -> e.marker() == null)
        .isEmpty();
  }

  @Test
  void theReadmeAndBrokerDocExamples_areFoundAndMarked() throws IOException {
    // The scanner must see the README's here-document and BROKER.md's block; if it did not, the
    // test above would pass on nothing.
    assertThat(ConfigFiles.examples(ConfigFiles.ROOT.resolve("README.md")))
        .anySatisfy(e -> assertThat(e.marker()).isEqualTo("vendor"));
    assertThat(ConfigFiles.examples(ConfigFiles.ROOT.resolve("docs/BROKER.md")))
        .anySatisfy(e -> assertThat(e.marker()).isEqualTo("broker"));
  }

  @ParameterizedTest
  @EnumSource(Server.class)
  void schemaFile_isAValidDraft202012Schema(Server server) {
    Schema meta =
        SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12)
            .getSchema(SchemaLocation.of("https://json-schema.org/draft/2020-12/schema"));
    assertThat(server.schemaTree().path("$schema").asText())
        .isEqualTo("https://json-schema.org/draft/2020-12/schema");
    assertThat(meta.validate(server.schemaTree())).isEmpty();
    // the meta-schema is not vacuous: a schema with a mistyped keyword value fails it
    assertThat(meta.validate(ConfigFiles.tree("type: object\nadditionalProperties: 3\n")))
        .isNotEmpty();
  }

  @ParameterizedTest
  @EnumSource(Server.class)
  void loaderKeys_areExactlyTheSchemaKeys_andEachIsDescribed(Server server) {
    List<String> undescribed = new ArrayList<>();
    SortedSet<String> schema = ConfigFiles.schemaKeys(server.schemaTree(), undescribed);
    assertThat(server.loaderKeys()).isNotEmpty();
    assertThat(schema).as("keys of %s", server.schemaPath()).isEqualTo(server.loaderKeys());
    assertThat(undescribed).as("properties without a description").isEmpty();
  }

  @ParameterizedTest
  @EnumSource(Server.class)
  void loaderKeys_areExactlyTheKeysOfConfigMdsTable(Server server) throws IOException {
    assertThat(tableKeys(section(server)))
        .as("keys in the table of CONFIG.md, %s", server)
        .isEqualTo(server.loaderKeys());
  }

  @ParameterizedTest
  @EnumSource(Server.class)
  void everyLoaderKey_isUsedInAnExampleOfConfigMd(Server server) throws IOException {
    SortedSet<String> used = new TreeSet<>();
    String marker = server.name().toLowerCase(java.util.Locale.ROOT);
    for (Example e : ConfigFiles.examples(CONFIG_MD)) {
      if (marker.equals(e.marker())) {
        used.addAll(ConfigFiles.keysUsed(ConfigFiles.tree(e.yaml()), server.loaderKeys()));
      }
    }
    assertThat(server.loaderKeys()).as("keys without an example").isSubsetOf(used);
  }

  @Test
  void everyFlagOfBothServeCommands_isDocumented() throws IOException {
    String doc = Files.readString(CONFIG_MD);
    CommandLine main = Main.commandLine();
    for (String server : List.of("vendor", "broker")) {
      CommandLine serve = main.getSubcommands().get(server).getSubcommands().get("serve");
      assertThat(serve.getCommandSpec().options()).isNotEmpty();
      for (OptionSpec o : serve.getCommandSpec().options()) {
        if (o.usageHelp() || o.versionHelp()) {
          continue;
        }
        assertThat(doc)
            .as("CONFIG.md documents %s serve %s", server, o.longestName())
            .contains("| `" + server + " serve " + o.longestName() + " ");
      }
    }
  }

  /** The part of CONFIG.md under "## Vendor" or "## Broker", up to the next such heading. */
  private static List<String> section(Server server) throws IOException {
    String heading =
        "## " + server.name().charAt(0) + server.name().substring(1).toLowerCase(Locale.ROOT);
    List<String> out = new ArrayList<>();
    boolean in = false;
    for (String line : Files.readAllLines(CONFIG_MD)) {
      if (line.startsWith("## ")) {
        in = line.strip().equals(heading);
      } else if (in) {
        out.add(line);
      }
    }
    assertThat(out).as("section %s of CONFIG.md", heading).isNotEmpty();
    return out;
  }

  private static SortedSet<String> tableKeys(List<String> lines) {
    SortedSet<String> keys = new TreeSet<>();
    for (String line : lines) {
      Matcher m = TABLE_KEY.matcher(line);
      if (m.find()) {
        keys.add(m.group(1));
      }
    }
    return keys;
  }
}
