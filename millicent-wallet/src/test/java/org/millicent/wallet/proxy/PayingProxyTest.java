package org.millicent.wallet.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.millicent.testing.MutableClock;
import org.millicent.wallet.Budget;
import org.millicent.wallet.Wallet;
import org.millicent.wallet.WalletOptions;
import org.millicent.wallet.testing.TestBroker;
import org.millicent.wallet.testing.TestVendor;

class PayingProxyTest {
  @TempDir Path dir;
  private final MutableClock clock = new MutableClock(Instant.parse("2031-03-01T12:00:00Z"));
  private final List<String> journal = new CopyOnWriteArrayList<>();
  private TestVendor vendor;
  private TestBroker broker;
  private Wallet wallet;
  private PayingProxy proxy;

  @BeforeEach
  void start() throws Exception {
    vendor = new TestVendor("venetia", 100, dir.resolve("vendor"), clock);
    broker = new TestBroker("bob", vendor, clock);
    vendor.setBrokers(broker.url());
    wallet = Wallet.open(WalletOptions.defaults(dir.resolve("wallet")).withClock(clock));
    wallet.register(broker.url(), "alice");
    proxy =
        PayingProxy.start(
            new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
            wallet.httpClient(),
            journal::add);
  }

  @AfterEach
  void stop() {
    proxy.close();
    wallet.close();
    broker.close();
    vendor.close();
  }

  /** Sends raw bytes to the proxy as curl -x would, and returns everything it answers. */
  private String exchange(String request) throws IOException {
    try (Socket s = new Socket(InetAddress.getLoopbackAddress(), proxy.port())) {
      s.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
      s.getOutputStream().flush();
      return new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private URI page(int n) {
    return vendor.url().resolve("/pages/" + n);
  }

  @Test
  void absoluteFormGet_isPaidForAndTheResourceReturned() throws Exception {
    String answer =
        exchange("GET " + page(4) + " HTTP/1.1\r\nHost: x\r\nProxy-Connection: keep-alive\r\n\r\n");

    assertThat(answer).startsWith("HTTP/1.1 200 OK\r\n");
    assertThat(answer).contains("Content-Length: 6\r\n").endsWith("\r\n\r\npage 4");
    assertThat(vendor.revenue()).isEqualTo(100);
    assertThat(journal).contains("GET " + page(4) + " -> 200");
  }

  @Test
  void overBudget_answers402WithTheWalletsCode() throws Exception {
    wallet.setBudget(Budget.DEFAULT.withPerRequest(50));

    String answer = exchange("GET " + page(1) + " HTTP/1.1\r\nHost: x\r\n\r\n");

    assertThat(answer).startsWith("HTTP/1.1 402 Payment Required\r\n");
    assertThat(answer)
        .contains("\"code\":\"budget-exceeded\"")
        .contains("Millicent-Wallet: budget-exceeded");
    assertThat(vendor.revenue()).isZero();
  }

  @Test
  void chunkedRequestBody_isForwardedWhole() throws Exception {
    String answer =
        exchange(
            "POST "
                + vendor.url().resolve("/nothing")
                + " HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "3\r\nabc\r\n0\r\n\r\n");

    // The test vendor offers every unpaid request; the wallet pays and the vendor says 404.
    assertThat(answer).startsWith("HTTP/1.1 404 Not Found\r\n");
  }

  @Test
  void originFormTarget_isABadRequestThatExplainsTheProxy() throws Exception {
    String answer = exchange("GET /pages/1 HTTP/1.1\r\nHost: x\r\n\r\n");

    assertThat(answer).startsWith("HTTP/1.1 400 Bad Request\r\n").contains("send absolute URLs");
  }

  @Test
  void headerOf16KiB_isForwarded() throws Exception {
    String answer =
        exchange(
            "GET "
                + page(4)
                + " HTTP/1.1\r\nHost: x\r\nX-Pad: "
                + "a".repeat(16 * 1024)
                + "\r\n\r\n");

    assertThat(answer).startsWith("HTTP/1.1 200 OK\r\n").endsWith("page 4");
  }

  @Test
  void requestHeadOver32KiB_is431HeadersTooLarge() throws Exception {
    String answer =
        exchange(
            "GET "
                + page(4)
                + " HTTP/1.1\r\nHost: x\r\nX-Pad: "
                + "a".repeat(20_000)
                + "\r\nX-More: "
                + "a".repeat(20_000)
                + "\r\n\r\n");

    assertThat(answer)
        .startsWith("HTTP/1.1 431 Request Header Fields Too Large\r\n")
        .contains("Content-Type: application/problem+json")
        .contains("\"code\":\"headers-too-large\"");
    assertThat(vendor.revenue()).isZero();
  }

  @Test
  void moreThanAHundredHeaderFields_is431HeadersTooLarge() throws Exception {
    String answer =
        exchange("GET " + page(4) + " HTTP/1.1\r\nHost: x\r\n" + "X-A: b\r\n".repeat(101) + "\r\n");

    assertThat(answer).startsWith("HTTP/1.1 431 ").contains("\"code\":\"headers-too-large\"");
  }

  @Test
  void requestLineOver32KiB_is414UriTooLong() throws Exception {
    String answer =
        exchange("GET " + page(4) + "?q=" + "a".repeat(40_000) + " HTTP/1.1\r\nHost: x\r\n\r\n");

    assertThat(answer)
        .startsWith("HTTP/1.1 414 URI Too Long\r\n")
        .contains("\"code\":\"uri-too-long\"");
  }

  @Test
  void connectTunnel_passesThroughUnpaid() throws Exception {
    try (Socket s = new Socket(InetAddress.getLoopbackAddress(), proxy.port())) {
      OutputStream out = s.getOutputStream();
      InputStream in = s.getInputStream();
      String authority = vendor.url().getAuthority();
      out.write(
          ("CONNECT " + authority + " HTTP/1.1\r\nHost: " + authority + "\r\n\r\n").getBytes());
      out.flush();
      String established = readHead(in);
      assertThat(established).startsWith("HTTP/1.1 200 Connection Established");

      out.write(
          ("GET /pages/1 HTTP/1.1\r\nHost: " + authority + "\r\nConnection: close\r\n\r\n")
              .getBytes());
      out.flush();
      String inner = new String(in.readAllBytes(), StandardCharsets.UTF_8);

      assertThat(inner).startsWith("HTTP/1.1 402");
      assertThat(vendor.revenue()).isZero();
    }
  }

  private static String readHead(InputStream in) throws IOException {
    StringBuilder sb = new StringBuilder();
    while (!sb.toString().endsWith("\r\n\r\n")) {
      int c = in.read();
      if (c < 0) {
        break;
      }
      sb.append((char) c);
    }
    return sb.toString();
  }
}
