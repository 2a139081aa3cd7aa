package org.millicent.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.millicent.cli.demo.DemoMarket;
import org.millicent.wallet.HeldScrip;
import org.millicent.wallet.ScripState;
import org.millicent.wallet.Wallet;
import org.millicent.wallet.WalletException;
import org.millicent.wallet.WalletOptions;
import org.millicent.wallet.WalletTotals;
import org.millicent.wallet.http.Request;

/**
 * A {@code spent} answer to a re-send of a recorded payment is no proof of loss (issue 12, part 1):
 * the real wallet pays the real vendor through a relay that loses the first answer and then answers
 * the re-send {@code 402 spent} itself (as a vendor whose first attempt still held the claim did);
 * the wallet asks the real vendor's {@code POST /millicent/recover} and keeps what is its due.
 *
 * <p>Payments are bound to the origin the customer addressed (PROTOCOL.md, "Authority"), so the
 * relay is a reverse proxy standing at the vendor's public origin: the vendor lists the relay's URL
 * in its {@code public_urls}, and the relay forwards each request's bytes with its {@code Host}
 * unchanged (over a plain socket: Java's HttpClient will not set {@code Host}).
 */
class WalletRecoveryIT {
  private static final String PAGE = "/pages/haiku.html"; // 100 millicents

  @TempDir Path dir;
  private DemoMarket market;
  private ServerSocket relay;
  private ExecutorService relayThreads;
  private URI relayUrl;
  private Wallet alice;

  /** What the relay does with the next paid request for {@link #PAGE}. */
  private enum Mode {
    PASS,
    /** Forward it, lose the answer, then answer its re-send 402 spent. */
    FORWARD_AND_LOSE,
    /** Lose it without forwarding, then answer its re-send 402 spent. */
    LOSE
  }

  private volatile Mode mode = Mode.PASS;
  private final AtomicInteger paidSeen = new AtomicInteger();

  /** Hop-by-hop headers, which a proxy does not forward (RFC 9110, 7.6.1). */
  private static final Set<String> HOP_BY_HOP =
      Set.of(
          "connection",
          "keep-alive",
          "proxy-connection",
          "te",
          "trailer",
          "upgrade",
          "http2-settings");

  @BeforeEach
  void start() throws Exception {
    // The relay's port is bound first: the vendor names it as its public origin.
    relay = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    relayUrl = URI.create("http://127.0.0.1:" + relay.getLocalPort());
    market = DemoMarket.start(dir, List.of(relayUrl));
    URI vendor = market.venetia().url();
    relayThreads = Executors.newVirtualThreadPerTaskExecutor();
    var unusedVendor = relayThreads.submit(() -> accept(vendor));
    alice = Wallet.open(WalletOptions.defaults(dir.resolve("alice")));
    alice.register(market.bob().url(), "alice");
    // The relay stands where the vendor is, as the user says (the broker vouches the vendor's own).
    alice.vouch("venetia", relayUrl);
  }

  @AfterEach
  void stop() throws IOException {
    if (alice != null) {
      alice.close();
    }
    if (relay != null) {
      relay.close();
    }
    if (relayThreads != null) {
      relayThreads.shutdownNow();
    }
    if (market != null) {
      market.close();
    }
  }

  private Void accept(URI vendor) {
    while (!relay.isClosed()) {
      Socket client;
      try {
        client = relay.accept();
      } catch (IOException e) {
        return null; // closed by stop()
      }
      var unusedRelay =
          relayThreads.submit(
              () -> {
                try (client) {
                  relay(client, vendor);
                } catch (IOException e) {
                  // the connection is closed: to the wallet, a lost request or answer
                }
                return null;
              });
    }
    return null;
  }

  /** One request per connection: each answer says {@code Connection: close}. */
  private void relay(Socket client, URI vendor) throws IOException {
    InputStream in = client.getInputStream();
    List<String> head = readHead(in);
    if (head.isEmpty()) {
      return;
    }
    String[] requestLine = head.get(0).split(" ", 3);
    String method = requestLine[0];
    String target = requestLine[1];
    if (header(head, "Transfer-Encoding") != null) {
      throw new IOException("the relay reads Content-Length bodies only"); // the wallet sends those
    }
    String length = header(head, "Content-Length");
    byte[] body = length == null ? new byte[0] : in.readNBytes(Integer.parseInt(length.trim()));
    String auth = header(head, "Authorization");
    int q = target.indexOf('?');
    boolean paidPage = auth != null && (q < 0 ? target : target.substring(0, q)).equals(PAGE);
    int n = paidPage ? paidSeen.incrementAndGet() : 0;
    OutputStream out = client.getOutputStream();
    if (paidPage && mode != Mode.PASS && n >= 2) {
      byte[] spent =
          ("{\"type\":\"https://millicent.dev/problems/spent\",\"title\":\"Scrip already spent\","
                  + "\"status\":402,\"code\":\"spent\",\"detail\":\"scrip has already been spent\"}")
              .getBytes(StandardCharsets.UTF_8);
      out.write(
          ("HTTP/1.1 402 Payment Required\r\nContent-Type: application/problem+json\r\n"
                  + "Content-Length: "
                  + spent.length
                  + "\r\nConnection: close\r\n\r\n")
              .getBytes(StandardCharsets.ISO_8859_1));
      out.write(spent);
      out.flush();
      return;
    }
    if (paidPage && mode == Mode.LOSE) {
      return; // the relay loses the request: the connection is closed unanswered
    }
    byte[] answer;
    try (Socket up = new Socket()) {
      up.connect(new InetSocketAddress(vendor.getHost(), vendor.getPort()), 5_000);
      up.setSoTimeout(30_000);
      // The request as the client sent it, Host included; only hop-by-hop headers are replaced.
      StringBuilder req = new StringBuilder(head.get(0)).append("\r\n");
      for (String h : endToEnd(head.subList(1, head.size()))) {
        req.append(h).append("\r\n");
      }
      req.append("Connection: close\r\n\r\n");
      OutputStream upOut = up.getOutputStream();
      upOut.write(req.toString().getBytes(StandardCharsets.ISO_8859_1));
      upOut.write(body);
      upOut.flush();
      answer = readResponse(up.getInputStream(), method.equals("HEAD"));
    }
    if (paidPage && mode == Mode.FORWARD_AND_LOSE) {
      return; // the relay loses the answer: the vendor did spend
    }
    out.write(answer);
    out.flush();
  }

  /** A whole response, bytes as the vendor sent them but for its hop-by-hop headers. */
  private static byte[] readResponse(InputStream in, boolean toHead) throws IOException {
    List<String> head = readHead(in);
    if (head.isEmpty()) {
      throw new EOFException("the vendor closed without answering");
    }
    int status = Integer.parseInt(head.get(0).substring(9, 12));
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    String length = header(head, "Content-Length");
    String te = header(head, "Transfer-Encoding");
    if (toHead || status == 204 || status == 304 || status / 100 == 1) {
      // no body
    } else if (te != null && te.toLowerCase(Locale.ROOT).contains("chunked")) {
      while (true) { // copied verbatim, chunk framing included
        String size = readLine(in, body);
        if (size == null) {
          throw new EOFException("chunked body cut short");
        }
        int semi = size.indexOf(';');
        int chunk = Integer.parseInt((semi < 0 ? size : size.substring(0, semi)).trim(), 16);
        if (chunk == 0) {
          String trailer = readLine(in, body);
          while (trailer != null && !trailer.isEmpty()) {
            trailer = readLine(in, body);
          }
          break;
        }
        byte[] data = in.readNBytes(chunk + 2);
        if (data.length < chunk + 2) {
          throw new EOFException("chunk cut short");
        }
        body.write(data);
      }
    } else if (length != null) {
      byte[] data = in.readNBytes(Integer.parseInt(length.trim()));
      body.write(data);
    } else {
      body.write(in.readAllBytes());
    }
    StringBuilder h = new StringBuilder(head.get(0)).append("\r\n");
    for (String line : endToEnd(head.subList(1, head.size()))) {
      h.append(line).append("\r\n");
    }
    h.append("Connection: close\r\n\r\n");
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    all.write(h.toString().getBytes(StandardCharsets.ISO_8859_1));
    body.writeTo(all);
    return all.toByteArray();
  }

  private static List<String> endToEnd(List<String> headers) {
    List<String> kept = new ArrayList<>();
    for (String h : headers) {
      int c = h.indexOf(':');
      if (c > 0 && !HOP_BY_HOP.contains(h.substring(0, c).trim().toLowerCase(Locale.ROOT))) {
        kept.add(h);
      }
    }
    return kept;
  }

  /** The start line and header lines up to the empty line; empty at end of stream. */
  private static List<String> readHead(InputStream in) throws IOException {
    List<String> lines = new ArrayList<>();
    ByteArrayOutputStream ignored = new ByteArrayOutputStream();
    String line = readLine(in, ignored);
    if (line == null) {
      return lines;
    }
    while (line != null && !line.isEmpty()) {
      lines.add(line);
      line = readLine(in, ignored);
    }
    if (line == null) {
      throw new EOFException("head cut short");
    }
    return lines;
  }

  /** One CRLF-terminated line without its CRLF (null at end of stream), its bytes copied. */
  private static String readLine(InputStream in, ByteArrayOutputStream copy) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    int b;
    while ((b = in.read()) >= 0) {
      copy.write(b);
      if (b == '\n') {
        byte[] l = line.toByteArray();
        int end = l.length > 0 && l[l.length - 1] == '\r' ? l.length - 1 : l.length;
        return new String(l, 0, end, StandardCharsets.ISO_8859_1);
      }
      line.write(b);
    }
    if (line.size() == 0) {
      return null;
    }
    throw new EOFException("line cut short");
  }

  private static String header(List<String> head, String name) {
    for (String line : head.subList(1, head.size())) {
      int c = line.indexOf(':');
      if (c > 0 && line.substring(0, c).trim().equalsIgnoreCase(name)) {
        return line.substring(c + 1).trim();
      }
    }
    return null;
  }

  private URI page() {
    return relayUrl.resolve(PAGE);
  }

  @Test
  void spentOnAResendOfASpendingPayment_changeIsRecovered_nothingLost() throws Exception {
    mode = Mode.FORWARD_AND_LOSE;

    assertThatThrownBy(() -> alice.httpClient().send(Request.get(page())))
        .isInstanceOf(WalletException.class)
        .hasMessageContaining("recovered");

    WalletTotals t = alice.totals();
    assertThat(t.lostMillicents()).isZero();
    assertThat(t.inFlightMillicents()).isZero();
    assertThat(t.paidMillicents()).isEqualTo(100);
    assertThat(t.heldMillicents()).isEqualTo(t.boughtMillicents() - 100);
    assertThat(t.discrepancyMillicents()).isZero();
    List<HeldScrip> change =
        alice.scrip().stream()
            .filter(s -> s.state() == ScripState.AVAILABLE && s.source().equals("change"))
            .toList();
    assertThat(change).hasSize(1);

    mode = Mode.PASS;
    assertThat(alice.httpClient().send(Request.get(page())).status()).isEqualTo(200);
    assertThat(alice.totals().lostMillicents()).isZero();
  }

  @Test
  void spentOnAResendOfAPaymentThatNeverArrived_scripIsBackInTheWallet() throws Exception {
    mode = Mode.LOSE;

    assertThatThrownBy(() -> alice.httpClient().send(Request.get(page())))
        .isInstanceOf(WalletException.class)
        .hasMessageContaining("never spent");

    WalletTotals t = alice.totals();
    assertThat(t.lostMillicents()).isZero();
    assertThat(t.inFlightMillicents()).isZero();
    assertThat(t.paidMillicents()).isZero();
    assertThat(t.heldMillicents()).isEqualTo(t.boughtMillicents());

    mode = Mode.PASS;
    assertThat(alice.httpClient().send(Request.get(page())).status()).isEqualTo(200);
    assertThat(alice.totals().paidMillicents()).isEqualTo(100);
    assertThat(alice.totals().lostMillicents()).isZero();
  }
}
