package org.millicent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * {@code millicent bench} is not the CLI's own code: it comes from millicent-bench on the class
 * path, found as a service, and is listed after the built-in commands and before help.
 */
class ToolDiscoveryTest {
  @Test
  void bench_isFoundOnTheClassPath_notCompiledIntoTheCli() {
    CommandLine bench = Main.commandLine().getSubcommands().get("bench");

    assertThat(bench).isNotNull();
    Class<?> command = bench.getCommand().getClass();
    assertThat(command.getPackageName()).doesNotStartWith("org.millicent.cli");
    assertThat(command.getProtectionDomain().getCodeSource().getLocation().getPath())
        .as("where the bench command was loaded from")
        .doesNotContain("millicent-cli/target/classes");
  }

  @Test
  void foundTools_comeAfterTheBuiltInCommands_andHelpComesLast() {
    List<String> names = List.copyOf(Main.commandLine().getSubcommands().keySet());

    assertThat(names).containsSubsequence("demo", "bench", "help");
    assertThat(names.getLast()).isEqualTo("help");
  }
}
