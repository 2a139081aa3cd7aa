package org.millicent.servlet;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.millicent.servlet.testing.Runs;
import org.millicent.servlet.testing.TestMarket;
import org.millicent.vendor.VerifiedPayment;

/**
 * The application behind the filter in the ITs: answers every path itself and counts how often each
 * ran. {@code /articles/*} names what was paid (from {@link MillicentFilter#PAYMENT}), {@code
 * /fail} answers 500, {@code /boom} throws, {@code /dbdown} runs {@link #whileAnswering}, {@code
 * /echo} echoes its body, {@code /free} is free.
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
        String text = paid == null ? "free " + path : TestMarket.paidText(path, paid);
        res.getOutputStream().write(text.getBytes(StandardCharsets.UTF_8));
      }
    }
  }
}
