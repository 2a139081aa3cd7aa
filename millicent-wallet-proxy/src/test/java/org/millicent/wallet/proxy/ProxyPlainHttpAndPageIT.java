package org.millicent.wallet.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ProxySelector;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.millicent.wallet.Budget;
import org.millicent.wallet.Wallet;
import org.millicent.wallet.WalletOptions;

/**
 * Plain HTTP through the proxy (a vendor paid, HEAD not paid, any other site streamed through
 * Jetty's proxy with bodies larger than the paying path would hold), and the wallet page's guards:
 * loopback, its own Host, the per-start token.
 */
class ProxyPlainHttpAndPageIT {
  private static final int BIG = 20 << 20;

  @TempDir Path dir;
  private TlsMarket market;
  private Wallet wallet;
  private WalletProxy proxy;
  private HttpClient viaProxy;

  @BeforeEach
  void start() throws Exception {
    market = new TlsMarket(dir, false);
    wallet = Wallet.open(WalletOptions.defaults(dir.resolve("wallet")));
    wallet.register(market.bob.url(), "alice");
    proxy =
        WalletProxy.start(
            wallet, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), List.of(), l -> {});
    viaProxy =
        HttpClient.newBuilder()
            .proxy(ProxySelector.of(new InetSocketAddress("127.0.0.1", proxy.port())))
            .build();
  }

  @AfterEach
  void stop() {
    proxy.close();
    wallet.close();
    market.close();
  }

  @Test
  void aVendorsPage_isPaid_aHeadIsNot() throws Exception {
    HttpResponse<String> head =
        viaProxy.send(
            HttpRequest.newBuilder(market.page("/pages/h"))
                .method("HEAD", HttpRequest.BodyPublishers.noBody())
                .build(),
            HttpResponse.BodyHandlers.ofString());
    HttpResponse<String> get =
        viaProxy.send(
            HttpRequest.newBuilder(market.page("/pages/h")).build(),
            HttpResponse.BodyHandlers.ofString());

    assertThat(head.statusCode()).isEqualTo(402);
    assertThat(head.headers().firstValue("WWW-Authenticate"))
        .hasValueSatisfying(v -> assertThat(v).startsWith("Millicent"));
    assertThat(get.statusCode()).isEqualTo(200);
    assertThat(get.body()).isEqualTo("content of /pages/h");
    assertThat(wallet.history(10)).filteredOn(e -> e.kind().equals("purchase")).hasSize(1);
  }

  @Test
  void anotherSite_isStreamedBothWays_bodiesLargerThanThePayingPathHolds() throws Exception {
    HttpServer site =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    site.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    site.createContext(
        "/",
        ex -> {
          try (ex) {
            MessageDigest sha;
            try {
              sha = MessageDigest.getInstance("SHA-256");
            } catch (java.security.NoSuchAlgorithmException e) {
              throw new IllegalStateException(e);
            }
            long n = 0;
            byte[] buf = new byte[65536];
            try (InputStream in = ex.getRequestBody()) {
              for (int r; (r = in.read(buf)) > 0; n += r) {
                sha.update(buf, 0, r);
              }
            }
            if (ex.getRequestMethod().equals("GET")) {
              ex.sendResponseHeaders(200, 0);
              try (OutputStream out = ex.getResponseBody()) {
                byte[] chunk = new byte[1 << 20];
                for (int i = 0; i < BIG / chunk.length; i++) {
                  out.write(chunk);
                }
              }
              return;
            }
            byte[] answer =
                (n + " " + HexFormat.of().formatHex(sha.digest())).getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(200, answer.length);
            ex.getResponseBody().write(answer);
          }
        });
    site.start();
    try {
      URI url = URI.create("http://127.0.0.1:" + site.getAddress().getPort() + "/x");
      byte[] upload = new byte[BIG];
      new java.util.Random(7).nextBytes(upload);

      HttpResponse<String> posted =
          viaProxy.send(
              HttpRequest.newBuilder(url)
                  .POST(HttpRequest.BodyPublishers.ofByteArray(upload))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      HttpResponse<byte[]> got =
          viaProxy.send(
              HttpRequest.newBuilder(url).build(), HttpResponse.BodyHandlers.ofByteArray());

      assertThat(posted.statusCode()).isEqualTo(200);
      assertThat(posted.body())
          .isEqualTo(
              BIG
                  + " "
                  + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(upload)));
      assertThat(got.statusCode()).isEqualTo(200);
      assertThat(got.body()).hasSize(BIG);
      assertThat(wallet.history(10)).isEmpty();
    } finally {
      site.stop(0);
    }
  }

  /** Sends a raw request straight to the proxy's port and returns the status line. */
  private String raw(String request) throws Exception {
    try (Socket s = new Socket(InetAddress.getLoopbackAddress(), proxy.port())) {
      s.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
      s.getOutputStream().flush();
      String all = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      return all.substring(0, all.indexOf("\r\n"));
    }
  }

  @Test
  void theWalletPage_needsTheTokenAndItsOwnHost() throws Exception {
    String host = "127.0.0.1:" + proxy.port();
    String token = proxy.pageUrl().getQuery().substring("token=".length());

    assertThat(
            raw(
                "GET /?token="
                    + token
                    + " HTTP/1.1\r\nHost: "
                    + host
                    + "\r\nConnection: close\r\n\r\n"))
        .isEqualTo("HTTP/1.1 200 OK");
    assertThat(raw("GET / HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n"))
        .startsWith("HTTP/1.1 403");
    assertThat(
            raw(
                "GET /?token="
                    + token.replace(token.charAt(0), token.charAt(0) == 'a' ? 'b' : 'a')
                    + " HTTP/1.1\r\nHost: "
                    + host
                    + "\r\nConnection: close\r\n\r\n"))
        .startsWith("HTTP/1.1 403");
    // A page whose name was rebound to 127.0.0.1 sends its own name as Host.
    assertThat(
            raw(
                "GET /?token="
                    + token
                    + " HTTP/1.1\r\nHost: evil.example:"
                    + proxy.port()
                    + "\r\nConnection: close\r\n\r\n"))
        .isNotEqualTo("HTTP/1.1 200 OK");
  }

  @Test
  void theBudgetForm_changesTheBudgetOnlyWithTheToken() throws Exception {
    String host = "127.0.0.1:" + proxy.port();
    String token = proxy.pageUrl().getQuery().substring("token=".length());
    String form = "per_request=2c&per_vendor_day=50c&total=%245";
    String without = "token=nope&" + form;
    String with = "token=" + token + "&" + form;

    String refused =
        raw(
            "POST /budget HTTP/1.1\r\nHost: "
                + host
                + "\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: "
                + without.length()
                + "\r\nConnection: close\r\n\r\n"
                + without);
    Budget before = wallet.budget();
    String saved =
        raw(
            "POST /budget HTTP/1.1\r\nHost: "
                + host
                + "\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: "
                + with.length()
                + "\r\nConnection: close\r\n\r\n"
                + with);

    assertThat(refused).startsWith("HTTP/1.1 403");
    assertThat(before).isEqualTo(Budget.DEFAULT);
    assertThat(saved).startsWith("HTTP/1.1 303");
    assertThat(wallet.budget()).isEqualTo(new Budget(2_000, 50_000, 500_000));
  }
}
