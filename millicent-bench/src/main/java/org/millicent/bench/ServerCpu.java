package org.millicent.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * Reads a server's own CPU time from its Prometheus endpoint ({@code GET /metrics}, Micrometer's
 * {@code process_cpu_time} counter and {@code system_cpu_count} gauge, and the vendor's
 * group-commit counters), so that a load generator can tell what each request cost the server,
 * apart from its own work. Thread-safe.
 */
final class ServerCpu {
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final URI metrics;

  ServerCpu(URI base) {
    this.metrics = base.resolve("/metrics");
  }

  /**
   * A reading: the server's CPU seconds so far, the CPUs it may use, and the spends and batches its
   * group commit has written so far (0 when it does not export them).
   */
  record Reading(double cpuSeconds, int cpus, long spendsBatched, long spendBatches) {}

  /**
   * The server's CPU time now.
   *
   * @throws IOException when the endpoint cannot be read or lacks the counter
   */
  Reading read() throws IOException {
    HttpResponse<String> r;
    try {
      r =
          http.send(
              HttpRequest.newBuilder(metrics).timeout(Duration.ofSeconds(5)).build(),
              HttpResponse.BodyHandlers.ofString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while reading " + metrics, e);
    }
    if (r.statusCode() != 200) {
      throw new IOException(metrics + " answered " + r.statusCode());
    }
    return parse(r.body());
  }

  /**
   * Finds the CPU counter and CPU count in Prometheus text.
   *
   * @throws IOException when the CPU counter is missing
   */
  static Reading parse(String text) throws IOException {
    double cpu = Double.NaN;
    int cpus = 0;
    long batched = 0;
    long batches = 0;
    for (String line : text.split("\n", -1)) {
      if (line.startsWith("#")) {
        continue;
      }
      int space = line.lastIndexOf(' ');
      if (space < 0) {
        continue;
      }
      String name = line.substring(0, line.indexOf('{') > 0 ? line.indexOf('{') : space);
      double value;
      try {
        value = Double.parseDouble(line.substring(space + 1));
      } catch (NumberFormatException e) {
        continue;
      }
      switch (name) {
        case "process_cpu_time_seconds_total" -> cpu = value;
        case "process_cpu_time_ns_total" -> cpu = value / 1e9;
        case "process_cpu_time_milliseconds_total" -> cpu = value / 1e3;
        case "system_cpu_count" -> cpus = (int) value;
        case "millicent_vendor_spend_batched_total" -> batched = (long) value;
        case "millicent_vendor_spend_batches_total" -> batches = (long) value;
        default -> {}
      }
    }
    if (Double.isNaN(cpu)) {
      throw new IOException("no process_cpu_time counter in the server's metrics");
    }
    return new Reading(cpu, cpus, batched, batches);
  }
}
