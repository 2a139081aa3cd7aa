package org.millicent.wallet.proxy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The start line and headers of an HTTP/1.1 request as a proxy reads them, with the body readers
 * the proxy needs ({@code Content-Length} and {@code chunked}). Bounded as the vendor and the
 * broker bound theirs: a request line and header fields over 32 KiB together ({@code 431
 * headers-too-large}, or {@code 414 uri-too-long} when the request line alone is), more than 100
 * header fields (431), a chunk-size line over 8 KiB or a body over 16 MiB ({@code 400 bad-request})
 * are refused. Immutable once read.
 *
 * @param method the method
 * @param target the request-target as sent (absolute-form for a proxy, authority-form for CONNECT)
 * @param version the protocol version, e.g. {@code HTTP/1.1}
 * @param headers the headers, names case-insensitive, values in order
 */
record HttpHead(String method, String target, String version, Map<String, List<String>> headers) {
  /**
   * The most the request line and header fields may take together, in bytes: as at the vendor and
   * the broker, room for a Millicent Authorization of 16 384 characters and the other headers.
   */
  static final int MAX_HEAD = 32 * 1024;

  static final int MAX_LINE = 8 * 1024;
  static final int MAX_HEADERS = 100;
  static final int MAX_BODY = 16 * 1024 * 1024;

  /** A request the proxy cannot read; answered with its status, code and message. */
  static final class BadRequest extends IOException {
    private static final long serialVersionUID = 1L;

    private final int status;
    private final String code;

    BadRequest(String message) {
      this(400, "bad-request", message);
    }

    BadRequest(int status, String code, String message) {
      super(message);
      this.status = status;
      this.code = code;
    }

    /** The status to answer with. */
    int status() {
      return status;
    }

    /** The problem code to answer with. */
    String code() {
      return code;
    }
  }

  private static BadRequest headersTooLarge(String what) {
    return new BadRequest(431, "headers-too-large", what);
  }

  /**
   * Reads a request head, or returns null when the connection closed before one began.
   *
   * @throws BadRequest when the head is malformed or too large
   * @throws IOException when the connection fails
   */
  static HttpHead read(InputStream in) throws IOException {
    String start;
    try {
      start = line(in, MAX_HEAD);
    } catch (BadRequest e) {
      throw new BadRequest(
          414, "uri-too-long", "the request line is longer than " + MAX_HEAD + " bytes");
    }
    if (start == null) {
      return null;
    }
    int left = MAX_HEAD - start.length() - 2;
    String[] parts = start.split(" ");
    if (parts.length != 3 || !parts[2].startsWith("HTTP/1.")) {
      throw new BadRequest(
          "expected a request line METHOD TARGET HTTP/1.x, found \"" + start + '"');
    }
    Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    for (int n = 0; ; n++) {
      String h;
      try {
        h = line(in, Math.max(left, 0));
      } catch (BadRequest e) {
        throw headersTooLarge(
            "the request line and header fields take more than " + MAX_HEAD + " bytes together");
      }
      if (h == null) {
        throw new BadRequest("the connection closed inside the request headers");
      }
      if (h.isEmpty()) {
        break;
      }
      left -= h.length() + 2;
      if (n >= MAX_HEADERS) {
        throw headersTooLarge("more than " + MAX_HEADERS + " header fields");
      }
      int colon = h.indexOf(':');
      if (colon <= 0) {
        throw new BadRequest("expected a header NAME: value, found \"" + h + '"');
      }
      headers
          .computeIfAbsent(h.substring(0, colon).strip(), k -> new ArrayList<>())
          .add(h.substring(colon + 1).strip());
    }
    return new HttpHead(parts[0], parts[1], parts[2], headers);
  }

  /** The first value of a header, or null. */
  String header(String name) {
    List<String> v = headers.get(name);
    return v == null || v.isEmpty() ? null : v.getFirst();
  }

  /**
   * Reads the body this head announces: {@code chunked}, a {@code Content-Length}, or none.
   *
   * @throws BadRequest when the framing is malformed or the body too large
   */
  byte[] readBody(InputStream in) throws IOException {
    String te = header("Transfer-Encoding");
    if (te != null && te.toLowerCase(Locale.ROOT).contains("chunked")) {
      return readChunked(in);
    }
    String cl = header("Content-Length");
    if (cl == null) {
      return new byte[0];
    }
    long n;
    try {
      n = Long.parseLong(cl.strip());
    } catch (NumberFormatException e) {
      throw new BadRequest("Content-Length is not a number: " + cl);
    }
    if (n < 0 || n > MAX_BODY) {
      throw new BadRequest("request bodies must be 0.." + MAX_BODY + " bytes, found " + n);
    }
    byte[] b = in.readNBytes((int) n);
    if (b.length != n) {
      throw new BadRequest("the connection closed inside the request body");
    }
    return b;
  }

  private static byte[] readChunked(InputStream in) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    while (true) {
      String size = line(in);
      if (size == null) {
        throw new BadRequest("the connection closed inside a chunked body");
      }
      int semi = size.indexOf(';');
      int n;
      try {
        n = Integer.parseInt((semi < 0 ? size : size.substring(0, semi)).strip(), 16);
      } catch (NumberFormatException e) {
        throw new BadRequest("bad chunk size \"" + size + '"');
      }
      if (n < 0 || out.size() + (long) n > MAX_BODY) {
        throw new BadRequest("request bodies must be at most " + MAX_BODY + " bytes");
      }
      if (n == 0) {
        while (true) { // trailers, ignored
          String t = line(in);
          if (t == null || t.isEmpty()) {
            return out.toByteArray();
          }
        }
      }
      byte[] chunk = in.readNBytes(n);
      if (chunk.length != n) {
        throw new BadRequest("the connection closed inside a chunk");
      }
      out.writeBytes(chunk);
      line(in);
    }
  }

  /**
   * One line of at most {@link #MAX_LINE} bytes (a chunk size), as {@link #line(InputStream, int)}.
   */
  private static String line(InputStream in) throws IOException {
    return line(in, MAX_LINE);
  }

  /**
   * One CRLF- (or LF-) terminated line in ISO-8859-1, or null at end of stream.
   *
   * @throws BadRequest when the line is longer than {@code max} bytes
   */
  private static String line(InputStream in, int max) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream(128);
    while (true) {
      int c = in.read();
      if (c < 0) {
        return b.size() == 0 ? null : b.toString(StandardCharsets.ISO_8859_1);
      }
      if (c == '\n') {
        String s = b.toString(StandardCharsets.ISO_8859_1);
        return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
      }
      if (b.size() >= max) {
        throw new BadRequest("a line of the request is longer than " + max + " bytes");
      }
      b.write(c);
    }
  }
}
