package org.millicent.bench;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.millicent.vendor.OwnCustomers;
import org.millicent.vendor.VendorServer;
import org.millicent.vendor.config.VendorConfig;

/**
 * The vendor that {@code millicent bench vendor} drives, with the scrip of its load generator: a
 * running vendor (scrip bought as a warehouse broker), or one the bench starts on a temporary
 * folder, in this JVM or in its own (bound to half of the CPUs, this load generator to the other
 * half, where taskset allows), serving the sample catalogue or a free and a priced page of a given
 * size. {@link #close} stops what the bench started and deletes its folder. Not thread-safe: the
 * command's thread opens and closes it.
 */
@SuppressForbidden // wiring: the benchmark mints its fixtures at the real time
final class BenchVendor implements AutoCloseable {
  /** The vendor's base URL. */
  final URI url;

  /** One wallet per worker, each with enough scrip that change pays every later request. */
  final List<VendorLoad.Wallet> wallets;

  /** Where the vendor runs, for the report's first line. */
  final String setup;

  /** The free and the priced resource. */
  final String freePath;

  final String paidPath;

  private final @Nullable VendorServer server;
  private final @Nullable VendorProcess child;
  private final @Nullable Path data;

  private BenchVendor(
      URI url,
      List<VendorLoad.Wallet> wallets,
      String setup,
      String freePath,
      String paidPath,
      @Nullable VendorServer server,
      @Nullable VendorProcess child,
      @Nullable Path data) {
    this.url = url;
    this.wallets = wallets;
    this.setup = setup;
    this.freePath = freePath;
    this.paidPath = paidPath;
    this.server = server;
    this.child = child;
    this.data = data;
  }

  /** A running vendor at {@code url}, whose broker token {@code brokerToken} buys the scrip. */
  static BenchVendor running(
      URI url, String brokerToken, int workers, long value, String freePath, String paidPath)
      throws IOException, InterruptedException {
    return new BenchVendor(
        url,
        VendorLoad.fromWarehouse(url, brokerToken, workers, value),
        "a running vendor",
        freePath,
        paidPath,
        null,
        null,
        null);
  }

  /**
   * Starts a vendor on a new temporary folder (in {@code dataDir} when given).
   *
   * @param pageBytes serve a free and a priced page of this many bytes from a folder ({@code
   *     /free.html}, {@code /paid.html}) instead of the sample catalogue's pages
   * @param inProcess run it in this JVM instead of its own
   * @param pin bind its JVM and this one to disjoint halves of the CPUs, where taskset allows
   */
  static BenchVendor start(
      @Nullable Path dataDir,
      @Nullable Integer pageBytes,
      boolean inProcess,
      boolean pin,
      int workers,
      long value,
      String freePath,
      String paidPath)
      throws Exception {
    Path data =
        dataDir == null
            ? Files.createTempDirectory("millicent-bench-vendor")
            : Files.createTempDirectory(Files.createDirectories(dataDir), "millicent-bench-vendor");
    VendorServer server = null;
    VendorProcess child = null;
    boolean started = false;
    try {
      if (pageBytes != null) {
        Path site = Files.createDirectories(data.resolve("site"));
        Files.write(site.resolve("free.html"), page(pageBytes));
        Files.write(site.resolve("paid.html"), page(pageBytes));
        freePath = "/free.html";
        paidPath = "/paid.html";
      }
      if (inProcess) {
        server =
            VendorServer.start(inProcessConfig(data, pageBytes != null, freePath, paidPath), data);
        started = true;
        return new BenchVendor(
            server.url(),
            mint(server, workers, value),
            "in-process (client and server share this JVM), SQLite in " + data,
            freePath,
            paidPath,
            server,
            null,
            data);
      }
      String token = "bench-" + HexFormat.of().formatHex(randomBytes(16));
      String serverCpus = null;
      String clientCpus = null;
      int cpus = Runtime.getRuntime().availableProcessors();
      if (pin && cpus >= 2 && VendorProcess.canPin()) {
        serverCpus = cpuList(0, cpus / 2);
        clientCpus = cpuList(cpus / 2, cpus);
      }
      child =
          VendorProcess.start(
              VendorProcess.writeConfig(
                  data, childConfig(data, pageBytes != null, freePath, paidPath, token)),
              data.resolve("vendor"),
              serverCpus);
      URI base = child.url();
      if (clientCpus != null) {
        VendorProcess.pinSelf(clientCpus);
      }
      List<VendorLoad.Wallet> wallets = VendorLoad.fromWarehouse(base, token, workers, value);
      String setup =
          "its own JVM (pid "
              + child.pid()
              + (serverCpus == null
                  ? ", not bound to CPUs"
                  : ", CPUs " + serverCpus + "; this load generator on CPUs " + clientCpus)
              + "), SQLite in "
              + data;
      started = true;
      return new BenchVendor(base, wallets, setup, freePath, paidPath, null, child, data);
    } finally {
      if (!started) {
        close(server, child, data);
      }
    }
  }

  /** Whether the vendor shares this JVM, and so its CPU time, with the load generator. */
  boolean inProcess() {
    return server != null;
  }

  @Override
  public void close() {
    close(server, child, data);
  }

  private static void close(
      @Nullable VendorServer server, @Nullable VendorProcess child, @Nullable Path data) {
    try {
      if (child != null) {
        child.close();
      }
      if (server != null) {
        server.close();
      }
    } finally {
      if (data != null) {
        deleteTree(data);
      }
    }
  }

  private static VendorConfig inProcessConfig(
      Path data, boolean pages, String freePath, String paidPath) {
    if (!pages) {
      return VendorConfig.sampleBuilder().port(0).build();
    }
    return VendorConfig.builder("venetia")
        .port(0)
        .staticFolder(data.resolve("site"))
        .free(freePath)
        .price("GET", paidPath, 100)
        .build();
  }

  /** The child vendor's configuration: the sample catalogue or the folder, and a bench broker. */
  private static String childConfig(
      Path data, boolean pages, String freePath, String paidPath, String token) {
    StringBuilder y = new StringBuilder("vendor: venetia\n");
    if (!pages) {
      y.append("content: {sample: true}\n")
          .append("free: [\"/\", \"/index.html\"]\n")
          .append("prices:\n  - {method: GET, path: \"/pages/*\", price_millicents: 100}\n");
    } else {
      y.append("content: {static: \"")
          .append(data.resolve("site").toAbsolutePath().toString().replace("\\", "/"))
          .append("\"}\n")
          .append("free: [\"")
          .append(freePath)
          .append("\"]\n")
          .append("prices:\n  - {method: GET, path: \"")
          .append(paidPath)
          .append("\", price_millicents: 100}\n");
    }
    y.append("brokers:\n")
        .append("  - {id: bench, url: \"http://127.0.0.1:9\", token: \"")
        .append(token)
        .append("\", customer_id: \"7\", discount_bps: 0}\n");
    return y.toString();
  }

  private static List<VendorLoad.Wallet> mint(VendorServer server, int workers, long value) {
    List<VendorLoad.Wallet> wallets = new ArrayList<>();
    Instant exp = Instant.now().plus(Duration.ofDays(1)).truncatedTo(ChronoUnit.SECONDS);
    for (int i = 0; i < workers; i++) {
      long customer = OwnCustomers.of(server).newCustomerId();
      wallets.add(
          new VendorLoad.Wallet(
              OwnCustomers.of(server).mint(value, customer, exp),
              OwnCustomers.of(server).customerSecret(customer)));
    }
    return wallets;
  }

  /** A taskset CPU list for CPUs from (inclusive) to to (exclusive). */
  private static String cpuList(int from, int to) {
    return to - from == 1 ? String.valueOf(from) : from + "-" + (to - 1);
  }

  private static byte[] randomBytes(int n) {
    byte[] b = new byte[n];
    new java.security.SecureRandom().nextBytes(b);
    return b;
  }

  private static byte[] page(int bytes) {
    byte[] b = new byte[Math.max(0, bytes)];
    for (int i = 0; i < b.length; i++) {
      b[i] = (byte) ('a' + i % 26);
    }
    return b;
  }

  private static void deleteTree(Path root) {
    try (var paths = Files.walk(root)) {
      paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // A temporary folder left behind is harmless.
    }
  }
}
