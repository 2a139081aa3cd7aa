package org.millicent.servlet;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.millicent.servlet.testing.Runs;
import org.millicent.servlet.testing.ShopScenarios;
import org.millicent.vendor.VerifiedPayment;

/**
 * The application behind the filter in the ITs: answers every path itself and counts how often each
 * ran. {@code /articles/*} names what was paid (from {@link MillicentFilter#PAYMENT}), {@code
 * /fail} answers 500, {@code /boom} throws, {@code /dbdown} runs {@link #whileAnswering}, {@code
 * /echo} echoes its body, {@code /large/…} writes a large answer ({@link #writeLarge}), {@code
 * /free} is free.
 */
final class ShopServlet extends HttpServlet {
  private static final long serialVersionUID = 1L;

  private final transient Runs runs = new Runs();

  /** What {@code /dbdown} does before it answers 200 (a test sets it). */
  transient volatile Runnable whileAnswering = () -> {};

  /** How often the application ran for {@code path}. */
  int runs(String path) {
    return runs.of(path);
  }

  @Override
  protected void service(HttpServletRequest req, HttpServletResponse res) throws IOException {
    String path = req.getServletPath() + (req.getPathInfo() == null ? "" : req.getPathInfo());
    runs.ran(path);
    VerifiedPayment paid = (VerifiedPayment) req.getAttribute(MillicentFilter.PAYMENT);
    if (path.startsWith("/large/")) {
      writeLarge(path.substring("/large/".length()), res);
      return;
    }
    switch (path) {
      case "/fail" -> {
        res.setStatus(500);
        res.getWriter().write("the application broke");
      }
      case "/boom" -> throw new IllegalStateException("the application threw");
      case "/dbdown" -> {
        whileAnswering.run();
        res.getWriter().write("answered while the database went away");
      }
      case "/echo" -> {
        res.setContentType("application/octet-stream");
        res.getOutputStream().write(req.getInputStream().readAllBytes());
      }
      default -> {
        res.setContentType("text/plain;charset=utf-8");
        res.setHeader("X-App", "shop");
        String text = paid == null ? "free " + path : ShopScenarios.paidText(path, paid);
        res.getOutputStream().write(text.getBytes(StandardCharsets.UTF_8));
      }
    }
  }

  /**
   * Writes {@code how/n}: n bytes of {@code x} through the output stream in 8 KiB writes ({@code
   * stream}), through the writer ({@code writer}), or in one write after announcing their length
   * ({@code announced}); the I/O failure of a write past the limit ends the application's answer.
   */
  static void writeLarge(String spec, HttpServletResponse res) throws IOException {
    String how = spec.substring(0, spec.indexOf('/'));
    int n = Integer.parseInt(spec.substring(spec.indexOf('/') + 1));
    res.setContentType("application/octet-stream");
    byte[] chunk = new byte[8192];
    Arrays.fill(chunk, (byte) 'x');
    switch (how) {
      case "stream" -> {
        for (int sent = 0; sent < n; sent += chunk.length) {
          res.getOutputStream().write(chunk, 0, Math.min(chunk.length, n - sent));
        }
      }
      case "writer" -> {
        String text = new String(chunk, StandardCharsets.ISO_8859_1);
        for (int sent = 0; sent < n; sent += chunk.length) {
          res.getWriter().write(text, 0, Math.min(chunk.length, n - sent));
        }
      }
      default -> {
        res.setContentLength(n);
        byte[] all = new byte[n];
        Arrays.fill(all, (byte) 'x');
        res.getOutputStream().write(all);
      }
    }
  }
}
