package org.millicent.bytes;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Secrets, MACs, tokens and fingerprints are compared in {@link ConstantTime} only, and protocol
 * values are base64url-coded by {@link Base64Url} only: no main source of any module calls {@code
 * MessageDigest.isEqual} or the JDK's {@code Base64} coders itself (issue 14).
 */
class OneHelperSourceTest {
  private static final List<String> HELPERS = List.of("ConstantTime.java", "Base64Url.java");

  /** The repository root: the parent of this module's folder, where the tests run. */
  private static Path root() {
    Path here = Path.of("").toAbsolutePath();
    return Files.isDirectory(here.resolve("millicent-core")) ? here : here.getParent();
  }

  private static List<Path> mainSources() throws IOException {
    List<Path> out = new ArrayList<>();
    try (Stream<Path> modules = Files.list(root())) {
      for (Path m : modules.filter(p -> Files.isDirectory(p.resolve("src/main/java"))).toList()) {
        try (Stream<Path> files = Files.walk(m.resolve("src/main/java"))) {
          files
              .filter(p -> p.toString().endsWith(".java"))
              .filter(p -> !HELPERS.contains(p.getFileName().toString()))
              .forEach(out::add);
        }
      }
    }
    return out;
  }

  private static List<String> offenders(String forbidden) throws IOException {
    List<String> out = new ArrayList<>();
    for (Path p : mainSources()) {
      try {
        if (Files.readString(p).contains(forbidden)) {
          out.add(root().relativize(p).toString());
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return out;
  }

  @Test
  void theSourcesScanned_includeEveryModule() throws IOException {
    List<Path> sources = mainSources();
    for (String module :
        List.of("millicent-core", "millicent-storage", "millicent-vendor", "millicent-broker")) {
      assertThat(sources).as(module).anyMatch(p -> p.startsWith(root().resolve(module)));
    }
    assertThat(sources).anyMatch(p -> p.startsWith(root().resolve("millicent-wallet")));
  }

  @Test
  void noMainSource_comparesBytesWithMessageDigestIsEqual_butConstantTime() throws IOException {
    assertThat(offenders("MessageDigest.isEqual")).isEmpty();
  }

  @Test
  void noMainSource_usesTheJdkBase64CodersDirectly_butBase64Url() throws IOException {
    assertThat(offenders("Base64.get")).isEmpty();
  }
}
