package org.millicent.storage.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * HTTP/1.1 over a plain socket, for tests that send what no well-behaved client would: broken
 * chunking, bodies cut short, duplicate headers, bytes one at a time. Each call opens its own
 * connection ({@code Connection: close} is the caller's to add). Not thread-safe per instance.
 */
public final class RawHttp implements AutoCloseable {
  private final Socket socket;
  private final OutputStream out;
  private final InputStream in;

  private RawHttp(Socket socket) throws IOException {
    this.socket = socket;
    this.out = socket.getOutputStream();
    this.in = socket.getInputStream();
  }

  /** Connects to the host and port of {@code base}, with {@code readTimeoutMillis} per read. */
  public static RawHttp connect(URI base, int readTimeoutMillis) throws IOException {
    Socket s = new Socket();
    s.connect(new InetSocketAddress(base.getHost(), base.getPort()), 5_000);
    s.setSoTimeout(readTimeoutMillis);
    return new RawHttp(s);
  }

  /**
   * Sends {@code method target} with the given extra header lines, no body and {@code Connection:
   * close} on a new connection, and reads the answer. The target is written byte for byte as given,
   * for targets that {@code java.net.http} would refuse or normalise.
   */
  public static Response exchange(URI base, String method, String target, String... headerLines) {
    return exchangeAs(base, base.getHost() + ":" + base.getPort(), method, target, headerLines);
  }

  /**
   * As {@link #exchange}, with {@code Host: host}, as a load balancer in front of several replicas
   * forwards what the customer addressed.
   */
  public static Response exchangeAs(
      URI base, String host, String method, String target, String... headerLines) {
    StringBuilder req =
        new StringBuilder()
            .append(method)
            .append(' ')
            .append(target)
            .append(" HTTP/1.1\r\nHost: ")
            .append(host)
            .append("\r\nConnection: close\r\n");
    for (String h : headerLines) {
      req.append(h).append("\r\n");
    }
    req.append("\r\n");
    try (RawHttp c = connect(base, 60_000)) {
      return c.send(req.toString()).read("HEAD".equals(method));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("raw " + method + " " + target, e);
    }
  }

  /** Sends {@code text} as ISO-8859-1 bytes and flushes. */
  public RawHttp send(String text) throws IOException {
    return send(text.getBytes(StandardCharsets.ISO_8859_1));
  }

  /** Sends {@code bytes} and flushes. */
  public RawHttp send(byte[] bytes) throws IOException {
    out.write(bytes);
    out.flush();
    return this;
  }

  /** Half-closes the connection: the server reads end of stream, as when a client aborts. */
  public void shutdownOutput() throws IOException {
    socket.shutdownOutput();
  }

  /** Closes the connection at once (RST when data is unread), as a client that gives up. */
  public void abort() throws IOException {
    socket.setSoLinger(true, 0);
    socket.close();
  }

  /** A response: its status (or -1 when the server closed without answering) and its body. */
  public record Response(int status, String head, String body) {
    /** The value of the {@code code} member of a problem document, or {@code null}. */
    public String code() {
      int i = body.indexOf("\"code\":\"");
      if (i < 0) {
        return null;
      }
      int from = i + 8;
      return body.substring(from, body.indexOf('"', from));
    }

    /** The first value of header {@code name}, or {@code null}. */
    public String header(String name) {
      for (String line : head.split("\r\n", -1)) {
        int c = line.indexOf(':');
        if (c > 0 && line.substring(0, c).trim().equalsIgnoreCase(name)) {
          return line.substring(c + 1).trim();
        }
      }
      return null;
    }
  }

  /**
   * Reads one response (head, then a Content-Length or chunked body, or to end of stream); status
   * -1 when the server closed the connection without a response.
   *
   * @throws SocketTimeoutException when the server neither answers nor closes in time
   */
  public Response read() throws IOException {
    return read(false);
  }

  /**
   * As {@link #read()}; {@code toHead} says the request was a HEAD, whose response has no body
   * whatever its Content-Length says. An interim 1xx response is skipped.
   */
  public Response read(boolean toHead) throws IOException {
    Response r = readOne(toHead);
    while (r.status() >= 100 && r.status() < 200) {
      r = readOne(toHead);
    }
    return r;
  }

  private Response readOne(boolean toHead) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int last4 = 0;
    boolean ended = false;
    int b;
    try {
      while (!ended && (b = in.read()) >= 0) {
        head.write(b);
        last4 = (last4 << 8) | b;
        ended = last4 == 0x0d0a0d0a;
      }
    } catch (java.net.SocketException e) {
      if (head.size() == 0) {
        return new Response(-1, "", ""); // reset by the server
      }
      throw e;
    }
    if (!ended) {
      return new Response(-1, head.toString(StandardCharsets.ISO_8859_1), "");
    }
    String h = head.toString(StandardCharsets.ISO_8859_1);
    int status = Integer.parseInt(h.substring(9, 12));
    Response partial = new Response(status, h, "");
    String length = partial.header("Content-Length");
    String te = partial.header("Transfer-Encoding");
    byte[] body;
    if (toHead || status == 204 || status == 304 || status / 100 == 1) {
      body = new byte[0];
    } else if (length != null) {
      body = in.readNBytes(Integer.parseInt(length.trim()));
    } else if (te != null && te.toLowerCase(Locale.ROOT).contains("chunked")) {
      body = readChunked();
    } else {
      body = in.readAllBytes();
    }
    return new Response(status, h, new String(body, StandardCharsets.UTF_8));
  }

  /** Whether the server closed the connection (end of stream or reset) within the read timeout. */
  public boolean closedByServer() throws IOException {
    try {
      while (true) {
        if (in.read() < 0) {
          return true;
        }
      }
    } catch (SocketTimeoutException e) {
      return false;
    } catch (java.net.SocketException e) {
      return true;
    }
  }

  /**
   * Sends {@code step} again and again (the caller's read timeout apart) until the server closes
   * the connection or {@code within} has passed, as a slowloris client does; whether it closed.
   */
  public boolean trickleUntilClosed(String step, java.time.Duration within) throws IOException {
    long deadline = System.nanoTime() + within.toNanos();
    while (System.nanoTime() < deadline) {
      try {
        send(step);
      } catch (IOException e) {
        return true; // reset by the server
      }
      if (closedByServer()) {
        return true;
      }
    }
    return false;
  }

  private byte[] readChunked() throws IOException {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    while (true) {
      String size = line();
      int n = Integer.parseInt(size.split(";", -1)[0].trim(), 16);
      if (n == 0) {
        while (!line().isEmpty()) {
          // trailers
        }
        return body.toByteArray();
      }
      body.write(in.readNBytes(n));
      line();
    }
  }

  private String line() throws IOException {
    StringBuilder s = new StringBuilder();
    int b;
    while ((b = in.read()) >= 0 && b != '\n') {
      if (b != '\r') {
        s.append((char) b);
      }
    }
    return s.toString();
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
