package org.millicent.wallet.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.millicent.testing.TestKeystores;
import org.millicent.wallet.HistoryEntry;
import org.millicent.wallet.Wallet;
import org.millicent.wallet.WalletOptions;

/**
 * The proxy's contract with the real curl binary (docs/WALLET.md, "The proxy"): with the proxy on
 * port P and its CA in ca.pem, {@code curl -x http://127.0.0.1:P --cacert ca.pem
 * https://VENDOR/priced/page} gets the page and the wallet shows the payment; without the proxy the
 * same URL answers 402. And: a lost answer through the proxy is recovered, a site no vendor runs is
 * tunnelled untouched, concurrent purchases each pay once, a private copy saves a reload.
 */
class WalletProxyIT {
  @TempDir Path dir;
  private TlsMarket market;
  private Wallet wallet;
  private WalletProxy proxy;
  private Path caPem;
  private final List<String> journal = new CopyOnWriteArrayList<>();

  @BeforeEach
  void start() throws Exception {
    market = new TlsMarket(dir);
    wallet =
        Wallet.open(
            WalletOptions.defaults(dir.resolve("wallet")).withTimeout(Duration.ofSeconds(2)));
    wallet.register(market.bob.url(), "alice");
    proxy =
        WalletProxy.start(
            wallet,
            new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
            List.of(),
            journal::add);
    caPem = dir.resolve("ca.pem");
    Files.writeString(caPem, proxy.ca().certificatePem());
  }

  @AfterEach
  void stop() {
    if (proxy != null) {
      proxy.close();
    }
    if (wallet != null) {
      wallet.close();
    }
    if (market != null) {
      market.close();
    }
  }

  /** The status line's code and the body curl got, or its exit code when it failed. */
  record Curl(int exit, int status, String body, String stderr) {}

  private Curl curl(String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("curl", "-sS", "--max-time", "60"));
    cmd.addAll(List.of(args));
    cmd.addAll(List.of("-w", "\n%{http_code}"));
    Process p = new ProcessBuilder(cmd).start();
    byte[] out = p.getInputStream().readAllBytes();
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(90, TimeUnit.SECONDS)).isTrue();
    String text = new String(out, StandardCharsets.UTF_8);
    int nl = text.lastIndexOf('\n');
    return new Curl(
        p.exitValue(), Integer.parseInt(text.substring(nl + 1).trim()), text.substring(0, nl), err);
  }

  private Curl viaProxy(URI url) throws Exception {
    return curl("-x", proxy.url().toString(), "--cacert", caPem.toString(), url.toString());
  }

  private List<HistoryEntry> purchases() {
    return wallet.history(100).stream().filter(e -> e.kind().equals("purchase")).toList();
  }

  @Test
  void curlThroughTheProxy_paysForAnHttpsPage_withoutItTheSameUrlIs402() throws Exception {
    URI page = market.page("/pages/1");

    Curl direct = curl("--cacert", market.vendorPem.toString(), page.toString());
    Curl paid = viaProxy(page);

    assertThat(direct.status()).as(direct.stderr()).isEqualTo(402);
    assertThat(paid.status()).as(paid.stderr()).isEqualTo(200);
    assertThat(paid.body()).isEqualTo("content of /pages/1");
    assertThat(purchases())
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.url()).isEqualTo(page.toString());
              assertThat(e.priceMillicents()).contains(TlsMarket.PRICE);
              assertThat(e.state()).isEqualTo("done");
            });
    assertThat(wallet.totals().discrepancyMillicents()).isZero();
    assertThat(journal).anyMatch(l -> l.contains("intercepted"));
  }

  @Test
  void curlWithoutTheProxyCa_refusesTheInterceptedTunnel() throws Exception {
    Curl c =
        curl(
            "-x",
            proxy.url().toString(),
            "--cacert",
            market.vendorPem.toString(),
            market.page("/pages/2").toString());

    assertThat(c.exit()).as("curl trusts only the vendor's own certificate").isNotZero();
    assertThat(purchases()).isEmpty();
  }

  @Test
  void aSiteNoVendorRuns_isTunnelledUntouched_theClientSeesItsOwnCertificate() throws Exception {
    Path siteStore = TestKeystores.selfSigned(dir.resolve("site.p12"), "site");
    Path sitePem = TestKeystores.exportPem(siteStore, "site", dir.resolve("site.pem"));
    HttpsServer site =
        HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    site.setHttpsConfigurator(new HttpsConfigurator(TestKeystores.serving(siteStore)));
    site.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    site.createContext(
        "/",
        ex -> {
          try (ex) {
            byte[] b = "a bank".getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(200, b.length);
            ex.getResponseBody().write(b);
          }
        });
    site.start();
    try {
      String url = "https://127.0.0.1:" + site.getAddress().getPort() + "/account";

      Curl own = curl("-x", proxy.url().toString(), "--cacert", sitePem.toString(), url);
      Curl withCa = curl("-x", proxy.url().toString(), "--cacert", caPem.toString(), url);

      assertThat(own.status()).as(own.stderr()).isEqualTo(200);
      assertThat(own.body()).isEqualTo("a bank");
      assertThat(withCa.exit()).as("the proxy's CA signed nothing on this tunnel").isNotZero();
      assertThat(journal).anyMatch(l -> l.contains(site.getAddress().getPort() + " -> tunnel"));
    } finally {
      site.stop(0);
    }
  }

  @Test
  void aLostAnswerThroughTheProxy_isResentAndRecovered_paidOnce() throws Exception {
    Thread.ofVirtual()
        .start(
            () -> {
              try {
                market.origin.awaitSlow(Duration.ofSeconds(60));
                // Longer than the wallet's 2-second timeout: the first answer is lost.
                Thread.sleep(3_000);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
              market.releaseSlow();
            });

    Curl c = viaProxy(market.page("/slow/1"));
    wallet.recover();

    assertThat(market.origin.paths()).contains("/slow/1");
    assertThat(purchases())
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.state()).isEqualTo("done");
              assertThat(e.priceMillicents()).contains(TlsMarket.PRICE);
            });
    assertThat(wallet.totals().discrepancyMillicents()).isZero();
    assertThat(c.status()).as(c.stderr() + c.body()).isIn(200, 504);
  }

  @Test
  void concurrentPurchases_eachPaysOnce_andTheBooksAgree() throws Exception {
    int n = 6;
    List<Future<Curl>> results = new ArrayList<>();
    try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int i = 0; i < n; i++) {
        URI page = market.page("/pages/c" + i);
        results.add(pool.submit(() -> viaProxy(page)));
      }
    }
    for (int i = 0; i < n; i++) {
      Curl c = results.get(i).get();
      assertThat(c.status()).as(c.stderr() + c.body()).isEqualTo(200);
      assertThat(c.body()).isEqualTo("content of /pages/c" + i);
    }
    assertThat(purchases()).hasSize(n).allSatisfy(e -> assertThat(e.state()).isEqualTo("done"));
    assertThat(wallet.totals().discrepancyMillicents()).isZero();
  }

  @Test
  void aReloadWithinTheVendorsPrivateMaxAge_isServedFromTheCopy_notPaidAgain() throws Exception {
    URI page = market.page("/private/a");

    Curl first = viaProxy(page);
    Curl reload = viaProxy(page);
    Curl other = viaProxy(market.page("/pages/3"));
    Curl otherAgain = viaProxy(market.page("/pages/3"));

    assertThat(first.status()).isEqualTo(200);
    assertThat(reload.status()).isEqualTo(200);
    assertThat(reload.body()).isEqualTo(first.body());
    assertThat(otherAgain.status()).isEqualTo(other.status()).isEqualTo(200);
    assertThat(purchases())
        .as("%s", journal)
        .extracting(HistoryEntry::url)
        .containsOnlyOnce(page.toString())
        .filteredOn(u -> u.endsWith("/pages/3"))
        .hasSize(2);
  }

  @Test
  void aVendorTheUserNeverIntercepts_isTunnelled_andItsPageStaysUnpaid() throws Exception {
    try (WalletProxy hands =
        WalletProxy.start(
            wallet,
            new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
            List.of("127.0.0.1"),
            journal::add)) {
      Curl c =
          curl(
              "-x",
              hands.url().toString(),
              "--cacert",
              market.vendorPem.toString(),
              market.page("/pages/4").toString());

      assertThat(c.status()).as(c.stderr()).isEqualTo(402);
      assertThat(purchases()).isEmpty();
    }
  }
}
