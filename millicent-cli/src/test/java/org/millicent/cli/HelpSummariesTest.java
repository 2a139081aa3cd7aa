package org.millicent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * Every command's one-line summary, the first line of its description that its parent's command
 * list shows, is a whole sentence that fits on one line of that list.
 */
class HelpSummariesTest {
  @Test
  void everySummary_isAWholeSentence_onOneLineOfItsParentsCommandList() {
    List<String> problems = new ArrayList<>();
    walk(Main.commandLine(), "millicent", problems);
    assertThat(problems).isEmpty();
  }

  private static void walk(CommandLine parent, String path, List<String> problems) {
    String list = parent.getHelp().commandList();
    List<String> lines = list.lines().toList();
    for (Map.Entry<String, CommandLine> e : parent.getSubcommands().entrySet()) {
      CommandLine sub = e.getValue();
      String name = path + " " + e.getKey();
      // picocli lists a command by its header when it has one, else its description's first line.
      String[] header = sub.getCommandSpec().usageMessage().header();
      String[] description =
          header.length > 0 ? header : sub.getCommandSpec().usageMessage().description();
      if (description.length == 0 || description[0].isBlank()) {
        problems.add(name + ": no description");
        continue;
      }
      String summary = String.format(description[0]).strip();
      if (!summary.endsWith(".")) {
        problems.add(name + ": summary is not a whole sentence: \"" + summary + '"');
      }
      boolean onOneLine =
          lines.stream()
              .anyMatch(l -> l.strip().startsWith(e.getKey() + " ") && l.strip().endsWith(summary));
      if (!onOneLine) {
        problems.add(name + ": summary does not fit on one line of the command list:\n" + list);
      }
      walk(sub, name, problems);
    }
  }
}
