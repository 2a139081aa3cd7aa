package org.millicent.bench;

import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code millicent bench vendor}: drives one vendor gateway with free and paid requests alternately
 * and prints requests per second, latency percentiles and the server's CPU time per request for
 * both, and their ratio (the goal: paid at least 0.8 x free on the same server). By default it
 * starts the sample vendor in its own JVM on a temporary folder (bound to half of the CPUs, the
 * load generator to the other half, where taskset allows) and buys its load generator's scrip as a
 * warehouse broker; {@code --in-process} runs the vendor in this JVM instead; with {@code --url} it
 * drives a running vendor and buys a warehouse lot with {@code --broker-token}. The server's CPU
 * time comes from its {@code /metrics}. Progress goes to stderr (a bar in a terminal, plain lines
 * otherwise), the table to stdout.
 */
@Command(
    name = "vendor",
    description = {
      "Measures a vendor gateway's free and paid requests per second.",
      "It drives the gateway with free and paid requests alternately; prints requests/s,"
          + " latency percentiles and the server's CPU time per request for both.",
      "Default: the sample vendor in its own JVM, bound to half of the CPUs (the load generator"
          + " to the other half). --in-process: in this JVM. With --url: a running vendor, scrip"
          + " bought as a warehouse broker (--broker-token)."
    })
public final class VendorBenchCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--url",
      paramLabel = "URL",
      description = "A running vendor (default: start one).")
  @Nullable URI url;

  @Option(
      names = "--broker-token",
      paramLabel = "TOKEN",
      description = "With --url: a broker token of that vendor, to buy the load generator's scrip.")
  @Nullable String brokerToken;

  @Option(
      names = "--page-bytes",
      paramLabel = "N",
      description =
          "Without --url: serve a free and a priced page of N bytes each from a folder"
              + " (/free.html, /paid.html) instead of the sample catalogue's pages.")
  @Nullable Integer pageBytes;

  @Option(
      names = "--data",
      paramLabel = "DIR",
      description =
          "Where the started vendor keeps its SQLite file (default: a new temporary folder,"
              + " deleted afterwards).")
  @Nullable Path dataDir;

  @Option(
      names = "--in-process",
      description =
          "Run the vendor inside this JVM, sharing it with the load generator (default: the vendor"
              + " runs in its own JVM, so its CPU time is measured apart from the load"
              + " generator's).")
  boolean inProcess;

  @Option(
      names = "--pin",
      negatable = true,
      defaultValue = "true",
      fallbackValue = "true",
      description =
          "With the vendor in its own JVM on Linux with 2 or more CPUs: bind it to the first half"
              + " of the CPUs and the load generator to the other half with taskset, so that"
              + " neither takes the other's CPU (default: ${DEFAULT-VALUE}).")
  boolean pin;

  @Option(
      names = "--workers",
      defaultValue = "64",
      description = "Concurrent clients (default: ${DEFAULT-VALUE}).")
  int workers;

  @Option(
      names = "--duration",
      defaultValue = "30s",
      description =
          "Time of the measured phases together; each phase is recorded after its first third,"
              + " in which the server's JIT adapts to the new mix (default: ${DEFAULT-VALUE}).")
  String duration;

  @Option(
      names = "--phases",
      defaultValue = "10",
      description =
          "Measured phases, alternately free only and paid only (default: ${DEFAULT-VALUE}).")
  int phases;

  @Option(
      names = "--warmup",
      defaultValue = "30s",
      description =
          "Unrecorded warm-up, free and paid requests mixed: a new server JVM compiles its hot"
              + " paths meanwhile, which takes tens of seconds on one CPU"
              + " (default: ${DEFAULT-VALUE}).")
  String warmup;

  @Option(
      names = "--free-path",
      defaultValue = "/",
      description = "Free resource (default: ${DEFAULT-VALUE}).")
  String freePath;

  @Option(
      names = "--paid-path",
      defaultValue = "/pages/haiku.html",
      description = "Priced resource (default: ${DEFAULT-VALUE}).")
  String paidPath;

  /** Created by picocli. */
  public VendorBenchCommand() {}

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Duration measure = parse(duration);
    Duration warm = parse(warmup);
    if (measure == null || warm == null || workers < 1 || phases < 2) {
      err.println(
          "millicent bench vendor: --duration and --warmup take e.g. 10s, --workers >= 1,"
              + " --phases >= 2");
      return 2;
    }
    if (url != null && pageBytes != null) {
      err.println(
          "millicent bench vendor: --page-bytes needs a vendor started by the bench (no --url)");
      return 2;
    }
    if (url != null && brokerToken == null) {
      err.println(
          "millicent bench vendor: --url needs --broker-token to buy scrip for the paid requests");
      return 2;
    }
    long value = 1_000_000_000L; // ten thousand dollars: change pays every later request
    try (BenchVendor vendor =
        url != null && brokerToken != null // required with --url above
            ? BenchVendor.running(url, brokerToken, workers, value, freePath, paidPath)
            : BenchVendor.start(
                dataDir, pageBytes, inProcess, pin, workers, value, freePath, paidPath)) {
      URI base = vendor.url;
      List<VendorLoad.Wallet> wallets = vendor.wallets;
      String setup = vendor.setup;
      VendorLoad load = new VendorLoad(base, vendor.freePath, vendor.paidPath);
      Duration phase = measure.dividedBy(phases);
      err.printf(
          Locale.ROOT,
          "vendor bench: %s, server in %s; %d workers, %s warm-up (mixed), then %d phases of %s s"
              + " alternately free only and paid only, each recorded after its first third%n",
          base,
          setup,
          workers,
          warmup,
          phases,
          phase.toMillis() / 1000.0);
      ServerCpu cpu = new ServerCpu(base);
      ServerCpu.Reading[] readings = new ServerCpu.Reading[2 * phases];
      boolean paidFirst = false;
      Progress progress = Progress.onStderr(err);
      VendorLoad.Result r =
          load.run(
              wallets,
              warm,
              phases,
              phase,
              phase.dividedBy(3),
              paidFirst,
              j -> readings[j] = readQuietly(cpu),
              f -> progress.report(f, load.done()));
      progress.finish();
      if (load.firstError() != null) {
        err.println(
            "millicent bench vendor: "
                + load.errors()
                + " errors, the first: "
                + load.firstError());
        return 1;
      }
      double[] cpuSeconds = VendorBenchReport.phaseCpu(readings, paidFirst);
      out.printf(
          Locale.ROOT,
          "%-5s %10s %10s %8s %8s %8s %14s %9s%n",
          "kind",
          "requests",
          "req/s",
          "p50 ms",
          "p90 ms",
          "p99 ms",
          "server cpu us",
          "busy");
      int serverCpus = readings[0] == null ? 0 : readings[0].cpus();
      VendorBenchReport.row(
          out, "free", r.free(), r.freePerSecond(), cpuSeconds[0], r.freeSeconds(), serverCpus);
      VendorBenchReport.row(
          out, "paid", r.paid(), r.paidPerSecond(), cpuSeconds[1], r.paidSeconds(), serverCpus);
      double ratio = r.paidPerSecond() / r.freePerSecond();
      out.printf(Locale.ROOT, "paid/free throughput: %.2f (goal >= 0.80)%n", ratio);
      if (!Double.isNaN(cpuSeconds[0]) && !Double.isNaN(cpuSeconds[1])) {
        out.printf(
            Locale.ROOT,
            "server CPU per request, free/paid: %.2f%s%n",
            (cpuSeconds[0] / r.free().count()) / (cpuSeconds[1] / r.paid().count()),
            vendor.inProcess() ? " (in-process: includes the load generator)" : "");
      }
      VendorBenchReport.printMedians(out, r, readings, paidFirst);
      VendorBenchReport.printBatches(out, readings, paidFirst);
      out.flush();
      return 0;
    }
  }

  private static ServerCpu.@Nullable Reading readQuietly(ServerCpu cpu) {
    try {
      return cpu.read();
    } catch (java.io.IOException e) {
      return null;
    }
  }

  private static @Nullable Duration parse(String s) {
    try {
      if (s.endsWith("ms")) {
        return Duration.ofMillis(Long.parseLong(s.substring(0, s.length() - 2)));
      }
      if (s.endsWith("s")) {
        return Duration.ofSeconds(Long.parseLong(s.substring(0, s.length() - 1)));
      }
      if (s.endsWith("m")) {
        return Duration.ofMinutes(Long.parseLong(s.substring(0, s.length() - 1)));
      }
      return Duration.parse(s);
    } catch (RuntimeException e) {
      return null;
    }
  }
}
