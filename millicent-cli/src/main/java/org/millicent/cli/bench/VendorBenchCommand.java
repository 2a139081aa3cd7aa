package org.millicent.cli.bench;

import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.millicent.vendor.VendorServer;
import org.millicent.vendor.config.VendorConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code millicent bench vendor}: drives one vendor gateway with free and paid requests alternately
 * and prints requests per second and latency percentiles for both, and their ratio (the goal: paid
 * at least 0.8 x free on the same server). By default it starts the sample vendor in-process on a
 * temporary folder and takes its load generator's scrip from the vendor's own minter, as a
 * warehouse broker would receive it; with {@code --url} it drives a running vendor and buys a
 * warehouse lot with {@code --broker-token}. A progress bar goes to stderr, the table to stdout.
 */
@Command(
    name = "vendor",
    description = {
      "Drives a vendor gateway with free and paid requests alternately; prints requests/s and"
          + " latency percentiles for both.",
      "Default: the sample vendor in-process. With --url: a running vendor, scrip bought as a"
          + " warehouse broker (--broker-token)."
    })
public final class VendorBenchCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--url",
      paramLabel = "URL",
      description = "A running vendor (default: start one in-process).")
  URI url;

  @Option(
      names = "--broker-token",
      paramLabel = "TOKEN",
      description = "With --url: a broker token of that vendor, to buy the load generator's scrip.")
  String brokerToken;

  @Option(
      names = "--page-bytes",
      paramLabel = "N",
      description =
          "In-process only: serve a free and a priced page of N bytes each from a folder"
              + " (/free.html, /paid.html) instead of the sample catalogue's pages.")
  Integer pageBytes;

  @Option(
      names = "--data",
      paramLabel = "DIR",
      description =
          "Where the in-process vendor keeps its SQLite file (default: a new temporary folder,"
              + " deleted afterwards).")
  Path dataDir;

  @Option(
      names = "--workers",
      defaultValue = "64",
      description = "Concurrent clients (default: ${DEFAULT-VALUE}).")
  int workers;

  @Option(
      names = "--duration",
      defaultValue = "15s",
      description = "Measured time (default: ${DEFAULT-VALUE}).")
  String duration;

  @Option(
      names = "--phases",
      defaultValue = "10",
      description =
          "Measured phases, alternately free only and paid only (default: ${DEFAULT-VALUE}).")
  int phases;

  @Option(
      names = "--warmup",
      defaultValue = "5s",
      description = "Unrecorded warm-up (default: ${DEFAULT-VALUE}).")
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
      err.println("millicent bench vendor: --page-bytes needs the in-process vendor (no --url)");
      return 2;
    }
    if (url != null && brokerToken == null) {
      err.println(
          "millicent bench vendor: --url needs --broker-token to buy scrip for the paid requests");
      return 2;
    }
    long value = 1_000_000_000L; // ten thousand dollars: change pays every later request
    VendorServer server = null;
    Path data = null;
    try {
      URI base = url;
      List<VendorLoad.Wallet> wallets;
      if (base == null) {
        data =
            dataDir == null
                ? Files.createTempDirectory("millicent-bench-vendor")
                : Files.createTempDirectory(
                    Files.createDirectories(dataDir), "millicent-bench-vendor");
        VendorConfig config = VendorConfig.sampleBuilder().port(0).build();
        if (pageBytes != null) {
          Path site = Files.createDirectories(data.resolve("site"));
          Files.write(site.resolve("free.html"), page(pageBytes));
          Files.write(site.resolve("paid.html"), page(pageBytes));
          config =
              VendorConfig.builder("venetia")
                  .port(0)
                  .staticFolder(site)
                  .free("/free.html")
                  .price("GET", "/paid.html", 100)
                  .build();
          freePath = "/free.html";
          paidPath = "/paid.html";
        }
        server = VendorServer.start(config, data);
        base = server.url();
        wallets = new ArrayList<>();
        Instant exp = Instant.now().plus(Duration.ofDays(1)).truncatedTo(ChronoUnit.SECONDS);
        for (int i = 0; i < workers; i++) {
          long customer = server.newCustomerId();
          wallets.add(
              new VendorLoad.Wallet(
                  server.mint(value, customer, exp), server.customerSecret(customer)));
        }
      } else {
        wallets = VendorLoad.fromWarehouse(base, brokerToken, workers, value);
      }
      VendorLoad load = new VendorLoad(base, freePath, paidPath);
      Duration phase = measure.dividedBy(phases);
      err.printf(
          "vendor bench: %s%s, %d workers, %s warm-up (mixed), then %d phases of %s s"
              + " alternately free only and paid only%n",
          base,
          server != null ? " (in-process, SQLite in " + data + ")" : "",
          workers,
          warmup,
          phases,
          phase.toMillis() / 1000.0);
      VendorLoad.Result r =
          load.run(
              wallets,
              warm,
              phases,
              phase,
              false,
              f -> VendorLoad.progressBar(err, f, load.done()));
      err.println();
      if (load.firstError() != null) {
        err.println(
            "millicent bench vendor: "
                + load.errors()
                + " errors, the first: "
                + load.firstError());
        return 1;
      }
      out.printf(
          "%-5s %10s %10s %8s %8s %8s%n",
          "kind", "requests", "req/s", "p50 ms", "p90 ms", "p99 ms");
      row(out, "free", r.free(), r.freePerSecond());
      row(out, "paid", r.paid(), r.paidPerSecond());
      double ratio = r.paidPerSecond() / r.freePerSecond();
      out.printf("paid/free throughput: %.2f (goal >= 0.80)%n", ratio);
      out.flush();
      return 0;
    } finally {
      if (server != null) {
        server.close();
      }
      if (data != null) {
        deleteTree(data);
      }
    }
  }

  private static byte[] page(int bytes) {
    byte[] b = new byte[Math.max(0, bytes)];
    for (int i = 0; i < b.length; i++) {
      b[i] = (byte) ('a' + i % 26);
    }
    return b;
  }

  private static void row(PrintWriter out, String kind, VendorLoad.Samples s, double perSecond) {
    out.printf(
        "%-5s %10d %10.0f %8.2f %8.2f %8.2f%n",
        kind,
        s.count(),
        perSecond,
        s.percentileMillis(0.50),
        s.percentileMillis(0.90),
        s.percentileMillis(0.99));
  }

  private static Duration parse(String s) {
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

  private static void deleteTree(Path root) {
    try (var paths = Files.walk(root)) {
      paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (java.io.IOException e) {
      // A temporary folder left behind is harmless.
    }
  }
}
