package org.millicent.bench;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One keep-alive HTTP/1.1 connection that sends GET requests and reads whole responses, for the
 * load generator. It does as little as a client can (as wrk or h2load do), so that the benchmark
 * measures the server rather than a general-purpose client; {@code java.net.http} costs more client
 * CPU per request than the vendor's own work, and on one shared machine that CPU would be charged
 * to the server. Plain HTTP only. Not thread-safe: one worker owns it.
 */
final class RawHttpConnection implements Closeable {
  /** A response: status, headers by lower-case name (last one wins), body. */
  record Response(int status, Map<String, String> headers, byte[] body) {}

  private final Socket socket;
  private final InputStream in;
  private final OutputStream out;
  private final byte[] hostLine;

  RawHttpConnection(URI base) throws IOException {
    if (!"http".equals(base.getScheme())) {
      throw new IOException("the load generator speaks plain HTTP/1.1 only, not " + base);
    }
    int port = base.getPort() < 0 ? 80 : base.getPort();
    this.socket = new Socket(base.getHost(), port);
    socket.setTcpNoDelay(true);
    this.in = new BufferedInputStream(socket.getInputStream(), 16 * 1024);
    this.out = new BufferedOutputStream(socket.getOutputStream(), 8 * 1024);
    this.hostLine =
        ("Host: " + base.getHost() + ":" + port + "\r\nUser-Agent: millicent-bench\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII);
  }

  /** Sends {@code GET target} (with an Authorization header if given) and reads the answer. */
  Response get(String target, @Nullable String authorization) throws IOException {
    out.write(("GET " + target + " HTTP/1.1\r\n").getBytes(StandardCharsets.US_ASCII));
    if (authorization != null) {
      out.write(("Authorization: " + authorization + "\r\n").getBytes(StandardCharsets.US_ASCII));
    }
    out.write(hostLine);
    out.flush();
    String status = line();
    if (status == null || !status.startsWith("HTTP/1.1 ")) {
      throw new IOException("expected an HTTP/1.1 status line, found " + status);
    }
    int code = Integer.parseInt(status.substring(9, 12));
    Map<String, String> headers = new HashMap<>();
    for (String h = line(); h != null && !h.isEmpty(); h = line()) {
      int c = h.indexOf(':');
      headers.put(h.substring(0, c).toLowerCase(Locale.ROOT), h.substring(c + 1).strip());
    }
    byte[] body;
    String length = headers.get("content-length");
    if (length != null) {
      body = in.readNBytes(Integer.parseInt(length));
    } else if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
      body = chunked();
    } else {
      throw new IOException("response has neither Content-Length nor chunked encoding");
    }
    return new Response(code, headers, body);
  }

  private byte[] chunked() throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    while (true) {
      String size = line();
      if (size == null) {
        throw new EOFException("the chunked body ended before its last chunk");
      }
      int semi = size.indexOf(';');
      int n = Integer.parseInt((semi < 0 ? size : size.substring(0, semi)).strip(), 16);
      if (n == 0) {
        for (String t = line(); t != null && !t.isEmpty(); t = line()) {
          // trailers are ignored
        }
        return b.toByteArray();
      }
      b.write(in.readNBytes(n));
      line();
    }
  }

  private byte[] lineBuffer = new byte[256];

  /** One CRLF-terminated ASCII line without its terminator, or null at end of stream. */
  private @Nullable String line() throws IOException {
    int n = 0;
    int c;
    while ((c = in.read()) >= 0) {
      if (c == '\n') {
        int len = n > 0 && lineBuffer[n - 1] == '\r' ? n - 1 : n;
        return new String(lineBuffer, 0, len, StandardCharsets.ISO_8859_1);
      }
      if (n == lineBuffer.length) {
        lineBuffer = java.util.Arrays.copyOf(lineBuffer, n * 2);
      }
      lineBuffer[n++] = (byte) c;
    }
    return n == 0 ? null : new String(lineBuffer, 0, n, StandardCharsets.ISO_8859_1);
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
