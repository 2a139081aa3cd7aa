package org.millicent.broker.http;

import static org.millicent.broker.http.Views.json;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.millicent.broker.Broker;
import org.millicent.broker.VendorConfig;
import org.millicent.broker.books.BookTotals;
import org.millicent.broker.dashboard.BrokerDashboard;
import org.millicent.broker.supply.Licence;
import org.millicent.http.DashboardAssets;
import org.millicent.http.RouteMethods;

/**
 * The operator's endpoints under {@code /broker/admin/} (docs/BROKER.md): vendors, licences,
 * settlement pulls, statements, the books and the dashboard page (whose script, styles and chart
 * library, under {@link DashboardHtml#ASSETS}, are free). Each needs the admin token over TLS or
 * loopback. Thread-safe.
 */
final class AdminRoutes {
  private final Broker broker;
  private final Guard guard;

  AdminRoutes(Broker broker, Guard guard) {
    this.broker = broker;
    this.guard = guard;
  }

  void register(RouteMethods routes, RoutesConfig r) {
    routes.get(r, "/broker/admin/vendors", this::vendors);
    routes.get(r, "/broker/admin/licences", this::licences);
    routes.post(r, "/broker/admin/licences", this::importLicence);
    routes.post(r, "/broker/admin/settlements/{vendor}", this::settle);
    routes.get(r, "/broker/admin/statements/customers/{id}", this::customerStatement);
    routes.get(r, "/broker/admin/statements/vendors/{vendor}", this::vendorStatement);
    routes.post(r, "/broker/admin/statements/close", this::closeStatements);
    routes.get(r, "/broker/admin/books", this::books);
    routes.get(r, "/broker/admin/dashboard", this::dashboard);
    DashboardAssets.addRoutes(routes, r, DashboardHtml.ASSETS);
  }

  private void vendors(Context ctx) {
    guard.requireAdmin(ctx);
    List<Map<String, Object>> out = new ArrayList<>();
    var licences = broker.licences();
    for (VendorConfig v : broker.vendors()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("vendor", v.vendor());
      m.put("url", v.url().toString());
      m.put("public_urls", v.origins().stream().map(URI::toString).toList());
      m.put("supply", v.supply().wireName());
      m.put("discount_bps", v.discountBps());
      Optional<Licence> l = licences.getOrDefault(v.vendor(), Optional.empty());
      l.ifPresent(x -> m.put("licence_id", x.licenceId()));
      m.put("statement", Views.vendorStatement(broker.vendorStatement(v.vendor(), null)));
      out.add(m);
    }
    json(ctx, 200, Map.of("vendors", out));
  }

  private void licences(Context ctx) {
    guard.requireAdmin(ctx);
    List<Map<String, Object>> out = new ArrayList<>();
    broker
        .licences()
        .forEach(
            (v, l) -> {
              Map<String, Object> m = new LinkedHashMap<>();
              m.put("vendor", v);
              l.ifPresentOrElse(
                  x -> {
                    m.put("licence_id", x.licenceId());
                    m.put("key_ids", List.copyOf(x.keys().keySet()));
                    m.put("customer_selector", x.customerSelector());
                    m.put("discount_bps", x.discountBps());
                    m.put("scrip_lifetime_seconds", x.scripLifetimeSeconds());
                  },
                  () -> m.put("licence_id", null));
              out.add(m);
            });
    json(ctx, 200, Map.of("licences", out));
  }

  private void importLicence(Context ctx) {
    guard.requireAdmin(ctx);
    Licence l = broker.installLicence(Licence.fromJson(Body.parse(ctx.bodyAsBytes()).root()));
    json(ctx, 200, Map.of("licence_id", l.licenceId(), "vendor", l.vendor()));
  }

  private void settle(Context ctx) {
    guard.requireAdmin(ctx);
    json(ctx, 200, Views.settlement(broker.pullSettlement(ctx.pathParam("vendor"))));
  }

  private void customerStatement(Context ctx) {
    guard.requireAdmin(ctx);
    json(
        ctx,
        200,
        Views.statement(broker.statement(AccountRoutes.customerId(ctx), ctx.queryParam("period"))));
  }

  private void vendorStatement(Context ctx) {
    guard.requireAdmin(ctx);
    json(
        ctx,
        200,
        Views.vendorStatement(
            broker.vendorStatement(ctx.pathParam("vendor"), ctx.queryParam("period"))));
  }

  private void closeStatements(Context ctx) {
    guard.requireAdmin(ctx);
    List<Map<String, Object>> out = new ArrayList<>();
    for (var c : broker.closeStatements(broker.books().clock().instant())) {
      out.add(
          Map.of(
              "customer_id", Long.toUnsignedString(c.customerId()),
              "period", c.period(),
              "charged_millicents", c.chargedMillicents(),
              "collected_millicents", c.collectedMillicents()));
    }
    json(ctx, 200, Map.of("closed", out));
  }

  private void books(Context ctx) {
    guard.requireAdmin(ctx);
    BookTotals t = broker.totals();
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("money_in_millicents", t.moneyInMillicents());
    out.put("outstanding_millicents", t.outstandingMillicents());
    out.put("redeemed_millicents", t.redeemedMillicents());
    out.put("breakage_millicents", t.breakageMillicents());
    out.put("breakage_by_period", broker.breakageByPeriod());
    out.put("conserved", t.conserved());
    out.put("balances", broker.books().balances());
    json(ctx, 200, out);
  }

  /** The dashboard page for people: HTML whose numbers read without script. */
  private void dashboard(Context ctx) {
    guard.requireAdmin(ctx);
    DashboardAssets.pageHeaders(ctx);
    ctx.status(200).result(DashboardHtml.render(broker.id(), BrokerDashboard.read(broker)));
  }
}
