package org.millicent.broker.http;

import static org.millicent.broker.http.Views.json;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.security.SecureRandom;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.millicent.broker.Broker;
import org.millicent.broker.BrokerError;
import org.millicent.broker.ScripPurchase;
import org.millicent.broker.VendorScripSale;
import org.millicent.broker.accounts.Accounts;
import org.millicent.http.ExchangeRequest;
import org.millicent.http.ProblemDocument;
import org.millicent.http.RouteMethods;
import org.millicent.protocol.AccountRequest;
import org.millicent.protocol.Headers;
import org.millicent.protocol.Offer;
import org.millicent.protocol.Payment;
import org.millicent.protocol.PaymentHeader;
import org.millicent.protocol.RequestDescriptor;
import org.millicent.protocol.Variant;
import org.millicent.purchase.Exchange;
import org.millicent.purchase.Purchase;
import org.millicent.scrip.Scrip;

/**
 * What the broker sells (docs/HTTP-API.md, "Broker"): broker scrip on account, vendor scrip on
 * account or paid with broker scrip, and the exchange of broker scrip. Thread-safe.
 */
final class SaleRoutes {
  /** Seals receipts of the private variant, which this broker does not take (it takes signed). */
  private static final SecureRandom RANDOM = new SecureRandom();

  /** Where customers exchange broker scrip: the same path as at a vendor. */
  static final String EXCHANGE_PATH = "/millicent/exchange";

  /** The request attribute holding the price of a paid sale, repeated as an offer on a refusal. */
  static final String OFFER = "millicent.offer";

  private final Broker broker;
  private final Origins origins;

  SaleRoutes(Broker broker, Origins origins) {
    this.broker = broker;
    this.origins = origins;
  }

  void register(RouteMethods routes, RoutesConfig r) {
    routes.post(r, "/broker/scrip", this::sellBrokerScrip);
    routes.post(r, "/broker/vendor-scrip", this::sellVendorScrip);
    routes.post(r, EXCHANGE_PATH, this::exchange);
  }

  private void sellBrokerScrip(Context ctx) {
    AccountAuth.Authenticated a = AccountAuth.authenticate(ctx, broker.accounts(), origins);
    long amount = Body.parse(ctx.bodyAsBytes()).amount("amount_millicents");
    Scrip s = broker.sellBrokerScrip(a.customer().id(), amount, a.mac());
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("scrip", s.token());
    out.put("value_millicents", s.valueMillicents());
    out.put("expires_at", s.expiresAt().toString());
    json(ctx, 200, out);
  }

  /**
   * {@code POST /millicent/exchange}: renews, splits or merges broker scrip, as a vendor's exchange
   * endpoint does (docs/HTTP-API.md, "POST /millicent/exchange"), paid at price 0 with the first
   * input in the signed variant.
   */
  private void exchange(Context ctx) {
    byte[] bodyBytes = ctx.bodyAsBytes();
    String header = ctx.header("Authorization");
    if (header == null || AccountRequest.isAccountRequest(header)) {
      Problems.write(
          ctx,
          BrokerError.PAYMENT_REQUIRED,
          "an exchange is paid (price 0) with the first input scrip (Authorization: Millicent v=2,"
              + " variant=signed, ...)",
          Map.of("vendor", broker.id(), "price_millicents", 0));
      return;
    }
    Payment payment = PaymentHeader.parse(header, descriptor(ctx, bodyBytes));
    ExchangeRequest request = ExchangeRequest.parse(bodyBytes);
    Exchange e = broker.exchange(payment, request.inputs(), request.operation());
    List<String> tokens = e.outputs().stream().map(Scrip::token).toList();
    byte[] body = ProblemDocument.json(Map.of("scrip", tokens));
    ctx.header(Headers.RECEIPT, e.receipt(200, body, RANDOM).format());
    ctx.header("Cache-Control", "no-store");
    ctx.status(200).contentType("application/json").result(body);
  }

  private void sellVendorScrip(Context ctx) {
    byte[] bodyBytes = ctx.bodyAsBytes();
    Body b = Body.parse(bodyBytes);
    String vendor = b.text("vendor");
    long amount = b.amount("amount_millicents");
    // Before the offer: an offer cannot carry a negative price, and a refusal must not be a 500.
    Accounts.checkAmount(amount);
    String header = ctx.header("Authorization");
    if (header == null) {
      offer(ctx, amount);
      Problems.write(
          ctx,
          BrokerError.PAYMENT_REQUIRED,
          "pay with broker scrip (Authorization: Millicent v=2, variant=signed, ...) or an account"
              + " request (variant=account)",
          Map.of("vendor", broker.id(), "price_millicents", amount));
      return;
    }
    if (AccountRequest.isAccountRequest(header)) {
      AccountAuth.Authenticated a = AccountAuth.authenticate(ctx, broker.accounts(), origins);
      VendorScripSale sale = broker.sellVendorScrip(a.customer().id(), vendor, amount, a.mac());
      json(ctx, 200, Views.sale(sale));
      return;
    }
    ctx.attribute(OFFER, amount);
    Payment payment = PaymentHeader.parse(header, descriptor(ctx, bodyBytes));
    ScripPurchase bought = broker.buyVendorScrip(payment, vendor, amount);
    byte[] body = ProblemDocument.json(Views.sale(bought.sale()));
    Purchase p = bought.purchase();
    ctx.header(Headers.RECEIPT, p.receipt(200, body, RANDOM).format());
    ctx.header("Cache-Control", "no-store");
    ctx.status(200).contentType("application/json").result(body);
  }

  /** What a payment of this POST must be bound to: origin addressed, target and body digest. */
  private RequestDescriptor descriptor(Context ctx, byte[] body) {
    return new RequestDescriptor(
        origins.addressed(ctx), "POST", AccountAuth.target(ctx), RequestDescriptor.digest(body));
  }

  /** Sets the offer of broker scrip worth {@code amount} ({@code WWW-Authenticate}). */
  void offer(Context ctx, long amount) {
    ctx.header(
        Headers.WWW_AUTHENTICATE,
        new Offer(
                broker.id(),
                amount,
                broker.config().currency(),
                Set.of(Variant.SIGNED),
                Optional.empty())
            .format());
  }
}
