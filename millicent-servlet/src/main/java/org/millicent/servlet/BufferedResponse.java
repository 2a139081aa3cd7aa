package org.millicent.servlet;

import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.Charset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The application's answer to a paid request, held back until the payment is settled: the body is
 * buffered (the receipt covers its digest, and a private payment seals it), the status kept, and
 * nothing is committed; headers go to the real response, except {@code Content-Length}, which the
 * filter sets for the body it sends. {@code sendError} and {@code sendRedirect} set the status (and
 * {@code Location}) without committing. The status must be a final one (200 to 599): a container
 * sends an informational status as an interim answer and never the final one, after the payment was
 * spent, so any other is refused as the application's failure. The body of a {@code 204} or {@code
 * 304}, which the container drops (RFC 9110, 6.4.1), is empty: the receipt covers the body the
 * client receives. The body may have at most {@code max_answer_bytes}: a write past it throws an
 * {@link IOException}, the bytes held are dropped and {@link #tooLarge()} stays true, so an answer
 * over the limit is never held whole. One request's; not thread-safe.
 */
final class BufferedResponse extends HttpServletResponseWrapper {
  /** The largest status code (RFC 9110, 15: three digits, the first 1 to 5). */
  private static final int MAX_STATUS = 599;

  private final Body buffer;
  private final Map<String, List<String>> headersBefore;
  private int status = SC_OK;
  private @Nullable ServletOutputStream stream;
  private @Nullable PrintWriter writer;

  /** Buffers the answer to {@code response}, up to {@code maxBytes} of body. */
  BufferedResponse(HttpServletResponse response, int maxBytes) {
    super(response);
    this.buffer = new Body(maxBytes);
    this.headersBefore = headerMap();
  }

  /** The body the application wrote, in one array of its size (the buffer's own when it fits). */
  byte[] body() {
    if (writer != null) {
      writer.flush();
    }
    return status == SC_NO_CONTENT || status == SC_NOT_MODIFIED ? new byte[0] : buffer.bytes();
  }

  /** Whether the application wrote, or announced, more than {@code max_answer_bytes}. */
  boolean tooLarge() {
    if (writer != null) {
      writer.flush(); // bytes the writer's encoder still holds may be those over the limit
    }
    return buffer.overflowed;
  }

  /**
   * Drops everything the application set on the real response (status, headers, body) for a
   * refusal, keeping the headers set before the filter ran: an earlier filter's security headers
   * ({@code Content-Security-Policy} and the like) apply to the refusal too.
   */
  void discard() {
    HttpServletResponse res = (HttpServletResponse) getResponse();
    res.reset();
    headersBefore.forEach(
        (name, values) -> {
          if (!"Content-Length".equalsIgnoreCase(name)) {
            values.forEach(v -> res.addHeader(name, v));
          }
        });
  }

  /** The headers set so far, by name. */
  Map<String, List<String>> headerMap() {
    Map<String, List<String>> out = new LinkedHashMap<>();
    HttpServletResponse res = (HttpServletResponse) getResponse();
    for (String name : res.getHeaderNames()) {
      out.put(name, new ArrayList<>(res.getHeaders(name)));
    }
    return out;
  }

  @Override
  public int getStatus() {
    return status;
  }

  @Override
  public void setStatus(int sc) {
    if (sc < SC_OK || sc > MAX_STATUS) {
      throw new IllegalArgumentException(
          "a paid answer needs a final status, 200 to " + MAX_STATUS + "; found " + sc);
    }
    status = sc;
    super.setStatus(sc);
  }

  @Override
  public void sendError(int sc) {
    setStatus(sc);
  }

  @Override
  public void sendError(int sc, String msg) {
    setStatus(sc);
  }

  @Override
  public void sendRedirect(String location) {
    sendRedirect(location, SC_FOUND, true);
  }

  @Override
  public void sendRedirect(String location, boolean clearBuffer) {
    sendRedirect(location, SC_FOUND, clearBuffer);
  }

  @Override
  public void sendRedirect(String location, int sc) {
    sendRedirect(location, sc, true);
  }

  @Override
  public void sendRedirect(String location, int sc, boolean clearBuffer) {
    if (clearBuffer) {
      resetBuffer();
    }
    setStatus(sc);
    setHeader("Location", location);
  }

  @Override
  public void setContentLength(int len) {
    buffer.expect(len);
  }

  @Override
  public void setContentLengthLong(long len) {
    buffer.expect(len);
  }

  @Override
  public void setHeader(String name, String value) {
    if (!"Content-Length".equalsIgnoreCase(name)) {
      super.setHeader(name, value);
    }
  }

  @Override
  public void addHeader(String name, String value) {
    if (!"Content-Length".equalsIgnoreCase(name)) {
      super.addHeader(name, value);
    }
  }

  @Override
  public void setIntHeader(String name, int value) {
    if (!"Content-Length".equalsIgnoreCase(name)) {
      super.setIntHeader(name, value);
    }
  }

  @Override
  public void addIntHeader(String name, int value) {
    if (!"Content-Length".equalsIgnoreCase(name)) {
      super.addIntHeader(name, value);
    }
  }

  @Override
  public ServletOutputStream getOutputStream() {
    if (writer != null) {
      throw new IllegalStateException("getWriter() was called already");
    }
    if (stream == null) {
      stream = new BufferStream(buffer);
    }
    return stream;
  }

  @Override
  public PrintWriter getWriter() {
    if (stream != null) {
      throw new IllegalStateException("getOutputStream() was called already");
    }
    if (writer == null) {
      writer =
          new PrintWriter(
              new OutputStreamWriter(buffer, Charset.forName(getCharacterEncoding())), false);
    }
    return writer;
  }

  @Override
  public void setBufferSize(int size) {}

  @Override
  public void flushBuffer() {
    if (writer != null) {
      writer.flush();
    }
  }

  @Override
  public boolean isCommitted() {
    return false;
  }

  @Override
  public void resetBuffer() {
    if (writer != null) {
      writer.flush();
    }
    buffer.reset();
  }

  @Override
  public void reset() {
    resetBuffer();
    super.reset();
    status = SC_OK;
  }

  /**
   * The body's bytes, up to a limit: one array, sized to the length the application announced when
   * it did, grown by doubling otherwise. Past the limit the array is dropped and every write fails.
   */
  private static final class Body extends OutputStream {
    private static final byte[] EMPTY = new byte[0];
    private static final int INITIAL = 8192;

    private final int maxBytes;
    private byte[] bytes = EMPTY;
    private int count;
    boolean overflowed;

    Body(int maxBytes) {
      this.maxBytes = maxBytes;
    }

    /** Sizes the array for an announced length before the first write; over the limit: refused. */
    void expect(long length) {
      if (length > maxBytes) {
        overflow();
      } else if (count == 0 && length > bytes.length && !overflowed) {
        bytes = new byte[(int) length];
      }
    }

    @Override
    public void write(int b) throws IOException {
      ensure(1);
      bytes[count++] = (byte) b;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      Objects.checkFromIndexSize(off, len, b.length);
      ensure(len);
      System.arraycopy(b, off, bytes, count, len);
      count += len;
    }

    private void ensure(int more) throws IOException {
      if (overflowed || (long) count + more > maxBytes) {
        overflow();
        throw new IOException(
            "a paid answer may have at most " + maxBytes + " bytes (max_answer_bytes)");
      }
      if (count + more > bytes.length) {
        int grown = (int) Math.min(maxBytes, Math.max(INITIAL, 2L * bytes.length));
        bytes = Arrays.copyOf(bytes, Math.max(grown, count + more));
      }
    }

    private void overflow() {
      overflowed = true;
      bytes = EMPTY;
      count = 0;
    }

    /** The bytes written, as one array of their size: the buffer itself when it is exactly full. */
    byte[] bytes() {
      if (count != bytes.length) {
        bytes = Arrays.copyOf(bytes, count); // the larger array is garbage from here on
      }
      return bytes;
    }

    void reset() {
      count = 0;
    }
  }

  /** An output stream into the buffer. */
  private static final class BufferStream extends ServletOutputStream {
    private final Body buffer;

    BufferStream(Body buffer) {
      this.buffer = buffer;
    }

    @Override
    public void write(int b) throws IOException {
      buffer.write(b);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      buffer.write(b, off, len);
    }

    @Override
    public boolean isReady() {
      return true;
    }

    @Override
    public void setWriteListener(WriteListener listener) {
      throw new UnsupportedOperationException("a paid answer is buffered; write it blocking");
    }
  }
}
