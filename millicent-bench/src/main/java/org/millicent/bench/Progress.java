package org.millicent.bench;

import java.io.Console;
import java.io.PrintWriter;
import java.util.Locale;

/**
 * Shows how far a measurement has got on standard error: a bar redrawn in place when a person
 * watches a terminal, plain lines at each quarter otherwise, so that a pipe or a log file gets no
 * carriage-return frames. Not thread-safe: one thread reports.
 */
final class Progress {
  private static final int WIDTH = 30;

  private final PrintWriter err;
  private final boolean terminal;
  private int quartersShown;
  private boolean drawn;

  Progress(PrintWriter err, boolean terminal) {
    this.err = err;
    this.terminal = terminal;
  }

  /** Progress on {@code err}, drawn as a bar only when this process runs in a terminal. */
  @SuppressWarnings("SystemConsoleNull") // still null when the JDK runs without a console provider
  static Progress onStderr(PrintWriter err) {
    Console c = System.console();
    return new Progress(err, c != null && c.isTerminal());
  }

  /** Reports {@code fraction} (0..1) done after {@code requests} requests. */
  void report(double fraction, long requests) {
    double f = Math.clamp(fraction, 0.0, 1.0);
    int percent = (int) Math.round(f * 100);
    if (terminal) {
      int filled = (int) Math.round(f * WIDTH);
      err.printf(
          Locale.ROOT,
          "\r[%s%s] %3d%%  %,d requests",
          "#".repeat(filled),
          ".".repeat(WIDTH - filled),
          percent,
          requests);
      drawn = true;
    } else {
      int quarters = (int) Math.floor(f * 4);
      if (quarters > quartersShown) {
        quartersShown = quarters;
        err.printf(Locale.ROOT, "progress: %d%%, %,d requests%n", quarters * 25, requests);
      }
    }
    err.flush();
  }

  /** Ends the bar's line, if a bar was drawn. */
  void finish() {
    if (drawn) {
      err.println();
      err.flush();
    }
  }
}
