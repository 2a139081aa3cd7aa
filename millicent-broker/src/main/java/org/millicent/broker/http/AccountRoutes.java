package org.millicent.broker.http;

import static org.millicent.broker.http.Views.json;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.Map;
import org.millicent.broker.Broker;
import org.millicent.broker.BrokerError;
import org.millicent.broker.BrokerException;
import org.millicent.broker.accounts.AccountView;
import org.millicent.broker.accounts.Registration;
import org.millicent.bytes.Base64Url;
import org.millicent.http.RouteMethods;

/**
 * Customer accounts (docs/HTTP-API.md, "Broker"): registration, the account and its statement (each
 * readable by its owner's account request only), and the admin's top-up. Thread-safe.
 */
final class AccountRoutes {
  private final Broker broker;
  private final Origins origins;
  private final Guard guard;

  AccountRoutes(Broker broker, Origins origins, Guard guard) {
    this.broker = broker;
    this.origins = origins;
    this.guard = guard;
  }

  void register(RouteMethods routes, RoutesConfig r) {
    routes.post(r, "/broker/accounts", this::register);
    routes.post(r, "/broker/accounts/{id}/topup", this::topUp);
    routes.get(r, "/broker/accounts/{id}", this::account);
    routes.get(r, "/broker/accounts/{id}/statement", this::statement);
  }

  private void register(Context ctx) {
    Guard.requireSecureChannel(ctx);
    Body b = Body.parse(ctx.bodyAsBytes());
    Registration r = broker.register(b.text("name"));
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("customer_id", r.customer().idText());
    out.put("customer_secret", Base64Url.encode(r.secret().toByteArray()));
    out.put("broker", broker.id());
    out.put("provider", r.customer().provider());
    out.put("credit_limit_millicents", r.customer().creditLimitMillicents());
    ctx.header("Cache-Control", "no-store");
    json(ctx, 200, out);
  }

  private void topUp(Context ctx) {
    guard.requireAdmin(ctx);
    long id = customerId(ctx);
    AccountView v = broker.topUp(id, Body.parse(ctx.bodyAsBytes()).amount("amount_millicents"));
    json(ctx, 200, Views.account(v));
  }

  private void account(Context ctx) {
    AccountAuth.Authenticated a = owner(ctx);
    json(ctx, 200, Views.account(broker.account(a.customer().id())));
  }

  private void statement(Context ctx) {
    AccountAuth.Authenticated a = owner(ctx);
    json(ctx, 200, Views.statement(broker.statement(a.customer().id(), ctx.queryParam("period"))));
  }

  private AccountAuth.Authenticated owner(Context ctx) {
    AccountAuth.Authenticated a = AccountAuth.authenticate(ctx, broker.accounts(), origins);
    if (a.customer().id() != customerId(ctx)) {
      throw new BrokerException(
          BrokerError.UNAUTHORIZED,
          "customer " + a.customer().idText() + " may read only its own account");
    }
    return a;
  }

  /** The customer ID of the path ({@code {id}}). */
  static long customerId(Context ctx) {
    try {
      return Long.parseUnsignedLong(ctx.pathParam("id"));
    } catch (NumberFormatException e) {
      throw new BrokerException(
          BrokerError.BAD_REQUEST, "customer ID must be an unsigned 64-bit decimal");
    }
  }
}
