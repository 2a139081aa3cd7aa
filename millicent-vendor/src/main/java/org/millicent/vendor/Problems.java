package org.millicent.vendor;

import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import jakarta.servlet.http.HttpServletRequest;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.millicent.failure.Causes;
import org.millicent.failure.PaymentException;
import org.millicent.http.BadRequestException;
import org.millicent.http.ClientFaults;
import org.millicent.http.Html;
import org.millicent.http.HttpRefusal;
import org.millicent.http.ProblemDocument;
import org.millicent.protocol.AuthParams;
import org.millicent.protocol.Headers;
import org.millicent.vendor.content.ContentResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns every failure into an RFC 9457 problem document: the one place where exceptions meet HTTP
 * statuses and stable codes (through {@link ProblemCode}). Payment failures (402) repeat the offer
 * in {@code WWW-Authenticate}. Thread-safe.
 */
final class Problems {
  private static final Logger LOG = LoggerFactory.getLogger(Problems.class);

  /** Media type of problem documents. */
  static final String PROBLEM_JSON = ProblemDocument.MEDIA_TYPE;

  /** A classified failure: its code and a detail without secrets. */
  record Problem(ProblemCode code, String detail) {}

  private final Offer offer;
  private final VendorMetrics metrics;
  private final Paywall paywall;
  private final ClientFaults clientFaults = new ClientFaults(LOG);

  Problems(Offer offer, VendorMetrics metrics, Paywall paywall) {
    this.offer = offer;
    this.metrics = metrics;
    this.paywall = paywall;
  }

  /** The problem for any throwable: the single mapping from failures to codes. */
  static Problem classify(Throwable t) {
    return switch (t) {
      case PaymentException p -> new Problem(ProblemCode.of(p.code()), Causes.describe(p));
      case ProblemException p -> new Problem(p.code(), Causes.describe(p));
      case BadRequestException b -> new Problem(ProblemCode.BAD_REQUEST, Causes.describe(b));
      case VendorKeys.Refused r -> new Problem(r.problem(), Causes.describe(r));
      // Only a storage failure is 503; any other unexpected exception is a bug (500 internal).
      case org.millicent.storage.StorageException s ->
          new Problem(ProblemCode.STORAGE_UNAVAILABLE, s.clientDetail());
      case Throwable c when ClientFaults.isClientFault(c) ->
          new Problem(ProblemCode.BAD_REQUEST, ClientFaults.detail(c));
      // Javalin's own refusals (a body over its size limit ...), as the Jetty error handler words
      // them.
      case HttpResponseException h -> {
        HttpRefusal r = HttpRefusal.forStatus(h.getStatus());
        yield new Problem(ProblemCode.of(r), r.detail(h.getStatus(), h.getMessage()));
      }
      default -> new Problem(ProblemCode.INTERNAL, "internal error");
    };
  }

  /** Writes the problem for {@code t}; {@code offerPrice} >= 0 repeats the offer on a 402. */
  void write(Context ctx, Throwable t, long offerPrice) {
    apply(ctx, answer(ctx.req(), t, offerPrice));
  }

  /** The problem for {@code t} as an answer; {@code offerPrice} >= 0 repeats the offer on a 402. */
  Checkout.Answer answer(HttpServletRequest req, Throwable t, long offerPrice) {
    Problem p = classify(t);
    if (p.code() == ProblemCode.INTERNAL) {
      LOG.error("internal error on {} {}", req.getMethod(), req.getRequestURI(), t);
    } else if (p.code() == ProblemCode.BAD_REQUEST
        && !(t instanceof ProblemException)
        && !(t instanceof BadRequestException)
        && ClientFaults.isClientFault(t)) {
      clientFaults.warn(req.getMethod(), req.getRequestURI(), t);
    }
    return answer(req, p.code(), p.detail(), offerPrice, Map.of());
  }

  /**
   * Writes a problem document with {@code code} and {@code detail}; the offer of a priced resource
   * ({@code payment-required}) is the paywall page instead for a person (see {@link #forPerson}),
   * with the same headers.
   */
  void write(Context ctx, ProblemCode code, String detail, long offerPrice) {
    apply(ctx, answer(ctx.req(), code, detail, offerPrice, Map.of()));
  }

  /**
   * The problem document with {@code code} and {@code detail}, after the headers {@code extra}; the
   * offer of a priced resource ({@code payment-required}) is the paywall page instead for a person
   * (see {@link #forPerson}), with the same headers. {@code req} is null for no request (never a
   * paywall page then).
   */
  Checkout.Answer answer(
      @Nullable HttpServletRequest req,
      ProblemCode code,
      String detail,
      long offerPrice,
      Map<String, String> extra) {
    Map<String, String> headers = new LinkedHashMap<>(extra);
    Map<String, Object> offered = new LinkedHashMap<>();
    if (code.repeatsOffer() && offerPrice >= 0) {
      offer.addTo(offered, offerPrice);
      headers.put(Headers.WWW_AUTHENTICATE, offer.header(offerPrice));
    }
    metrics.rejected(code);
    if (code.retryAfterSeconds() > 0) {
      headers.put("Retry-After", Integer.toString(code.retryAfterSeconds()));
    }
    headers.put("Cache-Control", "no-store");
    if (code.status() == 402) {
      headers.put("Vary", "Accept"); // a browser gets the page, a program the document
    }
    if (code == ProblemCode.PAYMENT_REQUIRED && offerPrice > 0 && req != null && forPerson(req)) {
      return new Checkout.Answer(
          code.status(),
          code.code(),
          headers,
          Html.TYPE,
          paywall.render(req.getMethod(), shownPath(req), offerPrice));
    }
    return new Checkout.Answer(
        code.status(),
        code.code(),
        headers,
        PROBLEM_JSON,
        ProblemDocument.bytes(code.status(), code.code(), code.title(), detail, offered));
  }

  /**
   * The answer to a replay of a non-safe request (docs/HTTP-API.md, "Replays of non-safe methods"):
   * the action is not run again and its first answer is not kept, so the replay gets a {@code 409
   * replayed} problem document, with the receipt of the first sending.
   */
  static ContentResponse replayedAction(String method, String path) {
    ProblemCode code = ProblemCode.REPLAYED;
    String detail =
        method
            + " "
            + path
            + " was done and charged once for this payment; it is not run again, and its first"
            + " answer is not kept. The receipt is the first one.";
    return new ContentResponse(
        code.status(),
        ProblemDocument.MEDIA_TYPE,
        Map.of(),
        ProblemDocument.bytes(code.status(), code.code(), code.title(), detail, Map.of()));
  }

  /** Sends {@code a} on {@code ctx}. */
  private static void apply(Context ctx, Checkout.Answer a) {
    ctx.status(a.status());
    a.headers().forEach(ctx::header);
    ctx.contentType(a.contentType());
    ctx.result(a.body());
  }

  /**
   * Whether the answer is for a person: the request prefers HTML (a browser) and carries no
   * Millicent payment. A paid request always gets the problem document, whatever its Accept: the
   * wallet that sent it (the proxy forwards a browser's Accept) acts on its code ({@code spent} on
   * a re-send starts a recovery, {@code forged} voids the scrip), so it must be able to read it.
   */
  private static boolean forPerson(HttpServletRequest req) {
    String auth = req.getHeader("Authorization");
    return (auth == null || !AuthParams.isMillicent(auth))
        && Html.prefersHtml(req.getHeader("Accept"));
  }

  /** The request's canonical path, or its path as sent when it has none (shown escaped). */
  private static String shownPath(HttpServletRequest req) {
    try {
      return RequestTarget.of(req).path();
    } catch (RuntimeException e) {
      return req.getRequestURI();
    }
  }
}
