package org.millicent.bench;

import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code millicent bench core}: a few seconds on one thread over the {@link CoreWorkloads}, one
 * {@code name ops_per_second} line per case, then the ratios the design is judged by. Lines that
 * start with {@code #} are comments for people.
 */
@Command(
    name = "core",
    description = {
      "Measures the core operations on one thread.",
      "The cases: raw HMAC-SHA-256, a clear, signed and private"
          + " purchase at the vendor (in memory), and an Ed25519 verify.",
      "Prints one 'name ops_per_second' line per case, then ratios."
    })
public final class CoreBenchCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--seconds",
      defaultValue = "1",
      paramLabel = "S",
      description =
          "Measured time per case in seconds; each case also warms up for half as long"
              + " (default: ${DEFAULT-VALUE}).")
  double seconds;

  @Option(
      names = "--clock",
      defaultValue = "wall",
      paramLabel = "wall|cpu",
      description =
          "wall: elapsed time; cpu: the measuring thread's CPU time, steadier on a busy shared"
              + " machine (default: ${DEFAULT-VALUE}).")
  BenchRunner.Clock clock;

  /** Created by picocli. */
  public CoreBenchCommand() {}

  @Override
  public Integer call() {
    if (!(seconds > 0 && seconds <= 600)) {
      throw new ParameterException(
          spec.commandLine(), "--seconds must be more than 0 and at most 600, was " + seconds);
    }
    Duration measure = Duration.ofNanos((long) (seconds * 1e9));
    PrintWriter out = spec.commandLine().getOut();
    // The machines are shared: with a load above the CPU count the figures drop, so say so.
    out.printf(
        Locale.ROOT,
        "# one thread; %d cpus, load average %.1f; Java %s; %.2f s warm-up + %.2f s measured per"
            + " case, %s clock%n",
        Runtime.getRuntime().availableProcessors(),
        ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(),
        Runtime.version(),
        seconds / 2,
        seconds,
        clock.name().toLowerCase(Locale.ROOT));
    out.flush();
    Map<String, Double> rate = new LinkedHashMap<>();
    for (String name : CoreWorkloads.NAMES) {
      BenchRunner.Result r =
          BenchRunner.measure(CoreWorkloads.create(name), measure.dividedBy(2), measure, clock);
      rate.put(name, r.opsPerSecond());
      out.printf(Locale.ROOT, "%s %.0f%n", name, r.opsPerSecond());
      out.flush();
    }
    int hmacs = CoreWorkloads.HMACS_PER_SIGNED_PURCHASE;
    double signed = rate(rate, "signed_purchase");
    out.printf(
        Locale.ROOT,
        "signed_purchase/(hmac_raw/%d) %.2f%n",
        hmacs,
        signed / (rate(rate, "hmac_raw") / hmacs));
    out.printf(
        Locale.ROOT,
        "signed_purchase/ed25519_verify %.1f%n",
        signed / rate(rate, "ed25519_verify"));
    out.printf(
        Locale.ROOT,
        "private_purchase/ed25519_verify %.1f%n",
        rate(rate, "private_purchase") / rate(rate, "ed25519_verify"));
    out.flush();
    return 0;
  }

  /** The measured rate of the workload {@code name}, one of {@link CoreWorkloads#NAMES}. */
  private static double rate(Map<String, Double> rate, String name) {
    Double r = rate.get(name);
    if (r == null) {
      throw new IllegalStateException("no workload " + name + " among CoreWorkloads.NAMES");
    }
    return r;
  }
}
