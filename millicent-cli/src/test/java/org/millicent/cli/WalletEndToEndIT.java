package org.millicent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ProxySelector;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.millicent.testing.ContentOrigin;
import org.millicent.wallet.HistoryEntry;
import org.millicent.wallet.Wallet;
import org.millicent.wallet.WalletOptions;
import org.millicent.wallet.WalletTotals;

/**
 * The whole system as three kinds of OS process started through {@code bin/millicent}: a vendor
 * gateway in front of an origin (run by this test, so it can hold one request open), a broker
 * licensed to mint the vendor's scrip, and the wallet as a paying proxy. 100 purchases go through
 * the proxy; then the wallet is killed with SIGKILL while a paid request is inside the vendor,
 * restarted, and must recover the change; finally the three sets of books must agree to the
 * millicent.
 */
class WalletEndToEndIT {
  private static final long PRICE = 100;
  private static final int PURCHASES = 100;
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;
  private final List<Process> processes = new ArrayList<>();
  private ContentOrigin origin;
  private Path root;

  @BeforeEach
  void startOrigin() {
    root = projectRoot();
    origin = ContentOrigin.start();
  }

  @AfterEach
  void stopAll() {
    origin.releaseSlow();
    for (Process p : processes) {
      p.destroy();
    }
    for (Process p : processes) {
      try {
        if (!p.waitFor(10, TimeUnit.SECONDS)) {
          p.destroyForcibly();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    origin.close();
  }

  @Test
  void hundredPurchases_walletKilledMidPurchase_nothingLost_booksReconcile() throws Exception {
    int vendorPort = Loopback.freePort();
    int brokerPort = Loopback.freePort();
    int proxyPort = Loopback.freePort();
    String vendorUrl = "http://127.0.0.1:" + vendorPort;
    String brokerUrl = "http://127.0.0.1:" + brokerPort;
    String brokerToken = "bob-token-at-venetia-0123456789";
    String vendorAdmin = "venetia-admin-token-0123456789";
    Path vendorYaml = dir.resolve("vendor.yaml");
    Files.writeString(
        vendorYaml,
        String.join(
            "\n",
            "vendor: venetia",
            "host: 127.0.0.1",
            "port: " + vendorPort,
            "prices:",
            "  - {method: GET, path: \"/pages/*\", price_millicents: " + PRICE + "}",
            "  - {method: GET, path: \"/slow/*\", price_millicents: " + PRICE + "}",
            "content:",
            "  origin: " + origin.url(),
            "brokers:",
            "  - {id: bob, url: \""
                + brokerUrl
                + "\", token: \""
                + brokerToken
                + "\", customer_id: \"5\", discount_bps: 500}",
            "admin_token: \"" + vendorAdmin + "\"",
            ""));
    Path brokerYaml = dir.resolve("broker.yaml");
    Files.writeString(
        brokerYaml,
        String.join(
            "\n",
            "broker: bob",
            "host: 127.0.0.1",
            "port: " + brokerPort,
            "settlement_interval_seconds: 0",
            "vendors:",
            "  - vendor: venetia",
            "    url: " + vendorUrl,
            "    supply: licensed",
            "    discount_bps: 500",
            "    token: \"" + brokerToken + "\"",
            "    licence: {admin_token: \"" + vendorAdmin + "\", key_ids: 1}",
            ""));

    start(
        "vendor",
        "vendor",
        "serve",
        "--config",
        vendorYaml.toString(),
        "--data",
        dir.resolve("vendor-data").toString());
    awaitHealthy(vendorUrl);
    start(
        "broker",
        "broker",
        "serve",
        "--config",
        brokerYaml.toString(),
        "--data",
        dir.resolve("broker-data").toString());
    awaitHealthy(brokerUrl);

    Path walletDir = dir.resolve("wallet");
    Result reg =
        run(
            "register",
            "wallet",
            "register",
            "--broker",
            brokerUrl,
            "--name",
            "alice",
            "--wallet",
            walletDir.toString());
    assertThat(reg.exitCode()).as(reg.output()).isZero();

    Process proxy = startProxy(walletDir, proxyPort, "proxy-1");
    HttpClient viaProxy =
        HttpClient.newBuilder()
            .proxy(ProxySelector.of(new InetSocketAddress("127.0.0.1", proxyPort)))
            .connectTimeout(Duration.ofSeconds(10))
            .build();
    for (int i = 0; i < PURCHASES; i++) {
      HttpResponse<String> r = get(viaProxy, vendorUrl + "/pages/" + i);
      assertThat(r.statusCode()).as("purchase %d: %s", i, r.body()).isEqualTo(200);
      assertThat(r.body()).isEqualTo("content of /pages/" + i);
    }

    // A paid request is inside the vendor (waiting on the origin) when the wallet dies.
    CompletableFuture<HttpResponse<String>> slow =
        viaProxy.sendAsync(
            HttpRequest.newBuilder(URI.create(vendorUrl + "/slow/1")).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(origin.awaitSlow(Duration.ofSeconds(30)))
        .as("the paid request reached the origin")
        .isTrue();
    proxy.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    assertThat(proxy.exitValue()).as("killed by SIGKILL").isEqualTo(137);
    origin.releaseSlow();
    assertThat(slow).failsWithin(Duration.ofSeconds(30));

    // Restarted, the wallet re-sends the recorded payment and gets its change back.
    Process proxy2 = startProxy(walletDir, proxyPort, "proxy-2");
    HttpResponse<String> after = get(viaProxy, vendorUrl + "/pages/after-restart");
    assertThat(after.statusCode()).as(after.body()).isEqualTo(200);
    proxy2.destroy();
    assertThat(proxy2.waitFor(20, TimeUnit.SECONDS)).isTrue();
    assertThat(Files.readString(dir.resolve("proxy-2.log"))).contains("recovered purchase");

    // The same wallet from the command line: millicent wallet get -o FILE.
    Path saved = dir.resolve("saved.txt");
    Result got =
        run(
            "get",
            "wallet",
            "get",
            vendorUrl + "/pages/cli",
            "-o",
            saved.toString(),
            "--wallet",
            walletDir.toString());
    assertThat(got.exitCode()).as(got.output()).isZero();
    assertThat(got.output()).contains("paid 0.1¢ (100 m¢)");
    assertThat(Files.readString(saved)).isEqualTo("content of /pages/cli");

    // The wallet's books: nothing in flight, nothing lost, every piece of change exact.
    long bought;
    long paid;
    long customerId;
    try (Wallet w = Wallet.open(WalletOptions.defaults(walletDir))) {
      WalletTotals t = w.totals();
      assertThat(t.inFlightMillicents()).isZero();
      assertThat(t.lostMillicents()).isZero();
      assertThat(t.discrepancyMillicents()).isZero();
      assertThat(t.purchases()).isEqualTo(PURCHASES + 3);
      assertThat(t.paidMillicents()).isEqualTo((PURCHASES + 3) * PRICE);
      assertThat(t.heldMillicents()).isEqualTo(t.boughtMillicents() - t.paidMillicents());
      for (HistoryEntry e : w.history(10_000)) {
        assertThat(e.state()).as("payment %d", e.id()).isEqualTo("done");
        assertThat(e.detail().filter(d -> d.startsWith("expected")))
            .as("change of payment %d", e.id())
            .isEmpty();
      }
      bought = t.boughtMillicents();
      paid = t.paidMillicents();
      customerId = w.brokers().getFirst().customerId();
      JsonNode account = w.brokerAccount(URI.create(brokerUrl));
      assertThat(account.toString()).contains(Long.toString(bought));
    }

    // The vendor took exactly what the wallet paid (its revenue counter, from its own process).
    assertThat(vendorRevenue(vendorUrl)).isEqualTo(paid);

    // The broker charged exactly what the wallet bought, and its books balance after settling.
    Result settle =
        run(
            "settle",
            "broker",
            "vendors",
            "settle",
            "venetia",
            "--url",
            brokerUrl,
            "--data",
            dir.resolve("broker-data").toString(),
            "--json");
    assertThat(settle.exitCode()).as(settle.output()).isZero();
    Result statement =
        run(
            "statement",
            "broker",
            "statements",
            "customer",
            Long.toUnsignedString(customerId),
            "--url",
            brokerUrl,
            "--data",
            dir.resolve("broker-data").toString(),
            "--json");
    assertThat(statement.exitCode()).as(statement.output()).isZero();
    assertThat(statement.output()).contains(Long.toString(bought));
    Result books =
        run(
            "books",
            "broker",
            "statements",
            "books",
            "--url",
            brokerUrl,
            "--data",
            dir.resolve("broker-data").toString(),
            "--json");
    assertThat(books.exitCode()).as(books.output()).isZero();
    JsonNode totals = JSON.readTree(jsonPart(books.output()));
    assertThat(totals.toString()).contains("\"conserved\":true");
  }

  // ------------------------------------------------------------------ processes

  private record Result(int exitCode, String output) {}

  private Process start(String name, String... args) throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(root.resolve("bin/millicent").toString());
    cmd.addAll(List.of(args));
    ProcessBuilder pb =
        new ProcessBuilder(cmd)
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve(name + ".log").toFile());
    pb.environment().put("MILLICENT_JAVA_OPTS", "-Xmx256m -XX:TieredStopAtLevel=1");
    Process p = pb.start();
    processes.add(p);
    return p;
  }

  private Result run(String name, String... args) throws IOException, InterruptedException {
    Process p = start(name, args);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).as(name + " finished").isTrue();
    return new Result(p.exitValue(), Files.readString(dir.resolve(name + ".log")));
  }

  private Process startProxy(Path walletDir, int port, String name) throws Exception {
    Process p =
        start(
            name,
            "wallet",
            "proxy",
            "--port",
            Integer.toString(port),
            "--wallet",
            walletDir.toString());
    Instant deadline = Instant.now().plusSeconds(30);
    while (Instant.now().isBefore(deadline)) {
      assertThat(p.isAlive()).as(Files.readString(dir.resolve(name + ".log"))).isTrue();
      try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
        assertThat(s.isConnected()).isTrue();
        return p;
      } catch (IOException e) {
        Thread.sleep(100);
      }
    }
    throw new AssertionError(
        "the proxy did not start: " + Files.readString(dir.resolve(name + ".log")));
  }

  private static HttpResponse<String> get(HttpClient c, String url) throws Exception {
    return c.send(
        HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private void awaitHealthy(String base) throws Exception {
    HttpClient c = HttpClient.newHttpClient();
    Instant deadline = Instant.now().plusSeconds(60);
    while (Instant.now().isBefore(deadline)) {
      try {
        if (get(c, base + "/health").statusCode() == 200) {
          return;
        }
      } catch (IOException e) {
        // not up yet
      }
      Thread.sleep(100);
    }
    throw new AssertionError(base + " did not become healthy");
  }

  private static long vendorRevenue(String base) throws Exception {
    String metrics = get(HttpClient.newHttpClient(), base + "/metrics").body();
    double sum = 0;
    for (String line : metrics.split("\n", -1)) {
      if (line.startsWith("millicent_vendor_revenue_millicents_total")) {
        sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    return Math.round(sum);
  }

  private static String jsonPart(String output) {
    int start = output.indexOf('{');
    return start < 0 ? "{}" : output.substring(start);
  }

  /** The project root: the first folder up from the module that holds bin/millicent. */
  static Path projectRoot() {
    Path p = Path.of("").toAbsolutePath();
    while (p != null && !Files.isExecutable(p.resolve("bin/millicent"))) {
      p = p.getParent();
    }
    if (p == null) {
      throw new IllegalStateException("no bin/millicent above " + Path.of("").toAbsolutePath());
    }
    return p;
  }
}
