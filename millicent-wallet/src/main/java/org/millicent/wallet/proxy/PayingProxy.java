package org.millicent.wallet.proxy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import org.millicent.protocol.Headers;
import org.millicent.wallet.WalletException;
import org.millicent.wallet.http.MillicentHttpClient;
import org.millicent.wallet.http.Request;
import org.millicent.wallet.http.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A local HTTP forward proxy that pays for what it fetches (docs/WALLET.md, "Proxy"): point {@code
 * curl -x} or a browser at it and every {@code http://} request goes through a paying {@link
 * MillicentHttpClient}, so a vendor's 402 is paid within the wallet's budget and the client sees
 * the resource. When the wallet will not or cannot pay, the client gets a problem document whose
 * {@code code} says why ({@code budget-exceeded}, ...).
 *
 * <p>HTTPS goes through {@code CONNECT} tunnels, which are passed through <em>unpaid</em>: the
 * proxy cannot see inside TLS, so a vendor's 402 over HTTPS reaches the client as it is. Use the
 * wallet's client or {@code millicent wallet get} for priced HTTPS resources.
 *
 * <p>One request per connection ({@code Connection: close}); bodies are held in memory (16 MiB at
 * most). Anyone who can reach the port spends the wallet's money: it listens on loopback unless
 * told otherwise. Thread-safe; each connection runs on its own virtual thread.
 */
public final class PayingProxy implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(PayingProxy.class);

  private static final ObjectMapper JSON = new ObjectMapper();

  private final ServerSocket server;
  private final MillicentHttpClient client;
  private final Consumer<String> journal;
  private final ExecutorService connections = Executors.newVirtualThreadPerTaskExecutor();
  private final Thread acceptor;

  private PayingProxy(ServerSocket server, MillicentHttpClient client, Consumer<String> journal) {
    this.server = server;
    this.client = client;
    this.journal = journal;
    this.acceptor = Thread.ofVirtual().name("millicent-proxy-accept").unstarted(this::acceptLoop);
  }

  /**
   * Starts a proxy on {@code address} (port 0 picks a free one).
   *
   * @param journal receives one line per request handled (method, URL, status), for a console
   * @throws IOException when the address cannot be bound
   */
  public static PayingProxy start(
      InetSocketAddress address, MillicentHttpClient client, Consumer<String> journal)
      throws IOException {
    ServerSocket s = new ServerSocket();
    s.setReuseAddress(true);
    s.bind(address, 128);
    PayingProxy p = new PayingProxy(s, client, journal);
    p.acceptor.start();
    return p;
  }

  /** The port listened on. */
  public int port() {
    return server.getLocalPort();
  }

  /** The proxy's URL, for {@code curl -x}. */
  public URI url() {
    String host = server.getInetAddress().getHostAddress();
    if (host.contains(":")) {
      host = "[" + host + "]";
    }
    return URI.create("http://" + host + ":" + port());
  }

  private void acceptLoop() {
    while (!server.isClosed()) {
      try {
        Socket s = server.accept();
        connections.submit(() -> serve(s));
      } catch (IOException e) {
        if (!server.isClosed()) {
          log.warn("proxy accept failed: {}", e.toString());
        }
      }
    }
  }

  private void serve(Socket socket) {
    try (socket) {
      socket.setSoTimeout(60_000);
      InputStream in = socket.getInputStream();
      OutputStream out = socket.getOutputStream();
      HttpHead head;
      try {
        head = HttpHead.read(in);
        if (head == null) {
          return;
        }
        if (head.method().equals("CONNECT")) {
          tunnel(head, socket);
          return;
        }
        forward(head, head.readBody(in), out);
      } catch (HttpHead.BadRequest e) {
        writeProblem(out, e.status(), e.code(), e.getMessage());
      }
    } catch (IOException e) {
      log.debug("proxy connection ended: {}", e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void forward(HttpHead head, byte[] body, OutputStream out)
      throws IOException, InterruptedException {
    URI uri;
    try {
      uri = new URI(head.target());
    } catch (URISyntaxException e) {
      writeProblem(out, 400, "bad-request", "the request target is not a URL: " + head.target());
      return;
    }
    if (uri.getScheme() == null || uri.getHost() == null) {
      writeProblem(
          out,
          400,
          "bad-request",
          "this is a proxy: send absolute URLs (curl -x "
              + url()
              + " http://vendor/...), not \""
              + head.target()
              + '"');
      return;
    }
    Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    head.headers()
        .forEach(
            (k, v) -> {
              if (!Headers.isNotForwarded(k)) {
                headers.put(k, v);
              }
            });
    Request request;
    try {
      request = Request.of(head.method(), uri, headers, body);
    } catch (IllegalArgumentException e) {
      writeProblem(out, 400, "bad-request", e.getMessage());
      return;
    }
    Response response;
    try {
      response = client.send(request);
    } catch (WalletException e) {
      journal.accept(head.method() + " " + uri + " -> not paid: " + e.code().code());
      writeProblem(out, e.code().httpStatus(), e.code().code(), e.getMessage());
      return;
    } catch (IOException e) {
      journal.accept(head.method() + " " + uri + " -> unreachable");
      writeProblem(out, 502, "unreachable", "could not reach " + Request.origin(uri) + ": " + e);
      return;
    }
    journal.accept(head.method() + " " + uri + " -> " + response.status());
    writeResponse(out, response, head.method().equals("HEAD"));
  }

  private static void writeResponse(OutputStream out, Response r, boolean head) throws IOException {
    byte[] body = r.body();
    StringBuilder sb = new StringBuilder();
    sb.append("HTTP/1.1 ").append(r.status()).append(' ').append(reason(r.status())).append("\r\n");
    r.headers()
        .map()
        .forEach(
            (k, vs) -> {
              if (!Headers.isNotForwarded(k)) {
                for (String v : vs) {
                  sb.append(k).append(": ").append(v).append("\r\n");
                }
              }
            });
    sb.append("Content-Length: ").append(body.length).append("\r\n");
    sb.append("Connection: close\r\n\r\n");
    out.write(sb.toString().getBytes(StandardCharsets.ISO_8859_1));
    if (!head) {
      out.write(body);
    }
    out.flush();
  }

  private static void writeProblem(OutputStream out, int status, String code, String detail)
      throws IOException {
    byte[] body =
        JSON.writeValueAsBytes(
            JSON.createObjectNode()
                .put("type", "https://millicent.dev/problems/" + code)
                .put("title", reason(status))
                .put("status", status)
                .put("code", code)
                .put("detail", detail));
    String head =
        "HTTP/1.1 "
            + status
            + " "
            + reason(status)
            + "\r\nContent-Type: application/problem+json\r\nContent-Length: "
            + body.length
            + "\r\nMillicent-Wallet: "
            + code
            + "\r\nConnection: close\r\n\r\n";
    out.write(head.getBytes(StandardCharsets.ISO_8859_1));
    out.write(body);
    out.flush();
  }

  /** Passes a CONNECT tunnel through, unpaid: the proxy cannot see inside TLS. */
  private void tunnel(HttpHead head, Socket client) throws IOException {
    String target = head.target();
    int colon = target.lastIndexOf(':');
    int port;
    try {
      port = Integer.parseInt(target.substring(colon + 1));
    } catch (NumberFormatException | StringIndexOutOfBoundsException e) {
      writeProblem(client.getOutputStream(), 400, "bad-request", "CONNECT needs host:port");
      return;
    }
    String host = target.substring(0, colon).replace("[", "").replace("]", "");
    Socket upstream = new Socket();
    try (upstream) {
      try {
        upstream.connect(new InetSocketAddress(host, port), 10_000);
      } catch (IOException e) {
        writeProblem(
            client.getOutputStream(), 502, "unreachable", "could not reach " + target + ": " + e);
        return;
      }
      journal.accept("CONNECT " + target + " -> tunnel (unpaid)");
      client
          .getOutputStream()
          .write("HTTP/1.1 200 Connection Established\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      client.getOutputStream().flush();
      client.setSoTimeout(0);
      Thread up = Thread.ofVirtual().start(() -> pump(client, upstream));
      pump(upstream, client);
      try {
        up.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private static void pump(Socket from, Socket to) {
    try {
      from.getInputStream().transferTo(to.getOutputStream());
    } catch (IOException e) {
      // one side closed; the other direction ends too
    } finally {
      try {
        to.shutdownOutput();
      } catch (IOException | UnsupportedOperationException e) {
        // already closed
      }
    }
  }

  private static String reason(int status) {
    return switch (status) {
      case 200 -> "OK";
      case 201 -> "Created";
      case 204 -> "No Content";
      case 301 -> "Moved Permanently";
      case 302 -> "Found";
      case 304 -> "Not Modified";
      case 400 -> "Bad Request";
      case 401 -> "Unauthorized";
      case 402 -> "Payment Required";
      case 403 -> "Forbidden";
      case 404 -> "Not Found";
      case 414 -> "URI Too Long";
      case 431 -> "Request Header Fields Too Large";
      case 500 -> "Internal Server Error";
      case 502 -> "Bad Gateway";
      case 503 -> "Service Unavailable";
      case 504 -> "Gateway Timeout";
      default -> "Status " + status;
    };
  }

  /** Stops accepting and closes open connections. */
  @Override
  public void close() {
    try {
      server.close();
    } catch (IOException e) {
      log.debug("closing the proxy socket: {}", e.toString());
    }
    connections.shutdownNow();
  }
}
