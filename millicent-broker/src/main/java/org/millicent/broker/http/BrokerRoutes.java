package org.millicent.broker.http;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.regex.Pattern;
import org.millicent.broker.Broker;
import org.millicent.broker.BrokerError;
import org.millicent.broker.BrokerException;
import org.millicent.http.ClientFaults;
import org.millicent.http.Cors;
import org.millicent.http.RouteMethods;

/**
 * The broker's HTTP endpoints (docs/HTTP-API.md, "Broker"; admin endpoints in docs/BROKER.md), one
 * class per concept: {@link PublicRoutes} (home, manifest, health, metrics), {@link AccountRoutes},
 * {@link SaleRoutes} (scrip and the exchange), {@link VendorRoutes} (join and settlement) and
 * {@link AdminRoutes}. Handlers are thin: parse, authenticate, call {@link Broker}, write JSON;
 * failures map to problem documents in one place, {@link Problems}. Thread-safe.
 */
public final class BrokerRoutes {
  /**
   * The customer endpoints a page on another origin may call (docs/HTTP-API.md, "Browsers and
   * CORS"): the manifest, registration, the account and its statement, buying scrip and the
   * exchange. Never the admin, settlement or join endpoints.
   */
  private static final Pattern CORS_PATHS =
      Pattern.compile(
          "/(\\.well-known/millicent|broker/accounts(/[^/]+(/statement)?)?|broker/scrip"
              + "|broker/vendor-scrip|millicent/exchange)/?");

  private final RouteMethods routes = new RouteMethods();
  private final PublicRoutes publicRoutes;
  private final AccountRoutes accounts;
  private final SaleRoutes sales;
  private final VendorRoutes vendors;
  private final AdminRoutes admin;
  private final Problems problems;

  /**
   * Routes for {@code broker}, guarded by {@code adminToken}, exposing {@code meters}; vendors join
   * with {@code joinToken}.
   */
  public BrokerRoutes(
      Broker broker, String adminToken, String joinToken, PrometheusMeterRegistry meters) {
    Origins origins = new Origins(broker.config());
    Guard guard = new Guard(adminToken);
    this.publicRoutes = new PublicRoutes(broker, meters);
    this.accounts = new AccountRoutes(broker, origins, guard);
    this.sales = new SaleRoutes(broker, origins);
    this.vendors = new VendorRoutes(broker, joinToken);
    this.admin = new AdminRoutes(broker, guard);
    this.problems = new Problems(sales, routes, meters);
  }

  /** Adds every route and the failure mapping to {@code config}. */
  public void register(JavalinConfig config) {
    var r = config.routes;
    // First, so that every refusal on these paths can be read by a page too.
    r.before(
        ctx -> {
          if (isCorsPath(ctx.req().getRequestURI())) {
            Cors.allow(ctx.res(), Cors.EXPOSE_HEADERS);
          }
        });
    r.before(BrokerRoutes::wellFormed);
    publicRoutes.register(routes, r);
    accounts.register(routes, r);
    sales.register(routes, r);
    vendors.register(routes, r);
    admin.register(routes, r);
    // Javalin answers its own refusals (no route, a body over its size limit) in text otherwise.
    r.exception(HttpResponseException.class, problems::refuse);
    r.exception(Exception.class, problems::fail);
  }

  /**
   * Refuses, before routing, a request with more than one Authorization header, a Millicent
   * Authorization over 16 384 characters ({@code malformed}) or a malformed percent-escape in its
   * target (see ClientFaults).
   */
  private static void wellFormed(Context ctx) {
    ClientFaults.checkAuthorizationLength(ctx.req());
    if (ClientFaults.repeatsAuthorization(ctx.req())) {
      throw new BrokerException(
          BrokerError.BAD_REQUEST, "a request may carry only one Authorization header");
    }
    if (ClientFaults.hasMalformedEscape(ctx.req().getRequestURI())
        || ClientFaults.hasMalformedEscape(ctx.queryString())) {
      throw new BrokerException(
          BrokerError.BAD_REQUEST, "the request target has a % not followed by two hex digits");
    }
  }

  /** Whether responses at {@code rawPath} (as sent) carry CORS headers. */
  static boolean isCorsPath(String rawPath) {
    return CORS_PATHS.matcher(rawPath).matches();
  }
}
