package org.millicent.servlet;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpUpgradeHandler;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.InputStreamReader;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;

/**
 * A paid request as the application sees it: its body was read to check the payment (and opened,
 * for a private payment that sealed it), so the application reads it again from here. It cannot go
 * asynchronous or be upgraded: either would hand the application the container's own response (the
 * no-argument {@code startAsync()} initialises its context with the unwrapped response), so the
 * answer would escape the buffer and reach the client without its receipt while the payment is
 * released. The application gets an {@link IllegalStateException} instead, and the filter answers
 * {@code 502 origin-failed} uncharged. One request's; not thread-safe.
 */
final class PaidRequest extends HttpServletRequestWrapper {
  private final byte[] body;

  PaidRequest(HttpServletRequest request, byte[] body) {
    super(request);
    this.body = body;
  }

  @Override
  public int getContentLength() {
    return body.length;
  }

  @Override
  public long getContentLengthLong() {
    return body.length;
  }

  @Override
  public ServletInputStream getInputStream() {
    ByteArrayInputStream in = new ByteArrayInputStream(body);
    return new ServletInputStream() {
      @Override
      public int read() {
        return in.read();
      }

      @Override
      public int read(byte[] b, int off, int len) {
        return in.read(b, off, len);
      }

      @Override
      public boolean isFinished() {
        return in.available() == 0;
      }

      @Override
      public boolean isReady() {
        return true;
      }

      @Override
      public void setReadListener(ReadListener listener) {
        throw new UnsupportedOperationException("a paid request's body is read blocking");
      }
    };
  }

  @Override
  public BufferedReader getReader() {
    String enc = getCharacterEncoding();
    Charset cs = enc == null ? StandardCharsets.ISO_8859_1 : Charset.forName(enc);
    return new BufferedReader(new InputStreamReader(new ByteArrayInputStream(body), cs));
  }

  @Override
  public boolean isAsyncSupported() {
    return false;
  }

  @Override
  public AsyncContext startAsync() {
    throw notAsync();
  }

  @Override
  public AsyncContext startAsync(ServletRequest request, ServletResponse response) {
    throw notAsync();
  }

  @Override
  public <T extends HttpUpgradeHandler> T upgrade(Class<T> handlerClass) {
    throw new IllegalStateException(
        "a paid request cannot be upgraded: its answer is buffered to be receipted");
  }

  private static IllegalStateException notAsync() {
    return new IllegalStateException(
        "a paid request cannot go asynchronous: its answer is buffered to be receipted, so write"
            + " it before the servlet returns");
  }
}
