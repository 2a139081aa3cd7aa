package org.millicent.vendor;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.security.SecureRandom;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.millicent.http.ClientFaults;
import org.millicent.money.Amounts;
import org.millicent.protocol.AuthParams;
import org.millicent.protocol.Payment;
import org.millicent.protocol.PaymentHeader;
import org.millicent.purchase.Purchase;
import org.millicent.scrip.ScripBody;
import org.millicent.vendor.VendorMetrics.Kind;
import org.millicent.vendor.content.ContentResponse;
import org.millicent.vendor.content.OriginException;

/**
 * The sale of one request, without a web framework (docs/SERVLET.md): what the gateway does for its
 * priced paths, for an application that answers them itself (the servlet filter of {@code
 * millicent-servlet}, a Spring application). Obtained from {@link MillicentGateway#checkout()}.
 *
 * <p>{@link #begin} prices the request by method and canonical path from the gateway's catalogue
 * and answers with one {@link Outcome}: {@link Pass} (not priced: the application answers as
 * usual), an {@link Answer} to send as it is (the offer, {@code 402} with {@code WWW-Authenticate}
 * and a problem document or the paywall page for a browser; or a refusal, a problem document with a
 * stable code), or a {@link Sale}: a payment verified and claimed, not yet spent. The application
 * then answers, and the sale is {@link Sale#commit() committed} when it answered below 500 (then
 * {@link Sale#deliver} adds the receipt and seals the body of a private payment), else {@link
 * Sale#release() released}: the scrip stays the customer's. Once the answer is sent, {@link
 * #served} times the request in the vendor's request meter, as the gateway times its own; a paid
 * sale counts for its resource on the dashboard (docs/SERVLET.md, "What the vendor counts").
 *
 * <p>Thread-safe: all state is in the gateway's thread-safe services.
 */
public final class Checkout {
  /** Methods whose repetition has no effect (RFC 9110, section 9.2.1). */
  static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD");

  private final VendorGateway gateway;
  private final Catalogue catalogue;
  private final Supplier<VendorState> state;
  private final Problems problems;
  private final VendorMetrics metrics;

  /** Makes the paid answers, for the gateway's own content route too ({@link ContentSales}). */
  final PaidAnswers paidAnswers;

  Checkout(
      VendorGateway gateway,
      Catalogue catalogue,
      Supplier<VendorState> state,
      Problems problems,
      VendorMetrics metrics,
      SecureRandom random) {
    this.gateway = gateway;
    this.catalogue = catalogue;
    this.state = state;
    this.problems = problems;
    this.metrics = metrics;
    this.paidAnswers = new PaidAnswers(metrics, random);
  }

  /**
   * The largest request body a paid request may have, in bytes (as a Javalin app's default): the
   * body is read whole, since the payment covers its digest.
   */
  public static final int MAX_BODY_BYTES = 1_000_000;

  /** What {@link #begin} decided. */
  public sealed interface Outcome permits Pass, Answer, Sale {}

  /**
   * Not priced: the application answers as it would anyway.
   *
   * @param free whether the vendor gives it away (a free path of the configuration, or a price of 0
   *     set by the application), counted as free content; else the path is not the vendor's to sell
   *     (not in the catalogue, or a protocol endpoint)
   */
  public record Pass(boolean free) implements Outcome {}

  /**
   * An answer to send as it is: the offer or a refusal.
   *
   * @param status the HTTP status
   * @param code the stable problem code ({@code payment-required} for the offer)
   * @param headers headers to set (besides {@code Content-Type})
   * @param contentType the body's media type
   * @param body the body: a problem document, or the paywall page for a browser
   */
  public record Answer(
      int status,
      String code,
      Map<String, String> headers,
      @Nullable String contentType,
      byte[] body)
      implements Outcome {
    /** Copies {@code headers}, in their order. */
    public Answer {
      headers = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(headers));
    }

    /** Sends this answer on {@code res}, which must not be committed yet. */
    public void writeTo(HttpServletResponse res) throws IOException {
      res.setStatus(status);
      headers.forEach(res::setHeader);
      res.setContentType(contentType);
      res.setContentLength(body.length);
      res.getOutputStream().write(body);
    }
  }

  /**
   * Prices {@code request} and, when it is priced and paid, verifies and claims its payment.
   * Nothing is consumed unless this returns a {@link Sale}; every failure is an {@link Answer}.
   * {@code request}'s path is its servlet path and path info (decoded by the container), as the
   * application is dispatched on; the protocol endpoints ({@code /.well-known/millicent}, {@code
   * /millicent/*}) always pass. A priced path must be canonical (docs/HTTP-API.md, "Request
   * targets"). The body of a paid request is read here (up to {@link #MAX_BODY_BYTES}); the
   * application reads it from {@link Sale#requestBody()}.
   */
  public Outcome begin(HttpServletRequest request) {
    String path = dispatchedPath(request);
    if (protocolEndpoint(path)) {
      return new Pass(false);
    }
    Catalogue.Entry entry = catalogue.match(request.getMethod(), path);
    if (entry == null || entry.free()) {
      return new Pass(entry != null);
    }
    return sell(request, entry);
  }

  /**
   * As {@link #begin(HttpServletRequest)} for a request the application priced itself, at {@code
   * priceMillicents} (plus the configuration's {@code price_rules} surcharges), whatever the
   * configuration's {@code prices} and {@code free} say about its path: the Spring Boot starter's
   * {@code @Priced} handlers. A price of 0 is free ({@link Pass}).
   *
   * @throws IllegalArgumentException when the price is negative or above the largest scrip value
   */
  public Outcome begin(HttpServletRequest request, long priceMillicents) {
    if (priceMillicents < 0 || priceMillicents > ScripBody.MAX_VALUE_MILLICENTS) {
      throw new IllegalArgumentException(
          "a price must be 0.." + ScripBody.MAX_VALUE_MILLICENTS + " millicents");
    }
    String path = dispatchedPath(request);
    if (protocolEndpoint(path)) {
      return new Pass(false);
    }
    if (priceMillicents == 0) {
      return new Pass(true);
    }
    return sell(request, catalogue.priced(request.getMethod(), path, priceMillicents));
  }

  /**
   * The base price the configuration's {@code prices} and {@code free} paths give {@code method} at
   * {@code path} by {@link #begin}'s first-match rules (0 when free; empty when nothing covers it;
   * a HEAD priced as its GET), for start-up checks of an application's routes, not for a request.
   */
  public OptionalLong configuredPrice(String method, String path) {
    Catalogue.Entry entry = catalogue.match(method, path);
    return entry == null ? OptionalLong.empty() : OptionalLong.of(entry.basePriceMillicents());
  }

  /** The protocol endpoints, never for sale (even under a "/**" price). */
  private static boolean protocolEndpoint(String path) {
    return path.equals("/.well-known/millicent") || path.startsWith("/millicent/");
  }

  /** The path the application is dispatched on: servlet path and path info, as decoded. */
  private static String dispatchedPath(HttpServletRequest request) {
    String decoded = nullToEmpty(request.getServletPath()) + nullToEmpty(request.getPathInfo());
    return decoded.isEmpty() ? "/" : decoded;
  }

  private Outcome sell(HttpServletRequest request, Catalogue.Entry entry) {
    long offer = entry.basePriceMillicents();
    try {
      String method = request.getMethod();
      String path = RequestTarget.of(request).path();
      ClientFaults.checkAuthorizationLength(request);
      if (ClientFaults.repeatsAuthorization(request)) {
        throw new ProblemException(
            ProblemCode.BAD_REQUEST, "a request may carry only one Authorization header");
      }
      String auth = request.getHeader("Authorization");
      if (auth == null || !AuthParams.isMillicent(auth)) {
        return problems.answer(
            request,
            ProblemCode.PAYMENT_REQUIRED,
            method + " " + path + " costs " + Amounts.format(offer),
            offer,
            Map.of());
      }
      if ("HEAD".equals(method)) {
        return problems.answer(
            request,
            ProblemCode.HEAD_NOT_PAYABLE,
            "HEAD delivers no content, so it is never charged; pay with the GET (scrip unused)",
            offer,
            Map.of("Allow", entry.paidMethods()));
      }
      byte[] sent = RequestBodies.of(request, MAX_BODY_BYTES);
      Payment payment = payment(request, method, auth, sent);
      VendorState st = state.get();
      Purchase p = claim(st, payment, entry);
      if (p.isReplay() && !SAFE_METHODS.contains(method)) {
        ContentResponse replayed = Problems.replayedAction(method, path);
        Delivery d = paidAnswers.paid(st, p, path, replayed);
        return new Answer(
            d.status(), ProblemCode.REPLAYED.code(), d.headers(), d.contentType(), d.body());
      }
      byte[] opened = sent;
      if (payment instanceof Payment.Private pp && sent.length > 0) {
        try {
          opened = st.purchases.openRequestBody(pp, sent);
        } catch (RuntimeException | Error e) {
          p.release();
          throw e;
        }
      }
      return new Sale(this, st, p, path, opened);
    } catch (RuntimeException e) {
      return problems.answer(request, e, offer);
    }
  }

  private static String nullToEmpty(String s) {
    return s == null ? "" : s;
  }

  /**
   * The payment in {@code auth}, bound to this request as sent (its public origin, target, body).
   */
  Payment payment(HttpServletRequest request, String method, String auth, byte[] body) {
    return PaymentHeader.parse(
        auth, gateway.descriptor(request, method, VendorGateway.target(request), body));
  }

  /** Verifies and claims {@code payment} at the entry's price (not yet spent). */
  static Purchase claim(VendorState st, Payment payment, Catalogue.Entry entry) {
    return VendorGateway.knowingNewLicences(st, () -> st.purchases.begin(payment, entry.pricer()));
  }

  /**
   * Counts a request that {@link #begin} decided, once its answer is sent, in the vendor's request
   * meter ({@code millicent.vendor.requests}, the gateway's own, by kind): a free {@link Pass} as
   * {@code free}, a {@link Sale} delivered (and the replay of a non-safe request) as {@code paid},
   * an offer or a refusal (a sale that failed included) as {@code rejected}. A request that is not
   * the vendor's ({@code Pass(false)}) is not counted. Call it once per request.
   *
   * @param nanos how long the request took, from before {@link #begin} to the answer sent
   */
  public void served(Outcome outcome, long nanos) {
    switch (outcome) {
      case Pass pass -> {
        if (pass.free()) {
          metrics.request(Kind.FREE, nanos);
        }
      }
      case Answer a ->
          metrics.request(
              a.code().equals(ProblemCode.REPLAYED.code()) ? Kind.PAID : Kind.REJECTED, nanos);
      case Sale sale -> metrics.request(sale.delivered ? Kind.PAID : Kind.REJECTED, nanos);
    }
  }

  /**
   * The refusal of a sale whose application failed ({@code 502 origin-failed}) or answered more
   * than {@code max_answer_bytes} ({@code 502 origin-too-large}), uncharged.
   */
  Answer failed(ProblemCode code, String detail) {
    return problems.answer(null, code, detail, -1, Map.of());
  }

  /**
   * A paid answer as sent: the application's status, headers to set over the application's own
   * ({@code Millicent-Receipt}, {@code Cache-Control}, and {@code Millicent-Content-Type} for a
   * sealed body), the media type ({@code application/millicent-sealed} for a sealed body) and the
   * body.
   */
  public record Delivery(
      int status, Map<String, String> headers, @Nullable String contentType, byte[] body) {
    /** Copies {@code headers}, in their order. */
    public Delivery {
      headers = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(headers));
    }
  }

  /**
   * A verified payment, claimed and not yet spent: exactly one of {@link #commit()} and {@link
   * #release()} must follow (a second call of either is ignored). Thread-safe.
   */
  public static final class Sale implements Outcome {
    private final Checkout checkout;
    private final VendorState st;
    private final Purchase purchase;
    private final String path;
    private final byte[] requestBody;
    private final VerifiedPayment payment;
    private final AtomicBoolean settled = new AtomicBoolean();

    /** Whether {@link #deliver} made the paid answer (for {@link Checkout#served}). */
    private volatile boolean delivered;

    Sale(Checkout checkout, VendorState st, Purchase purchase, String path, byte[] requestBody) {
      this.checkout = checkout;
      this.st = st;
      this.purchase = purchase;
      this.path = path;
      this.requestBody = requestBody;
      this.payment = VerifiedPayment.of(purchase);
    }

    /** What was paid: price, customer, properties, scrip ID, variant, payment ID. */
    public VerifiedPayment payment() {
      return payment;
    }

    /** The request body for the application: opened when the payment sealed it (private). */
    public byte[] requestBody() {
      return requestBody.clone();
    }

    /** Spends the scrip (durably, with its change); call once the application answered < 500. */
    public void commit() {
      if (settled.compareAndSet(false, true)) {
        purchase.commit();
      }
    }

    /** Gives the claim up: the scrip stays the customer's. For a failed answer. */
    public void release() {
      if (settled.compareAndSet(false, true)) {
        purchase.release();
      }
    }

    /**
     * After {@link #commit()}: the paid answer for the application's {@code status}, media type,
     * headers ({@code Cache-Control} decides whether the payer may keep it) and {@code body}.
     */
    public Delivery deliver(
        int status, String contentType, Map<String, List<String>> headers, byte[] body) {
      Delivery d =
          checkout.paidAnswers.paid(
              st, purchase, path, new ContentResponse(status, contentType, headers, body));
      delivered = true;
      return d;
    }

    /**
     * After {@link #release()}: the answer for an application that failed ({@code 502
     * origin-failed}, "nothing was charged"; for a replay, "the earlier charge stands").
     */
    public Answer failed(String what) {
      return checkout.failed(ProblemCode.ORIGIN_FAILED, what + charge());
    }

    /**
     * After {@link #release()}: the answer for an application whose answer was larger than {@code
     * maxBytes} ({@code max_answer_bytes}), refused before it was held whole: {@code 502
     * origin-too-large}.
     */
    public Answer tooLarge(long maxBytes) {
      return checkout.failed(
          ProblemCode.ORIGIN_TOO_LARGE, OriginException.TooLarge.detail(maxBytes) + charge());
    }

    /** What a released sale charged, for its refusal's detail. */
    private String charge() {
      return purchase.isReplay() ? "; the earlier charge stands" : "; nothing was charged";
    }

    /**
     * The refusal for a failure of this sale's own steps ({@link #commit()}, {@link #deliver}), as
     * the gateway answers it: e.g. {@code 503 storage-unavailable} when the spend could not be made
     * durable (then the scrip was released and nothing was charged).
     */
    public Answer refused(HttpServletRequest request, RuntimeException e) {
      return checkout.problems.answer(request, e, -1);
    }

    @Override
    public String toString() {
      return "Sale[" + payment.priceMillicents() + " millicents, " + payment.variant() + "]";
    }
  }
}
