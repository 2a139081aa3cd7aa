package org.millicent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The distribution's jars run as named modules ({@code java -p … -m org.millicent.cli/…}), not only
 * on the class path the other tests use: the demo's purchases (broker, vendor, wallet over real
 * HTTP) migrate their databases with Flyway, load services and bind by reflection inside modules,
 * and {@code millicent bench} is found as a service of org.millicent.bench.
 */
class ModulePathIT {
  private static final Path DIST = Path.of("target/dist").toAbsolutePath();

  /** Jetty keeps the connection state the slow-client guard reads in an unexported package. */
  private static final String JETTY_INTERNAL =
      "--add-exports=org.eclipse.jetty.server/org.eclipse.jetty.server.internal=org.millicent.http";

  @TempDir Path dir;

  private record Result(int exitCode, String output) {}

  @Test
  void demo_onTheModulePath_buysSellsSettlesAndReconciles() throws Exception {
    Result r =
        java(
            "demo",
            List.of(JETTY_INTERNAL, "--show-module-resolution"),
            "demo",
            "--data",
            dir.resolve("demo").toString());

    assertThat(r.exitCode()).as(r.output()).isZero();
    for (String module :
        List.of("vendor", "broker", "wallet", "storage", "http", "core", "wallet.proxy")) {
      assertThat(r.output())
          .as("org.millicent.%s resolved from its modular jar", module)
          .containsPattern("org\\.millicent\\." + module.replace(".", "\\.") + " file:\\S+\\.jar");
    }
    assertThat(r.output())
        .contains("402 Payment Required")
        .contains("Warehouse supply")
        .contains("Settlement of licensed scrip")
        .contains("books balanced")
        .contains("Everything reconciles");
    assertThat(dir.resolve("demo").resolve("alice").resolve("wallet.db")).exists();
  }

  @Test
  void demo_withoutJettysExport_refusesToStartNamingTheOption() throws Exception {
    Result r = java("no-export", List.of(), "demo", "--data", dir.resolve("demo").toString());

    assertThat(r.exitCode()).as(r.output()).isNotZero();
    assertThat(r.output()).contains(JETTY_INTERNAL).doesNotContain("IllegalAccessError");
  }

  @Test
  void bench_onTheModulePath_isFoundAsAService() throws Exception {
    Result r = java("bench", List.of(), "bench", "--help");

    assertThat(r.exitCode()).as(r.output()).isZero();
    assertThat(r.output()).contains("Usage: millicent bench").contains("storage");
  }

  private Result java(String name, List<String> options, String... args)
      throws IOException, InterruptedException {
    assertThat(DIST.resolve("millicent-cli.jar")).as("the distribution (package phase)").exists();
    List<String> cmd = new ArrayList<>();
    cmd.add(ProcessHandle.current().info().command().orElseThrow());
    cmd.add("-Xmx256m");
    cmd.add("--enable-native-access=org.xerial.sqlitejdbc");
    cmd.addAll(options);
    cmd.add("--module-path");
    cmd.add(DIST.resolve("millicent-cli.jar") + java.io.File.pathSeparator + DIST.resolve("lib"));
    cmd.add("--module");
    cmd.add("org.millicent.cli/org.millicent.cli.Main");
    cmd.addAll(List.of(args));
    Path log = dir.resolve(name + ".log");
    Process p =
        new ProcessBuilder(cmd)
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    try {
      assertThat(p.waitFor(120, TimeUnit.SECONDS)).as(name + " finished").isTrue();
    } finally {
      p.destroyForcibly();
    }
    return new Result(p.exitValue(), Files.readString(log));
  }
}
