package org.millicent.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs every shell block of README.md marked runnable ({@value #MARKER} on the line before its
 * fence) with {@code bash -e} from the repository root, as a newcomer would paste it: each must
 * exit 0 within {@link #TIMEOUT_MINUTES} minutes. The blocks call {@code bin/millicent}, which uses
 * the distribution this module's {@code package} phase built (integration tests run after it), so
 * no build runs inside the build. Each block runs with {@code HOME} in a temporary folder, so none
 * depends on (or writes to) the developer's home.
 */
class ReadmeIT {
  /** The marker line before a runnable block's fence. */
  static final String MARKER = "<!-- runnable -->";

  private static final long TIMEOUT_MINUTES = 5;

  @TempDir Path home;

  /** A runnable block: the heading it is under, its first line number (1-based) and its text. */
  record Block(String heading, int line, String text) {}

  /** The runnable shell blocks of a Markdown text, in order. */
  static List<Block> runnableBlocks(List<String> lines) {
    List<Block> out = new ArrayList<>();
    String heading = "(top)";
    for (int i = 0; i < lines.size(); i++) {
      String l = lines.get(i);
      if (l.startsWith("#")) {
        heading = l.replaceFirst("^#+\\s*", "");
      }
      if (!l.strip().equals(MARKER)) {
        continue;
      }
      String fence = i + 1 < lines.size() ? lines.get(i + 1).strip() : "";
      if (!(fence.equals("```sh") || fence.equals("```bash"))) {
        throw new IllegalArgumentException(
            "line " + (i + 1) + ": " + MARKER + " must stand right before a ```sh fence");
      }
      StringBuilder text = new StringBuilder();
      int j = i + 2;
      while (j < lines.size() && !lines.get(j).strip().equals("```")) {
        text.append(lines.get(j)).append('\n');
        j++;
      }
      if (j == lines.size()) {
        throw new IllegalArgumentException("line " + (i + 2) + ": the block is never closed");
      }
      out.add(new Block(heading, i + 3, text.toString()));
      i = j;
    }
    return out;
  }

  private static Path root() {
    Path p = Path.of("").toAbsolutePath();
    while (p != null && !Files.exists(p.resolve("README.md"))) {
      p = p.getParent();
    }
    if (p == null) {
      throw new IllegalStateException("no README.md above " + Path.of("").toAbsolutePath());
    }
    return p;
  }

  @Test
  void extraction_findsMarkedBlocksOnly_andRefusesAMarkerWithoutFence() {
    List<String> md =
        List.of(
            "# T",
            "```sh",
            "not marked",
            "```",
            "## A",
            MARKER,
            "```sh",
            "echo a",
            "echo b",
            "```");

    assertThat(runnableBlocks(md)).containsExactly(new Block("A", 8, "echo a\necho b\n"));
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> runnableBlocks(List.of(MARKER, "text")))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @TestFactory
  Stream<DynamicTest> everyRunnableReadmeBlock_exitsZero() throws IOException {
    Path root = root();
    List<Block> blocks =
        runnableBlocks(Files.readAllLines(root.resolve("README.md"), StandardCharsets.UTF_8));
    assertThat(blocks).as("runnable blocks in README.md").isNotEmpty();
    assertThat(blocks).extracting(Block::heading).contains("Try it");
    Path jar = root.resolve("millicent-cli/target/dist/millicent-cli.jar");
    assertThat(jar)
        .as("the distribution bin/millicent runs (built by this module's package phase)")
        .exists();
    return blocks.stream()
        .map(
            b ->
                DynamicTest.dynamicTest(
                    "README.md line " + b.line() + " (" + b.heading() + ")", () -> run(root, b)));
  }

  private void run(Path root, Block b) throws IOException, InterruptedException {
    Path script = Files.createTempFile(home, "block", ".sh");
    Files.writeString(script, b.text(), StandardCharsets.UTF_8);
    Path log = Files.createTempFile(home, "block", ".log");
    ProcessBuilder pb =
        new ProcessBuilder("bash", "-e", script.toString())
            .directory(root.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    pb.environment().put("HOME", home.toString());
    pb.environment().remove("MILLICENT_WALLET");
    Process p = pb.start();
    boolean done = p.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES);
    if (!done) {
      p.descendants().forEach(ProcessHandle::destroy);
      p.destroy();
      p.waitFor(10, TimeUnit.SECONDS);
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
      fail(
          "README.md line %d (%s) did not finish in %d minutes; its output:%n%s",
          b.line(), b.heading(), TIMEOUT_MINUTES, tail(log));
    }
    // Servers a block left behind would hold its ports for the next block.
    p.descendants().forEach(ProcessHandle::destroyForcibly);
    assertThat(p.exitValue())
        .as(
            "exit code of README.md line %d (%s); its output:%n%s",
            b.line(), b.heading(), tail(log))
        .isZero();
  }

  private static String tail(Path log) throws IOException {
    List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
  }
}
