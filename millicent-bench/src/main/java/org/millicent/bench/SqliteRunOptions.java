package org.millicent.bench;

import java.nio.file.Path;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;

/**
 * The options of the bench commands that measure cases on throw-away SQLite databases ({@code bench
 * storage}, {@code bench broker}): the measured time per case, each after a warm-up of half as
 * long, and the folder of the files. A picocli mixin; not thread-safe.
 */
public final class SqliteRunOptions {
  @Option(
      names = "--seconds",
      defaultValue = "3",
      paramLabel = "S",
      description =
          "Measured time per case in seconds, after a warm-up of half as long"
              + " (default: ${DEFAULT-VALUE}).")
  double seconds;

  @Option(
      names = "--dir",
      paramLabel = "DIR",
      description = "Folder for the throw-away SQLite files (default: the temp folder).")
  @Nullable Path dir;

  /** Created by picocli. */
  public SqliteRunOptions() {}

  /** Whether {@code --seconds} is more than 0 and at most 600. */
  boolean secondsValid() {
    return seconds > 0 && seconds <= 600;
  }

  /** The measured time per case. */
  Duration measure() {
    return Duration.ofNanos((long) (seconds * 1e9));
  }

  /** The warm-up before each case: half the measured time. */
  Duration warmup() {
    return measure().dividedBy(2);
  }

  /** The folder for the SQLite files: {@code --dir}, else the one {@code env} names. */
  Path sqliteParent(StorageWorkloads.Target env) {
    return dir != null ? dir : env.sqliteParent();
  }
}
