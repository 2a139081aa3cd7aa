package org.millicent.bench;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * What {@code millicent bench vendor} prints of a run: a row per kind of request with the server's
 * CPU per request, the median phase of each kind and the spends per group commit. Stateless.
 */
final class VendorBenchReport {
  private VendorBenchReport() {}

  /**
   * CPU seconds the server spent in the recorded part of free phases and of paid phases; NaN when
   * unreadable. {@code readings[2k]} ends phase k's settling time, {@code readings[2k + 1]} the
   * phase.
   */
  static double[] phaseCpu(ServerCpu.Reading[] readings, boolean paidFirst) {
    double free = 0;
    double paid = 0;
    for (int k = 0; 2 * k + 1 < readings.length; k++) {
      ServerCpu.Reading from = readings[2 * k];
      ServerCpu.Reading to = readings[2 * k + 1];
      if (from == null || to == null) {
        return new double[] {Double.NaN, Double.NaN};
      }
      double used = to.cpuSeconds() - from.cpuSeconds();
      if (k % 2 == (paidFirst ? 0 : 1)) {
        paid += used;
      } else {
        free += used;
      }
    }
    return new double[] {free, paid};
  }

  /**
   * The median phase of each kind: a phase in which the server's JIT recompiled, or another process
   * took the CPU, moves the totals above but not the medians.
   */
  static void printMedians(
      PrintWriter out, VendorLoad.Result r, ServerCpu.Reading[] readings, boolean paidFirst) {
    int phases = r.perPhase().length;
    if (phases < 4) {
      return;
    }
    List<Double> freeRates = new ArrayList<>();
    List<Double> paidRates = new ArrayList<>();
    List<Double> freeCpu = new ArrayList<>();
    List<Double> paidCpu = new ArrayList<>();
    for (int k = 0; k < phases; k++) {
      boolean paying = k % 2 == (paidFirst ? 0 : 1);
      long n = r.perPhase()[k];
      (paying ? paidRates : freeRates).add(n / r.phaseSeconds());
      ServerCpu.Reading from = readings[2 * k];
      ServerCpu.Reading to = readings[2 * k + 1];
      if (from != null && to != null && n > 0) {
        (paying ? paidCpu : freeCpu).add((to.cpuSeconds() - from.cpuSeconds()) * 1e6 / n);
      }
    }
    double fr = median(freeRates);
    double pr = median(paidRates);
    out.printf(
        Locale.ROOT,
        "median phase: free %.0f req/s, paid %.0f req/s, paid/free %.2f",
        fr,
        pr,
        pr / fr);
    if (freeCpu.size() == freeRates.size() && paidCpu.size() == paidRates.size()) {
      double fc = median(freeCpu);
      double pc = median(paidCpu);
      out.printf(Locale.ROOT, "; server CPU %.1f / %.1f us, free/paid %.2f", fc, pc, fc / pc);
    }
    out.println();
  }

  /** Spends per group commit (one transaction, one fsync) in the recorded part of paid phases. */
  static void printBatches(PrintWriter out, ServerCpu.Reading[] readings, boolean paidFirst) {
    long spends = 0;
    long batches = 0;
    for (int k = 0; 2 * k + 1 < readings.length; k++) {
      ServerCpu.Reading from = readings[2 * k];
      ServerCpu.Reading to = readings[2 * k + 1];
      if (k % 2 == (paidFirst ? 0 : 1) && from != null && to != null) {
        spends += to.spendsBatched() - from.spendsBatched();
        batches += to.spendBatches() - from.spendBatches();
      }
    }
    if (batches > 0) {
      out.printf(
          Locale.ROOT,
          "paid phases: %d spends in %d group commits, %.1f spends per commit%n",
          spends,
          batches,
          (double) spends / batches);
    }
  }

  static double median(List<Double> values) {
    List<Double> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }

  static void row(
      PrintWriter out,
      String kind,
      VendorLoad.Samples s,
      double perSecond,
      double cpuSeconds,
      double seconds,
      int serverCpus) {
    String cpu =
        Double.isNaN(cpuSeconds)
            ? "-"
            : String.format(Locale.ROOT, "%.1f", cpuSeconds * 1e6 / s.count());
    String busy =
        Double.isNaN(cpuSeconds) || serverCpus <= 0
            ? "-"
            : String.format(Locale.ROOT, "%.0f%%", 100 * cpuSeconds / (seconds * serverCpus));
    out.printf(
        Locale.ROOT,
        "%-5s %10d %10.0f %8.2f %8.2f %8.2f %14s %9s%n",
        kind,
        s.count(),
        perSecond,
        s.percentileMillis(0.50),
        s.percentileMillis(0.90),
        s.percentileMillis(0.99),
        cpu,
        busy);
  }
}
