package org.millicent.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class ProgressTest {
  private final StringWriter text = new StringWriter();
  private final PrintWriter err = new PrintWriter(text);

  private void run(Progress p) {
    for (int i = 0; i <= 20; i++) {
      p.report(i / 20.0, i * 1_000L);
    }
    p.finish();
  }

  @Test
  void notATerminal_plainLinesAtEachQuarter_noCarriageReturns() {
    run(new Progress(err, false));

    assertThat(text.toString()).doesNotContain("\r").doesNotContain("[#");
    assertThat(text.toString().lines())
        .containsExactly(
            "progress: 25%, 5,000 requests",
            "progress: 50%, 10,000 requests",
            "progress: 75%, 15,000 requests",
            "progress: 100%, 20,000 requests");
  }

  @Test
  void terminal_redrawsOneBarInPlace_andEndsItsLine() {
    run(new Progress(err, true));

    String s = text.toString();
    assertThat(s).contains("\r[###############...............]  50%  10,000 requests");
    assertThat(s).endsWith("] 100%  20,000 requests" + System.lineSeparator());
    assertThat(s.chars().filter(c -> c == '\n').count()).as("one line, redrawn").isEqualTo(1);
  }
}
