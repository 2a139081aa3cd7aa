package org.millicent.vendor;

import io.javalin.http.Context;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.millicent.failure.Causes;
import org.millicent.money.Amounts;
import org.millicent.protocol.AuthParams;
import org.millicent.protocol.Payment;
import org.millicent.purchase.Purchase;
import org.millicent.purchase.PurchaseService;
import org.millicent.vendor.VendorMetrics.Kind;
import org.millicent.vendor.content.ContentRequest;
import org.millicent.vendor.content.ContentResponse;
import org.millicent.vendor.content.ContentSource;
import org.millicent.vendor.content.OriginException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The content behind the gateway (docs/HTTP-API.md, "Vendor gateway"): free content served as it
 * is, priced content offered with a 402 and sold on payment, with change and receipt.
 *
 * <p>Charge only on delivery: a payment is claimed, the content fetched, and the spend committed
 * only when the answer is not a server failure; otherwise it is released and the client gets 502
 * {@code origin-failed} with its scrip intact. A replay of a committed request gets the change
 * issued the first time.
 *
 * <p>Thread-safe: all state is in the thread-safe services.
 */
final class ContentSales {
  private static final Logger LOG = LoggerFactory.getLogger(ContentSales.class);

  private final VendorGateway gateway;
  private final Checkout checkout;
  private final Catalogue catalogue;
  private final ContentSource content;
  private final boolean forwardHeaders;
  private final Supplier<VendorState> state;
  private final Problems problems;
  private final VendorMetrics metrics;

  ContentSales(
      VendorGateway gateway,
      Checkout checkout,
      Catalogue catalogue,
      ContentSource content,
      boolean forwardHeaders,
      Supplier<VendorState> state,
      Problems problems,
      VendorMetrics metrics) {
    this.gateway = gateway;
    this.checkout = checkout;
    this.catalogue = catalogue;
    this.content = content;
    this.forwardHeaders = forwardHeaders;
    this.state = state;
    this.problems = problems;
    this.metrics = metrics;
  }

  /** Serves, offers or sells the content at the request's target. */
  void content(Context ctx) {
    long t0 = System.nanoTime();
    Kind kind = Kind.REJECTED;
    long offer = -1;
    try {
      String method = ctx.req().getMethod();
      // Priced, served and forwarded: one canonical target (docs/HTTP-API.md, "Request targets").
      RequestTarget canonical = RequestTarget.of(ctx.req());
      String path = canonical.path();
      Catalogue.Entry entry = catalogue.match(method, path);
      if (entry == null || !content.mayExist(path)) {
        throw gateway.notOffered(ctx, method, path);
      }
      if (entry.free()) {
        deliverFree(ctx, method, canonical);
        kind = Kind.FREE;
        return;
      }
      offer = entry.basePriceMillicents();
      String auth = ctx.header("Authorization");
      if (auth == null || !AuthParams.isMillicent(auth)) {
        problems.write(
            ctx,
            ProblemCode.PAYMENT_REQUIRED,
            method + " " + path + " costs " + Amounts.format(offer),
            offer);
        return;
      }
      if ("HEAD".equals(method)) {
        ctx.header("Allow", entry.paidMethods());
        throw new ProblemException(
            ProblemCode.HEAD_NOT_PAYABLE,
            "HEAD delivers no content, so it is never charged; pay with the GET (scrip unused)");
      }
      sell(ctx, entry, method, canonical, auth);
      kind = Kind.PAID;
    } catch (RuntimeException e) {
      problems.write(ctx, e, offer);
    } finally {
      metrics.request(kind, System.nanoTime() - t0);
    }
  }

  private void deliverFree(Context ctx, String method, RequestTarget canonical) {
    ContentResponse r;
    try {
      r = content.fetch(request(ctx, method, canonical, RequestBodies.of(ctx)));
    } catch (OriginException e) {
      throw originProblem(e, method, canonical.path(), "");
    }
    requireLocalFound(r, canonical.path());
    ctx.status(r.status());
    copyHeaders(ctx, r);
    if (r.contentType() != null) {
      ctx.contentType(r.contentType());
    }
    ctx.result(r.body());
  }

  private void sell(
      Context ctx, Catalogue.Entry entry, String method, RequestTarget canonical, String auth) {
    byte[] body = RequestBodies.of(ctx);
    // The MAC covers the target as sent; the canonical target is a function of it.
    Payment payment = checkout.payment(ctx.req(), method, auth, body);
    VendorState st = state.get();
    PurchaseService purchases = st.purchases;
    if (content.isLocal() && !(payment instanceof Payment.Private && body.length > 0)) {
      sellLocal(ctx, st, entry, payment, request(ctx, method, canonical, body));
      return;
    }
    Purchase p = Checkout.claim(st, payment, entry);
    if (p.isReplay() && !Checkout.SAFE_METHODS.contains(method)) {
      // The origin ran this action for the first sending; running it again would do it twice.
      writePaid(ctx, st, p, canonical.path(), Problems.replayedAction(method, canonical.path()));
      return;
    }
    ContentResponse r;
    try {
      ContentRequest forward = request(ctx, method, canonical, body);
      if (payment instanceof Payment.Private pp && body.length > 0) {
        forward = forward.withOpenedBody(purchases.openRequestBody(pp, body));
      }
      forward = gateway.paidHeaders.add(forward, p);
      r = content.fetch(forward);
      if (r.status() >= 500) {
        throw new ProblemException(
            ProblemCode.ORIGIN_FAILED,
            "the origin answered "
                + r.status()
                + (p.isReplay() ? "; the earlier charge stands" : "; nothing was charged"));
      }
      p.commit();
    } catch (OriginException e) {
      p.release();
      throw originProblem(
          e,
          method,
          canonical.path(),
          p.isReplay() ? "; the earlier charge stands" : "; nothing was charged");
    } catch (RuntimeException | Error e) {
      p.release(); // an Error too: a claim left held would keep the customer's scrip until restart
      throw e;
    }
    writePaid(ctx, st, p, canonical.path(), r);
  }

  /**
   * Local content: fetched first (reading it has no effect, and a failure charges nothing), then
   * the payment is validated and spent in one step with its change, so a purchase is one durable
   * write.
   */
  private void sellLocal(
      Context ctx, VendorState st, Catalogue.Entry entry, Payment payment, ContentRequest request) {
    ContentResponse r;
    try {
      r = content.fetch(request);
    } catch (OriginException e) {
      throw originProblem(e, request.method(), request.path(), "; nothing was charged");
    }
    if (r.status() >= 500) {
      throw new ProblemException(
          ProblemCode.ORIGIN_FAILED,
          "the content answered " + r.status() + "; nothing was charged");
    }
    requireLocalFound(r, request.path());
    Purchase p =
        VendorGateway.knowingNewLicences(st, () -> st.purchases.pay(payment, entry.pricer()));
    writePaid(ctx, st, p, request.path(), r);
  }

  /**
   * The refusal of content that could not be fetched: {@code 502 origin-too-large} for an answer
   * over {@code max_answer_bytes} (logged with the path, which the operator may need to free or the
   * limit to raise), else {@code 502 origin-failed}; {@code charge} says what was charged.
   */
  private static ProblemException originProblem(
      OriginException e, String method, String path, String charge) {
    if (e instanceof OriginException.TooLarge) {
      LOG.warn("{} {}: {}; refused 502 origin-too-large{}", method, path, e.getMessage(), charge);
      return new ProblemException(ProblemCode.ORIGIN_TOO_LARGE, e.getMessage() + charge, e);
    }
    String detail = charge.isEmpty() ? Causes.describe(e) : e.getMessage() + charge;
    return new ProblemException(ProblemCode.ORIGIN_FAILED, detail, e);
  }

  /**
   * Refuses a local source's "not found" (a file removed since {@link ContentSource#mayExist} said
   * yes) as the gateway's own {@code not-found} document, uncharged, instead of the source's text;
   * an origin's answers are its own and pass as they are.
   */
  private void requireLocalFound(ContentResponse r, String path) {
    if (content.isLocal() && r.status() == 404) {
      throw new ProblemException(ProblemCode.NOT_FOUND, "nothing is offered at " + path);
    }
  }

  private void writePaid(Context ctx, VendorState st, Purchase p, String path, ContentResponse r) {
    Checkout.Delivery paid = checkout.paidAnswers.paid(st, p, path, r);
    ctx.status(paid.status());
    copyHeaders(ctx, r);
    paid.headers().forEach(ctx::header);
    if (paid.contentType() != null) {
      ctx.contentType(paid.contentType());
    }
    ctx.result(paid.body());
  }

  /** Copies the origin's headers, except its CORS ones: the gateway's own apply to its answers. */
  private static void copyHeaders(Context ctx, ContentResponse r) {
    r.headers()
        .forEach(
            (name, values) -> {
              if (!name.regionMatches(true, 0, "Access-Control-", 0, 15)) {
                values.forEach(v -> ctx.res().addHeader(name, v));
              }
            });
  }

  private ContentRequest request(Context ctx, String method, RequestTarget canonical, byte[] body) {
    Map<String, List<String>> headers = Map.of();
    if (forwardHeaders) {
      headers = new LinkedHashMap<>();
      for (String name : Collections.list(ctx.req().getHeaderNames())) {
        headers.put(name, Collections.list(ctx.req().getHeaders(name)));
      }
    }
    return new ContentRequest(
        method,
        canonical.forward(),
        canonical.path(),
        headers,
        body,
        forwardHeaders ? ctx.req().getRemoteAddr() : null);
  }
}
