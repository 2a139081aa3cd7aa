package org.millicent.bench;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;
import org.millicent.storage.DatabaseConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code millicent bench storage}: durable spends per second with many concurrent spenders through
 * the vendor's group-committed spent list (one {@code spend} per purchase, as a vendor serving
 * static content pays; then claim and commit, as a reverse proxy pays), and in the same run the
 * baseline "customers keep accounts with vendors" (one SQL balance debit per purchase), on SQLite
 * and, when asked, on PostgreSQL; one {@code name ops_per_second} line per case, then the ratios
 * and the spent set's bits per spend. Lines that start with {@code #} are comments for people.
 */
@Command(
    name = "storage",
    description = {
      "Measures durable spends per second with concurrent spenders.",
      "Each case spends with concurrent spenders (one spend with its change,"
          + " answered once on disk; then claim and commit, as a reverse proxy pays) against one SQL balance debit per purchase, on throw-away"
          + " databases: SQLite (WAL, synchronous=FULL) and optionally PostgreSQL.",
      "Prints one 'name ops_per_second' line per case, then ratios. The case"
          + " sqlite_commit_ceiling is the most one SQLite file can commit in batches as large as"
          + " the spenders allow (one thread writing them back to back): the spend cases'"
          + " ceiling."
    })
public final class StorageBenchCommand implements Callable<Integer> {
  /** The case that measures the SQLite group commit's ceiling ({@link SpendCommitProbe}). */
  static final String CEILING = "sqlite_commit_ceiling";

  @Spec CommandSpec spec;

  @Mixin SqliteRunOptions run;

  @Option(
      names = "--spenders",
      defaultValue = "64",
      paramLabel = "N",
      description = "Concurrent spender threads (default: ${DEFAULT-VALUE}).")
  int spenders;

  @Option(
      names = "--in-flight",
      defaultValue = "1",
      paramLabel = "K",
      description =
          "Purchases each spender keeps in flight (spendAsync) in the spend cases; 1 is one"
              + " purchase at a time, as a thread-per-request server does (default:"
              + " ${DEFAULT-VALUE}).")
  int inFlight;

  @Option(
      names = "--virtual",
      description =
          "Spenders are virtual threads, as a vendor's request threads are (default: platform"
              + " threads).")
  boolean virtual;

  @Option(
      names = "--postgres",
      arity = "0..1",
      fallbackValue = StorageWorkloads.DEFAULT_POSTGRES_URL,
      paramLabel = "URL",
      description =
          "Also measure PostgreSQL, in fresh schemas of this database (default URL when given"
              + " alone: "
              + StorageWorkloads.DEFAULT_POSTGRES_URL
              + ").")
  @Nullable String postgres;

  @Option(
      names = "--only",
      split = ",",
      paramLabel = "CASE",
      description =
          "Measure only these cases (names as printed, e.g. postgres_shared_spend,postgres_debit);"
              + " default: all.")
  @Nullable List<String> only;

  /** Created by picocli. */
  public StorageBenchCommand() {}

  @Override
  public Integer call() throws InterruptedException {
    List<String> problems = new ArrayList<>();
    if (!run.secondsValid()) {
      problems.add("--seconds must be more than 0 and at most 600, was " + run.seconds);
    }
    if (spenders < 1 || spenders > 4096) {
      problems.add("--spenders must be 1..4096, was " + spenders);
    }
    if (inFlight < 1 || inFlight > 1024) {
      problems.add("--in-flight must be 1..1024, was " + inFlight);
    }
    if (postgres != null && !postgres.startsWith("jdbc:postgresql:")) {
      problems.add("--postgres must be a jdbc:postgresql: URL");
    }
    if (only != null) {
      List<String> known = new ArrayList<>();
      for (String store : StorageWorkloads.SPEND_STORES) {
        known.add(name(store) + "_spend");
        known.add(name(store) + "_claim_commit");
      }
      for (String store : StorageWorkloads.DEBIT_STORES) {
        known.add(store + "_debit");
      }
      known.add(CEILING);
      for (String c : only) {
        if (!known.contains(c)) {
          problems.add("--only: unknown case " + c + ", expected some of " + known);
        }
      }
    }
    if (!problems.isEmpty()) {
      throw new ParameterException(spec.commandLine(), String.join("; ", problems));
    }
    StorageWorkloads.Target env = StorageWorkloads.Target.fromEnvironment();
    StorageWorkloads.Target target = new StorageWorkloads.Target(run.sqliteParent(env), postgres);
    PrintWriter out = spec.commandLine().getOut();
    out.printf(
        Locale.ROOT,
        "# %d %sspenders, %d in flight each; %d cpus; Java %s; %.2f s warm-up + %.2f s measured"
            + " per case%n# SQLite files under %s (WAL, synchronous=FULL)%s%n",
        spenders,
        virtual ? "virtual-thread " : "",
        inFlight,
        Runtime.getRuntime().availableProcessors(),
        Runtime.version(),
        run.seconds / 2,
        run.seconds,
        target.sqliteParent(),
        postgres == null
            ? "; PostgreSQL not measured (--postgres)"
            : "\n# PostgreSQL "
                + new DatabaseConfig.Postgres(postgres, "x", 1).redactedUrl()
                + ", fresh schemas");
    out.flush();

    Map<String, Double> rate = new LinkedHashMap<>();
    List<String> spendStores = postgres == null ? List.of("sqlite") : StorageWorkloads.SPEND_STORES;
    for (String store : spendStores) {
      if (skip(name(store) + "_spend")) {
        continue;
      }
      try (StorageWorkloads.Spends s = StorageWorkloads.Spends.open(store, target)) {
        Runnable op = inFlight == 1 ? s::purchase : () -> pipelined(s, inFlight);
        double r =
            ConcurrentRunner.measure(spenderThreads(), spenders, op, run.warmup(), run.measure())
                * inFlight;
        rate.put(name(store) + "_spend", r);
        out.printf(Locale.ROOT, "%s_spend %.0f%n# %s%n", name(store), r, s.summary());
        out.flush();
      }
    }
    if (!skip(CEILING)) {
      int batch = Math.min(spenders * inFlight, SpendCommitProbe.MAX_BATCH_SIZE);
      SpendCommitProbe.Result c =
          StorageWorkloads.sqliteCommitCeiling(target, batch, run.warmup(), run.measure());
      rate.put(CEILING, c.spendsPerSecond());
      out.printf(
          Locale.ROOT,
          "%s %.0f%n# sqlite: one thread committing batches of %d spends back to back, nobody"
              + " waiting: %.1f us per batch (insert %.1f, commit %.1f); %d spenders with %d in"
              + " flight each cannot be batched into more by this writer on one SQLite file%n",
          CEILING,
          c.spendsPerSecond(),
          batch,
          c.cycleMicros(),
          c.insertMicros(),
          c.commitMicros(),
          spenders,
          inFlight);
      out.flush();
    }
    for (String store : spendStores) {
      if (skip(name(store) + "_claim_commit")) {
        continue;
      }
      try (StorageWorkloads.Spends s = StorageWorkloads.Spends.open(store, target)) {
        double r =
            ConcurrentRunner.measure(
                spenderThreads(), spenders, s::purchaseClaimCommit, run.warmup(), run.measure());
        rate.put(name(store) + "_claim_commit", r);
        out.printf(Locale.ROOT, "%s_claim_commit %.0f%n# %s%n", name(store), r, s.summary());
        out.flush();
      }
    }
    List<String> debitStores = postgres == null ? List.of("sqlite") : StorageWorkloads.DEBIT_STORES;
    for (String store : debitStores) {
      if (skip(store + "_debit")) {
        continue;
      }
      try (StorageWorkloads.Debits d = StorageWorkloads.Debits.open(store, target, spenders)) {
        double r = ConcurrentRunner.measure(spenders, d::purchase, run.warmup(), run.measure());
        rate.put(store + "_debit", r);
        out.printf(Locale.ROOT, "%s_debit %.0f%n", store, r);
        out.flush();
      }
    }
    ratio(out, rate, "sqlite_spend", "sqlite_debit");
    ratio(out, rate, "sqlite_spend", CEILING);
    ratio(out, rate, "postgres_shared_spend", "postgres_debit");
    ratio(out, rate, "postgres_embedded_spend", "postgres_debit");
    ratio(out, rate, "postgres_shared_claim_commit", "postgres_debit");
    out.flush();
    return 0;
  }

  private static void pipelined(StorageWorkloads.Spends s, int k) {
    CompletableFuture<?>[] inFlight = new CompletableFuture<?>[k];
    for (int i = 0; i < k; i++) {
      inFlight[i] = s.purchaseAsync();
    }
    CompletableFuture.allOf(inFlight).join();
  }

  private Thread.Builder spenderThreads() {
    return virtual
        ? Thread.ofVirtual().name("bench-spender-", 0)
        : Thread.ofPlatform().name("bench-spender-", 0);
  }

  private boolean skip(String name) {
    return only != null && !only.contains(name);
  }

  private static String name(String store) {
    return store.replace('-', '_');
  }

  private static void ratio(PrintWriter out, Map<String, Double> rate, String a, String b) {
    if (rate.containsKey(a) && rate.containsKey(b)) {
      out.printf(Locale.ROOT, "%s/%s %.2f%n", a, b, rate.get(a) / rate.get(b));
    }
  }
}
