package org.millicent.broker.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The broker's SQL lives in {@code org.millicent.broker.store} only, and nothing bypasses the
 * storage module's error translation through {@code Database.jdbi()} or {@code dataSource()} (issue
 * 14, part 2); the stores map rows straight to the domain's value types, which name no store and no
 * service, so the arrows run one way: services, then stores, then values (docs/BROKER.md,
 * "Stores"). A source scan of millicent-broker/src/main.
 */
class StoreBoundaryTest {
  private static final Path MAIN = Path.of("src/main/java");
  private static final Path STORE = MAIN.resolve("org/millicent/broker/store");

  /** A string literal holding an SQL statement's keyword. */
  private static final Pattern SQL_LITERAL =
      Pattern.compile("\"[^\"\\n]*(SELECT |INSERT |UPDATE |DELETE FROM)[^\"\\n]*\"");

  private static final Pattern ESCAPE_HATCH = Pattern.compile("\\.(jdbi|dataSource)\\(\\)");

  /** A reference to a broker type outside the store (any broker package or its root package). */
  private static final Pattern BROKER_TYPE =
      Pattern.compile("org\\.millicent\\.broker\\.((?!store\\.)[a-z]+\\.)?[A-Z]\\w*");

  /**
   * The domain's value types the stores read and write, so that each concept has one type (no row
   * twin), with the broker types each may name besides the others: records that name no store and
   * no service. Nothing else outside the store may be named by a store.
   */
  private static final Map<String, Set<String>> VALUES =
      Map.of(
          "org.millicent.broker.books.IssuedScrip", Set.of(),
          "org.millicent.broker.accounts.Statement", Set.of(),
          "org.millicent.broker.supply.Licence",
              Set.of("org.millicent.broker.BrokerError", "org.millicent.broker.BrokerException"),
          "org.millicent.broker.supply.RecordedExchange", Set.of(),
          "org.millicent.broker.supply.ExchangeAnswer", Set.of());

  /** The broker's exception and its codes: leaves, which a value's validation may throw. */
  private static final Set<String> LEAVES =
      Set.of("org.millicent.broker.BrokerError", "org.millicent.broker.BrokerException");

  @Test
  void theStorePackage_namesOnlyTheDomainsValueTypes() throws IOException {
    List<String> offenders = new ArrayList<>();
    try (Stream<Path> files = Files.walk(STORE)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
        offenders.addAll(brokerTypes(f, VALUES.keySet()));
      }
    }
    assertThat(offenders).as("a store names only the value types it maps").isEmpty();
  }

  @Test
  void theValueTypesTheStoreMaps_nameNoStoreAndNoService() throws IOException {
    List<String> offenders = new ArrayList<>();
    for (var v : VALUES.entrySet()) {
      Path f = MAIN.resolve(v.getKey().replace('.', '/') + ".java");
      assertThat(f).isRegularFile();
      assertThat(LEAVES).containsAll(v.getValue());
      Set<String> allowed = new HashSet<>(v.getValue());
      allowed.addAll(VALUES.keySet());
      offenders.addAll(brokerTypes(f, allowed));
      String text = Files.readString(f, StandardCharsets.UTF_8);
      if (text.contains("org.millicent.broker.store")) {
        offenders.add(MAIN.relativize(f) + ": names the store");
      }
    }
    assertThat(offenders).as("the store's value types are leaves").isEmpty();
  }

  @Test
  void theBrokerTypeScan_findsTypesOutsideTheStoreOnly() {
    assertThat(BROKER_TYPE.matcher("import org.millicent.broker.books.AccountKind;").find())
        .isTrue();
    assertThat(BROKER_TYPE.matcher("import org.millicent.broker.BrokerError;").find()).isTrue();
    assertThat(BROKER_TYPE.matcher("{@link org.millicent.broker.Broker#id}").find()).isTrue();
    assertThat(BROKER_TYPE.matcher("import org.millicent.broker.store.LedgerStore;").find())
        .isFalse();
    assertThat(BROKER_TYPE.matcher("package org.millicent.broker.store;").find()).isFalse();
  }

  /** The broker types outside the store that {@code f} names and {@code allowed} does not hold. */
  private static List<String> brokerTypes(Path f, Set<String> allowed) throws IOException {
    List<String> out = new ArrayList<>();
    String[] lines = Files.readString(f, StandardCharsets.UTF_8).split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      var m = BROKER_TYPE.matcher(lines[i]);
      while (m.find()) {
        if (!allowed.contains(m.group())) {
          out.add(MAIN.relativize(f) + ":" + (i + 1) + ": " + m.group());
        }
      }
    }
    return out;
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
