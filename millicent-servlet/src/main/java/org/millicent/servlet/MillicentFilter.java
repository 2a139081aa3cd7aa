package org.millicent.servlet;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.OptionalLong;
import org.millicent.vendor.Checkout;
import org.millicent.vendor.MillicentGateway;
import org.millicent.vendor.VerifiedPayment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sells the priced paths of a web application (docs/SERVLET.md): prices each request by method and
 * path from the gateway's configuration ({@code prices}, {@code free}), answers an unpaid priced
 * request with the offer ({@code 402}, {@code WWW-Authenticate}, a problem document or the paywall
 * page for a browser), and lets a paid one through to the application with its {@link
 * VerifiedPayment} in the request attribute {@link #PAYMENT}. The application's answer is buffered;
 * the payment is spent only when the application answered below 500 without throwing, and the
 * answer goes out with its receipt ({@code Millicent-Receipt}; sealed for a private payment).
 * Otherwise the payment is released (the scrip stays the customer's) and the client gets {@code 502
 * origin-failed}, or {@code 502 origin-too-large} for an answer over {@code max_answer_bytes}
 * (refused as it is written, never held whole); a refusal keeps the headers set before the filter.
 * Requests the configuration does not price pass untouched. A paid answer must be written before
 * the application returns: one that goes asynchronous is released as failed. The vendor counts what
 * it sells here as what its gateway sells: payments per resource on its dashboard, and the time of
 * each priced or free request in its request meter ({@code millicent.vendor.requests}).
 *
 * <pre>{@code
 * MillicentGateway millicent = MillicentGateway.open(VendorConfig.load(path), dataDir);
 * context.addFilter(new FilterHolder(new MillicentFilter(millicent)), "/*", null);
 * ServletHolder endpoints = new ServletHolder(new MillicentEndpoints(millicent));
 * context.addServlet(endpoints, "/millicent/*");
 * context.addServlet(endpoints, "/.well-known/millicent");
 * }</pre>
 *
 * <p>Thread-safe. The gateway stays the caller's to close, after the container stopped.
 */
public final class MillicentFilter implements Filter {
  /**
   * The request attribute that holds the {@link VerifiedPayment} of a paid request (absent on every
   * other request).
   */
  public static final String PAYMENT = "org.millicent.vendor.VerifiedPayment";

  private static final Logger LOG = LoggerFactory.getLogger(MillicentFilter.class);

  /**
   * How the application prices a request itself, before the configuration's {@code prices} and
   * {@code free} (the Spring Boot starter's {@code @Priced} handlers). Called on every request;
   * must be thread-safe and must not read the request's body.
   */
  @FunctionalInterface
  public interface Pricing {
    /**
     * The price of {@code request} in millicents (0: free), or empty to leave it to the
     * configuration.
     */
    OptionalLong priceOf(HttpServletRequest request);
  }

  private final Checkout checkout;
  private final Pricing pricing;
  private final int maxAnswerBytes;

  /** A filter that sells by {@code gateway}'s configuration, through its database. */
  public MillicentFilter(MillicentGateway gateway) {
    this(gateway, request -> OptionalLong.empty());
  }

  /**
   * A filter that sells what {@code pricing} prices at its price, and every other request by {@code
   * gateway}'s configuration, through its database.
   */
  public MillicentFilter(MillicentGateway gateway, Pricing pricing) {
    this.checkout = gateway.checkout();
    this.pricing = pricing;
    this.maxAnswerBytes = gateway.config().maxAnswerBytes();
  }

  @Override
  public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    if (!(request instanceof HttpServletRequest req)
        || !(response instanceof HttpServletResponse res)) {
      chain.doFilter(request, response);
      return;
    }
    long t0 = System.nanoTime();
    OptionalLong own = pricing.priceOf(req);
    Checkout.Outcome outcome =
        own.isPresent() ? checkout.begin(req, own.getAsLong()) : checkout.begin(req);
    try {
      switch (outcome) {
        case Checkout.Pass pass -> chain.doFilter(req, res);
        case Checkout.Answer answer -> answer.writeTo(res);
        case Checkout.Sale sale -> sell(sale, req, res, chain, maxAnswerBytes);
      }
    } finally {
      // In the vendor's request meter, as the gateway's own requests (free content included).
      checkout.served(outcome, System.nanoTime() - t0);
    }
  }

  private static void sell(
      Checkout.Sale sale,
      HttpServletRequest req,
      HttpServletResponse res,
      FilterChain chain,
      int maxAnswerBytes)
      throws IOException {
    BufferedResponse buffered = new BufferedResponse(res, maxAnswerBytes);
    PaidRequest paid = new PaidRequest(req, sale.requestBody());
    paid.setAttribute(PAYMENT, sale.payment());
    try {
      chain.doFilter(paid, buffered);
    } catch (IOException | ServletException | RuntimeException | Error e) {
      sale.release();
      if (buffered.tooLarge()) { // the application's failure to write past the limit
        answerTooLarge(sale, req, buffered, maxAnswerBytes);
        return;
      }
      LOG.warn(
          "{} {} failed in the application; its payment is released",
          req.getMethod(),
          req.getRequestURI(),
          e);
      answerFailure(sale, buffered, "the application failed");
      return;
    }
    if (buffered.tooLarge()) {
      sale.release();
      answerTooLarge(sale, req, buffered, maxAnswerBytes);
      return;
    }
    if (paid.isAsyncStarted()) {
      // The answer is not written yet, so it cannot be buffered, receipted or sealed.
      sale.release();
      LOG.warn(
          "{} {} went asynchronous; a paid answer must be written before the servlet returns",
          req.getMethod(),
          req.getRequestURI());
      answerFailure(sale, buffered, "the application answered asynchronously, which is not sold");
      return;
    }
    int status = buffered.getStatus();
    if (status >= 500) {
      sale.release();
      answerFailure(sale, buffered, "the application answered " + status);
      return;
    }
    Checkout.Delivery d;
    try {
      sale.commit();
      d = sale.deliver(status, buffered.getContentType(), buffered.headerMap(), buffered.body());
    } catch (RuntimeException e) {
      // The spent list could not be written (the scrip is released), or the receipt not made: the
      // gateway's own refusal (e.g. 503 storage-unavailable), not the container's error page.
      buffered.discard();
      sale.refused(req, e).writeTo(res);
      return;
    }
    res.setStatus(d.status());
    d.headers().forEach(res::setHeader);
    if (d.contentType() != null) {
      res.setContentType(d.contentType());
    }
    res.setContentLength(d.body().length);
    res.getOutputStream().write(d.body());
  }

  /**
   * The uncharged {@code 502 origin-failed}, instead of whatever the application set (the headers
   * set before the filter stay).
   */
  private static void answerFailure(Checkout.Sale sale, BufferedResponse buffered, String what)
      throws IOException {
    buffered.discard();
    sale.failed(what).writeTo((HttpServletResponse) buffered.getResponse());
  }

  /** The uncharged {@code 502 origin-too-large}, for an answer over {@code max_answer_bytes}. */
  private static void answerTooLarge(
      Checkout.Sale sale, HttpServletRequest req, BufferedResponse buffered, int maxAnswerBytes)
      throws IOException {
    LOG.warn(
        "{} {}: the application's answer is larger than max_answer_bytes ({} bytes); refused 502"
            + " origin-too-large, its payment released",
        req.getMethod(),
        req.getRequestURI(),
        maxAnswerBytes);
    buffered.discard();
    sale.tooLarge(maxAnswerBytes).writeTo((HttpServletResponse) buffered.getResponse());
  }
}
