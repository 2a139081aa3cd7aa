package org.millicent.vendor;

import static org.millicent.vendor.JsonApi.requireLong;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.millicent.http.DashboardAssets;
import org.millicent.http.RouteMethods;
import org.millicent.vendor.config.VendorConfig;

/**
 * The endpoints of the vendor's operator (docs/HTTP-API.md, "Admin endpoints"): licences issued to
 * brokers (issue, list, revoke), the vendor's master keys (list, rotate, retire) and the dashboard
 * page (whose script, styles and chart library, under {@link VendorDashboardPage#ASSETS}, are
 * free). Every one needs the admin bearer token over TLS or loopback. Thread-safe.
 */
final class AdminEndpoints {
  private final VendorConfig config;
  private final VendorState state;
  private final String adminToken;
  private final JsonApi api;
  private final VendorKeys keys;
  private final VendorActivity activity;

  AdminEndpoints(
      VendorConfig config,
      VendorState state,
      String adminToken,
      JsonApi api,
      SecureRandom random,
      VendorActivity activity) {
    this.config = config;
    this.state = state;
    this.adminToken = adminToken;
    this.api = api;
    this.keys = VendorKeys.of(config, state, random);
    this.activity = activity;
  }

  /**
   * The routes, each taking its handler through {@code self} (resolved per request), added through
   * {@code fixed} (which also routes HEAD for each GET, so that a HEAD runs the token check).
   */
  static void addRoutes(
      RouteMethods fixed, RoutesConfig routes, JsonApi api, Supplier<AdminEndpoints> self) {
    fixed.get(routes, "/millicent/admin/licences", api.handler(c -> self.get().listLicences(c)));
    fixed.post(routes, "/millicent/admin/licences", api.handler(c -> self.get().issue(c)));
    fixed.delete(routes, "/millicent/admin/licences/{id}", api.handler(c -> self.get().revoke(c)));
    fixed.get(routes, "/millicent/admin/keys", api.handler(c -> self.get().listKeys(c)));
    fixed.post(routes, "/millicent/admin/keys/rotate", api.handler(c -> self.get().rotate(c)));
    fixed.post(routes, "/millicent/admin/keys/{id}/retire", api.handler(c -> self.get().retire(c)));
    fixed.get(routes, "/millicent/admin/dashboard", api.page(c -> self.get().dashboard(c)));
    DashboardAssets.addRoutes(fixed, routes, VendorDashboardPage.ASSETS);
  }

  private void admin(Context ctx) {
    if (!Access.sameToken(adminToken, Access.bearer(ctx))) {
      throw new ProblemException(
          ProblemCode.UNAUTHORIZED, "the bearer token is not the admin token");
    }
  }

  // -------------------------------------------------------------- licences

  private Object issue(Context ctx) {
    admin(ctx);
    JsonNode body = api.body(ctx);
    JsonNode broker = body.get("broker");
    if (broker == null || !broker.isTextual()) {
      throw new ProblemException(
          ProblemCode.BAD_REQUEST, "\"broker\" must name a configured broker");
    }
    int count =
        body.has("key_ids") ? (int) requireLong(body, "key_ids", 1, Licences.MAX_KEY_IDS) : 1;
    Integer discount =
        body.has("discount_bps") ? (int) requireLong(body, "discount_bps", 0, 10_000) : null;
    IssuedLicence issued = state.licences.issue(broker.asText(), count, discount);
    return issued.toJson(config.vendor(), config.scripLifetime());
  }

  private Object revoke(Context ctx) {
    admin(ctx);
    var l = state.licences.revoke(ctx.pathParam("id"));
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("licence_id", l.licenceId());
    out.put("broker", l.broker());
    out.put("revoked", true);
    out.put("key_ids", l.keyIds());
    return out;
  }

  private Object listLicences(Context ctx) {
    admin(ctx);
    List<Map<String, Object>> out = new ArrayList<>();
    for (var l : state.licences.list()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("licence_id", l.licenceId());
      m.put("broker", l.broker());
      m.put("key_ids", l.keyIds());
      m.put("customer_selector", l.customerSelector());
      m.put("discount_bps", l.discountBps());
      m.put("revoked", l.revoked());
      out.add(m);
    }
    return Map.of("licences", out);
  }

  // ------------------------------------------------------------------ keys

  private Object listKeys(Context ctx) {
    admin(ctx);
    return Map.of("keys", keys.list().stream().map(VendorKeys.Key::toMap).toList());
  }

  private Object rotate(Context ctx) {
    admin(ctx);
    VendorKeys.Rotation r = keys.rotate();
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("primary", r.primary().toMap());
    out.put("previous", r.previous().toMap());
    return out;
  }

  private Object retire(Context ctx) {
    admin(ctx);
    int keyId;
    try {
      keyId = Integer.parseInt(ctx.pathParam("id"));
    } catch (NumberFormatException e) {
      throw new ProblemException(
          ProblemCode.BAD_REQUEST, "a key id is a number 0..255, found " + ctx.pathParam("id"));
    }
    boolean force = false;
    if (ctx.bodyAsBytes().length > 0) {
      JsonNode f = api.body(ctx).get("force");
      if (f != null && !f.isBoolean()) {
        throw new ProblemException(
            ProblemCode.BAD_REQUEST, "\"force\" must be true or false, found " + f);
      }
      force = f != null && f.asBoolean();
    }
    return keys.retire(keyId, force).toMap();
  }

  // ------------------------------------------------------------- dashboard

  /** The dashboard page for people: HTML whose numbers read without script. */
  private void dashboard(Context ctx) {
    admin(ctx);
    byte[] page =
        VendorDashboardPage.render(config.vendor(), VendorDashboard.read(state, keys, activity));
    DashboardAssets.pageHeaders(ctx);
    ctx.status(200).result(page);
  }
}
