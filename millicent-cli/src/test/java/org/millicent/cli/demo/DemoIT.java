package org.millicent.cli.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.millicent.cli.CliRun;

/** {@code millicent demo} in-process: the whole story plays, reconciles and exits 0. */
class DemoIT {
  @TempDir Path dir;

  @Test
  void demo_playsEveryStepOfTheScenario_andReconciles() {
    CliRun r = CliRun.of("demo", "--data", dir.resolve("demo").toString());

    assertThat(r.exitCode()).as(r.out() + r.err()).isZero();
    assertThat(r.out())
        .contains("402 Payment Required")
        .contains("opens an account with the broker Venetia named, Bob")
        .contains("back as change")
        .contains("with her change, without going back to Bob")
        .contains("renews her scrip")
        .contains("Warehouse supply")
        .contains("Settlement of licensed scrip")
        .contains("books balanced")
        .contains("Everything reconciles");
    assertThat(Files.exists(dir.resolve("demo").resolve("alice").resolve("wallet.db"))).isTrue();
  }

  @Test
  void demo_readsWell_amountsWholeCountsAgreeAndTheRenewalShowsBothExpiries() {
    CliRun r = CliRun.of("demo", "--data", dir.resolve("demo").toString());
    assertThat(r.exitCode()).as(r.out() + r.err()).isZero();
    String out = r.out();

    assertThat(out).doesNotContain("null").doesNotContainPattern("\\b1 (pieces|pages|hours)\\b");
    // Every amount is written one way and never broken across two lines.
    assertThat(out).containsPattern("0\\.1¢ \\(100 m¢\\)").doesNotContain("millicents (");
    assertThat(out.lines()).noneMatch(l -> l.endsWith("m¢") || l.strip().startsWith("m¢)"));
    assertThat(out.lines()).noneMatch(l -> l.matches(".*\\d¢$"));

    String text = out.replaceAll("\\s+", " ");
    Matcher m =
        Pattern.compile(
                "expiring (\\S+)\\) for a fresh one of the same value \\(scrip ID \\S+,"
                    + " expiring (\\S+)\\)\\. Fresh scrip expires (\\d+) hours after it is"
                    + " issued")
            .matcher(text);
    assertThat(m.find()).as(text).isTrue();
    Instant oldExpiry = Instant.parse(m.group(1));
    Instant newExpiry = Instant.parse(m.group(2));
    assertThat(newExpiry).isAfterOrEqualTo(oldExpiry);
    assertThat(text)
        .contains(
            newExpiry.equals(oldExpiry)
                ? "so here both expiries are the same"
                : "so this renewal gains");
  }

  @Test
  void demo_inATemporaryFolder_deletesItAtTheEnd() {
    CliRun r = CliRun.of("demo");

    assertThat(r.exitCode()).as(r.out() + r.err()).isZero();
    String state = r.out().lines().filter(l -> l.contains("State: ")).findFirst().orElseThrow();
    Path folder = Path.of(state.substring(state.indexOf("State: ") + 7).split(" ", -1)[0]);
    assertThat(folder).doesNotExist();
  }
}
