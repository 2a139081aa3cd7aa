package org.millicent.broker.http;

import static org.millicent.broker.http.Views.json;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.millicent.broker.Broker;
import org.millicent.broker.Supply;
import org.millicent.broker.VendorConfig;
import org.millicent.http.Html;
import org.millicent.http.OpenApiDocument;
import org.millicent.http.RouteMethods;

/**
 * What anyone may read (docs/HTTP-API.md, "Broker"): the home page, the manifest at {@code
 * /.well-known/millicent}, {@code /health}, {@code /metrics} and the OpenAPI description at {@code
 * /.well-known/openapi.yaml}. Thread-safe.
 */
final class PublicRoutes {
  private final Broker broker;
  private final PrometheusMeterRegistry meters;

  PublicRoutes(Broker broker, PrometheusMeterRegistry meters) {
    this.broker = broker;
    this.meters = meters;
  }

  void register(RouteMethods routes, RoutesConfig r) {
    routes.get(r, "/", this::home);
    routes.get(r, "/.well-known/millicent", this::wellKnown);
    routes.get(r, "/health", this::health);
    routes.get(r, "/metrics", this::metrics);
    OpenApiDocument.addRoute(routes, r, PublicRoutes.class, "openapi/broker.yaml");
  }

  /**
   * {@code GET /}: the home page for people when the request prefers HTML (a browser), else the
   * manifest, as at {@code /.well-known/millicent}.
   */
  private void home(Context ctx) {
    ctx.header("Vary", "Accept");
    if (!Html.prefersHtml(ctx.header("Accept"))) {
      wellKnown(ctx);
      return;
    }
    String self =
        broker
            .config()
            .publicUrl()
            .map(URI::toString)
            .orElseGet(() -> ctx.scheme() + "://" + ctx.host());
    ctx.status(200)
        .contentType(Html.TYPE)
        .result(HomePage.render(broker.id(), self, broker.config(), broker.vendors()));
  }

  private void wellKnown(Context ctx) {
    List<Map<String, Object>> vendors = new ArrayList<>();
    for (VendorConfig v : broker.vendors()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("vendor", v.vendor());
      m.put("url", v.url().toString());
      m.put("public_urls", v.origins().stream().map(URI::toString).toList());
      m.put("supply", v.supply().wireName());
      m.put("discount_bps", v.discountBps());
      if (v.supply() == Supply.WAREHOUSE) {
        m.put("piece_millicents", v.lotValueMillicents());
      }
      vendors.add(m);
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("broker", broker.id());
    out.put("currency", broker.config().currency());
    out.put("variants", List.of("signed"));
    out.put("vendors", vendors);
    out.put("register", "/broker/accounts");
    out.put("exchange", SaleRoutes.EXCHANGE_PATH);
    out.put("statement_period", broker.config().statementPeriod().wireName());
    json(ctx, 200, out);
  }

  private void health(Context ctx) {
    Map<String, Object> out = new LinkedHashMap<>();
    boolean db;
    try {
      db = broker.books().databaseReachable();
    } catch (RuntimeException e) {
      db = false;
    }
    boolean up = db && broker.healthy();
    out.put("status", up ? "up" : "down");
    out.put("broker", broker.id());
    out.put("database", db ? "up" : "down");
    out.put("books", broker.healthy() ? "up" : "failed: " + broker.books().lastFailure());
    json(ctx, up ? 200 : 503, out);
  }

  private void metrics(Context ctx) {
    ctx.contentType("text/plain; version=0.0.4; charset=utf-8");
    ctx.result(meters.scrape());
  }
}
