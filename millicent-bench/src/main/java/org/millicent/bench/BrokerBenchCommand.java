package org.millicent.bench;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code millicent bench broker}: durable licensed vendor-scrip sales per second with many
 * concurrent buyers, and in the same run the baseline of one SQL balance debit per purchase; one
 * {@code name ops_per_second} line per case, then the ratio. Lines that start with {@code #} are
 * comments for people.
 */
@Command(
    name = "broker",
    description = {
      "Measures durable licensed vendor-scrip sales per second.",
      "Each sale charges the account, mints, records"
          + " the piece and the postings, answered once on disk) against one SQL balance debit per"
          + " purchase, on throw-away SQLite (WAL, synchronous=FULL) databases.",
      "Prints one 'name ops_per_second' line per case, then the ratio."
    })
public final class BrokerBenchCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin SqliteRunOptions run;

  @Option(
      names = "--buyers",
      defaultValue = "1024",
      paramLabel = "N",
      description =
          "Concurrent buyers, one virtual thread each, as the broker's HTTP server runs one"
              + " request per virtual thread (default: ${DEFAULT-VALUE}).")
  int buyers;

  @Option(
      names = "--debit-threads",
      defaultValue = "64",
      paramLabel = "N",
      description = "Platform threads of the SQL debit baseline (default: ${DEFAULT-VALUE}).")
  int debitThreads;

  /** Created by picocli. */
  public BrokerBenchCommand() {}

  @Override
  public Integer call() throws InterruptedException {
    if (!run.secondsValid()
        || buyers < 1
        || buyers > 100_000
        || debitThreads < 1
        || debitThreads > 4096) {
      throw new ParameterException(
          spec.commandLine(),
          "--seconds must be in (0, 600], --buyers in 1..100000, --debit-threads in 1..4096");
    }
    StorageWorkloads.Target env = StorageWorkloads.Target.fromEnvironment();
    Path parent = run.sqliteParent(env);
    PrintWriter out = spec.commandLine().getOut();
    out.printf(
        Locale.ROOT,
        "# %d buyers (virtual threads); %d cpus; Java %s; %.2f s warm-up + %.2f s measured per case%n"
            + "# SQLite files under %s (WAL, synchronous=FULL)%n",
        buyers,
        Runtime.getRuntime().availableProcessors(),
        Runtime.version(),
        run.seconds / 2,
        run.seconds,
        parent);
    out.flush();
    double sales;
    try (BrokerWorkloads w = BrokerWorkloads.open(parent, null)) {
      sales =
          ConcurrentRunner.measure(
              Thread.ofVirtual(), buyers, w::sale, run.warmup(), run.measure());
      out.printf(Locale.ROOT, "sqlite_licensed_sale %.0f%n%s%n", sales, w.summary());
      out.flush();
    }
    double debits;
    try (StorageWorkloads.Debits d =
        StorageWorkloads.Debits.open(
            "sqlite", new StorageWorkloads.Target(parent, null), debitThreads)) {
      debits = ConcurrentRunner.measure(debitThreads, d::purchase, run.warmup(), run.measure());
      out.printf(Locale.ROOT, "sqlite_debit %.0f%n", debits);
    }
    out.printf(Locale.ROOT, "sqlite_licensed_sale/sqlite_debit %.2f%n", sales / debits);
    out.flush();
    return 0;
  }
}
