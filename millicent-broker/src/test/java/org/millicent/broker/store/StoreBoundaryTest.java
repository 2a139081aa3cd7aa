package org.millicent.broker.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The broker's SQL lives in {@code org.millicent.broker.store} only, and nothing bypasses the
 * storage module's error translation through {@code Database.jdbi()} or {@code dataSource()} (issue
 * 14, part 2): a source scan of millicent-broker/src/main.
 */
class StoreBoundaryTest {
  private static final Path MAIN = Path.of("src/main/java");
  private static final Path STORE = MAIN.resolve("org/millicent/broker/store");

  /** A string literal holding an SQL statement's keyword. */
  private static final Pattern SQL_LITERAL =
      Pattern.compile("\"[^\"\\n]*(SELECT |INSERT |UPDATE |DELETE FROM)[^\"\\n]*\"");

  private static final Pattern ESCAPE_HATCH = Pattern.compile("\\.(jdbi|dataSource)\\(\\)");

  /** A reference to a broker package above the store (or to the broker's root package). */
  private static final Pattern UPWARD =
      Pattern.compile("org\\.millicent\\.broker\\.((books|supply|accounts|http)\\b|[A-Z])");

  @Test
  void theStorePackage_dependsOnNothingAboveIt() throws IOException {
    List<String> offenders = new ArrayList<>();
    try (Stream<Path> files = Files.walk(STORE)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
        String[] lines = Files.readString(f, StandardCharsets.UTF_8).split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
          if (UPWARD.matcher(lines[i]).find()) {
            offenders.add(MAIN.relativize(f) + ":" + (i + 1) + ": " + lines[i].strip());
          }
        }
      }
    }
    assertThat(offenders).as("store types must not point upward").isEmpty();
    assertThat(UPWARD.matcher("import org.millicent.broker.books.AccountKind;").find()).isTrue();
    assertThat(UPWARD.matcher("import org.millicent.broker.BrokerError;").find()).isTrue();
    assertThat(UPWARD.matcher("import org.millicent.broker.store.IssuedRow;").find()).isFalse();
  }

  @Test
  void noClassOutsideTheStorePackage_holdsSqlOrUsesTheEscapeHatches() throws IOException {
    assertThat(STORE).isDirectory();
    List<String> offenders = new ArrayList<>();
    try (Stream<Path> files = Files.walk(MAIN)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
        String text = Files.readString(f, StandardCharsets.UTF_8);
        boolean inStore = f.startsWith(STORE);
        offenders.addAll(offences(MAIN.relativize(f).toString(), text, inStore));
      }
    }
    assertThat(offenders).isEmpty();
  }

  @Test
  void theScan_findsSqlLiteralsAndEscapeHatches() {
    String sample =
        """
        class X {
          void a(Database db) {
            db.jdbi().useHandle(h -> h.execute("DELETE FROM t WHERE id = 1"));
            db.withHandle(h -> h.createQuery("SELECT x FROM t"));
            String doc = "Selects what is due";
          }
        }
        """;
    assertThat(offences("X.java", sample, false))
        .containsExactly(
            "X.java:3: \"DELETE FROM t WHERE id = 1\"",
            "X.java:3: .jdbi()",
            "X.java:4: \"SELECT x FROM t\"");
    assertThat(offences("X.java", sample, true)).containsExactly("X.java:3: .jdbi()");
  }

  private static List<String> offences(String name, String text, boolean inStore) {
    List<String> out = new ArrayList<>();
    String[] lines = text.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      if (!inStore) {
        var m = SQL_LITERAL.matcher(lines[i]);
        while (m.find()) {
          out.add(name + ":" + (i + 1) + ": " + m.group());
        }
      }
      var e = ESCAPE_HATCH.matcher(lines[i]);
      while (e.find()) {
        out.add(name + ":" + (i + 1) + ": " + e.group());
      }
    }
    return out;
  }
}
