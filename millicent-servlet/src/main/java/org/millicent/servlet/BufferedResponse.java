package org.millicent.servlet;

import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.ByteArrayOutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.Charset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
 * client receives. One request's; not thread-safe.
 */
final class BufferedResponse extends HttpServletResponseWrapper {
  /** The largest status code (RFC 9110, 15: three digits, the first 1 to 5). */
  private static final int MAX_STATUS = 599;

  private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
  private int status = SC_OK;
  private @Nullable ServletOutputStream stream;
  private @Nullable PrintWriter writer;

  BufferedResponse(HttpServletResponse response) {
    super(response);
  }

  /** The body the application wrote. */
  byte[] body() {
    if (writer != null) {
      writer.flush();
    }
    return status == SC_NO_CONTENT || status == SC_NOT_MODIFIED
        ? new byte[0]
        : buffer.toByteArray();
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
  public void setContentLength(int len) {}

  @Override
  public void setContentLengthLong(long len) {}

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

  /** An output stream into the buffer. */
  private static final class BufferStream extends ServletOutputStream {
    private final ByteArrayOutputStream buffer;

    BufferStream(ByteArrayOutputStream buffer) {
      this.buffer = buffer;
    }

    @Override
    public void write(int b) {
      buffer.write(b);
    }

    @Override
    public void write(byte[] b, int off, int len) {
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
