package org.millicent.broker.http;

import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.http.NotFoundResponse;
import io.micrometer.core.instrument.Counter;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.millicent.broker.BrokerError;
import org.millicent.broker.BrokerException;
import org.millicent.failure.Causes;
import org.millicent.failure.FailureCode;
import org.millicent.failure.PaymentException;
import org.millicent.http.BadRequestException;
import org.millicent.http.ClientFaults;
import org.millicent.http.Cors;
import org.millicent.http.HttpRefusal;
import org.millicent.http.PaymentFailures;
import org.millicent.http.ProblemDocument;
import org.millicent.http.RouteMethods;
import org.millicent.storage.StorageException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The broker's one mapping from failures to HTTP (docs/HTTP-API.md): a {@link BrokerError} gets its
 * status here, a payment failure the status and title both servers give it ({@link
 * PaymentFailures}), a storage failure {@code 503} with its storage code and {@link
 * StorageException#clientDetail()} only, a request the client broke {@code 400 bad-request}, a
 * refusal of Javalin's own its {@link HttpRefusal}, and anything else (a bug) {@code 500 internal}
 * without a stack trace. Every failure answered is counted by code. Thread-safe.
 */
final class Problems {
  private static final Logger log = LoggerFactory.getLogger(BrokerRoutes.class);

  /** The status of a storage failure, whatever its code. */
  private static final int STORAGE_STATUS = 503;

  private final SaleRoutes sales;
  private final RouteMethods routes;
  private final PrometheusMeterRegistry meters;
  private final Map<String, Counter> failures = new ConcurrentHashMap<>();
  private final ClientFaults clientFaults = new ClientFaults(log);

  /** Failures on {@code routes}, counted in {@code meters}; a refused sale repeats its offer. */
  Problems(SaleRoutes sales, RouteMethods routes, PrometheusMeterRegistry meters) {
    this.sales = sales;
    this.routes = routes;
    this.meters = meters;
  }

  /** The HTTP status each broker failure is answered with. */
  static int status(BrokerError e) {
    return switch (e) {
      case BAD_REQUEST, BAD_AMOUNT -> 400;
      case UNAUTHORIZED -> 401;
      case CREDIT_LIMIT, PAYMENT_REQUIRED -> 402;
      case INSECURE_CHANNEL -> 403;
      case NOT_FOUND, UNKNOWN_VENDOR -> 404;
      case VENDOR_EXISTS, LICENCE_CONFLICT, JOIN_LIMIT, ALREADY_SETTLED -> 409;
      case UNKNOWN_AUTHORITY -> 421;
      case NOT_ISSUED -> 422;
      case VENDOR_UNAVAILABLE -> 502;
      case NO_LICENCE, STORAGE_UNAVAILABLE -> STORAGE_STATUS;
    };
  }

  /** Answers {@code e} with {@code detail} (not counted: an offer, not a refusal). */
  static void write(Context ctx, BrokerError e, String detail, Map<String, ?> more) {
    ProblemDocument.write(ctx, status(e), e.code(), e.title(), detail, more);
  }

  /** Answers any exception a route threw; see the class comment. */
  void fail(Exception e, Context ctx) {
    switch (e) {
      case BrokerException be -> {
        count(be.code().code());
        write(ctx, be.code(), Causes.describe(be), Map.of());
      }
      case BadRequestException bad -> {
        count(bad.code().code());
        write(ctx, BrokerError.BAD_REQUEST, Causes.describe(bad), Map.of());
      }
      case PaymentException pe -> {
        FailureCode code = pe.code();
        count(code.code());
        int status = PaymentFailures.status(code);
        if (status == 402 && ctx.attribute(SaleRoutes.OFFER) instanceof Long amount) {
          sales.offer(ctx, amount);
        }
        if (code == FailureCode.IN_PROGRESS) {
          // As the vendor: the identical request is worth sending again shortly (HTTP-API.md).
          ctx.header("Retry-After", Integer.toString(PaymentFailures.IN_PROGRESS_RETRY_SECONDS));
        }
        ProblemDocument.write(
            ctx, status, code.code(), PaymentFailures.title(code), Causes.describe(pe), Map.of());
      }
      case StorageException se -> {
        // The message names the file or server and the driver's text: the log's, not the client's.
        log.warn("broker: {} {} failed: {}", ctx.method(), ctx.path(), se.getMessage());
        count(se.code().code());
        ProblemDocument.write(
            ctx,
            STORAGE_STATUS,
            se.code().code(),
            BrokerError.STORAGE_UNAVAILABLE.title(),
            se.clientDetail(),
            Map.of());
      }
      case Exception c when ClientFaults.isClientFault(c) -> {
        clientFaults.warn(ctx.method().name(), ctx.path(), c);
        count(BrokerError.BAD_REQUEST.code());
        write(ctx, BrokerError.BAD_REQUEST, ClientFaults.detail(c), Map.of());
      }
      default -> {
        log.error("broker: {} {} failed", ctx.method(), ctx.path(), e);
        HttpRefusal internal = HttpRefusal.INTERNAL;
        count(internal.code());
        ProblemDocument.write(
            ctx,
            internal.status(),
            internal.code(),
            internal.title(),
            "the broker failed unexpectedly",
            Map.of());
      }
    }
  }

  /**
   * Answers a refusal of Javalin's own: a request no route takes is {@code 405 method-not-allowed}
   * with {@code Allow} when routes serve its path with other methods, else {@code 404 not-found}; a
   * body over Javalin's size limit is {@code 413 content-too-large}. A CORS preflight at a customer
   * endpoint is answered {@code 204}.
   */
  void refuse(HttpResponseException e, Context ctx) {
    HttpRefusal refusal = HttpRefusal.forStatus(e.getStatus());
    int status = HttpRefusal.answeredStatus(e.getStatus());
    String detail = refusal.detail(e.getStatus(), e.getMessage());
    if (e instanceof NotFoundResponse
        && Cors.isPreflight(ctx.req())
        && BrokerRoutes.isCorsPath(ctx.req().getRequestURI())) {
      Cors.preflight(ctx.res(), Cors.ALLOW_METHODS, Cors.EXPOSE_HEADERS);
      ctx.status(204);
      return;
    }
    if (e instanceof NotFoundResponse) {
      Set<String> allowed = routes.allowed(ctx.req().getRequestURI());
      String target = ctx.req().getMethod() + " " + ctx.req().getRequestURI();
      if (allowed.isEmpty()) {
        refusal = HttpRefusal.NOT_FOUND;
        detail = "the broker serves nothing at " + target;
      } else {
        refusal = HttpRefusal.METHOD_NOT_ALLOWED;
        String allow = RouteMethods.allowHeader(allowed);
        ctx.header("Allow", allow);
        detail = "the broker does not answer " + target + "; it answers " + allow + " there";
      }
      status = refusal.status();
    }
    count(refusal.code());
    ProblemDocument.write(ctx, status, refusal.code(), refusal.title(), detail, Map.of());
  }

  private void count(String code) {
    failures
        .computeIfAbsent(
            code,
            c ->
                Counter.builder("millicent_broker_http_failures_total")
                    .tag("code", c)
                    .register(meters))
        .increment();
  }
}
