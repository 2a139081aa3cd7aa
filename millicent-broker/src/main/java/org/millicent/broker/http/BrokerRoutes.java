package org.millicent.broker.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.http.NotFoundResponse;
import io.micrometer.core.instrument.Counter;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.millicent.broker.Broker;
import org.millicent.broker.BrokerError;
import org.millicent.broker.BrokerException;
import org.millicent.broker.ScripPurchase;
import org.millicent.broker.SettlementResult;
import org.millicent.broker.VendorConfig;
import org.millicent.broker.VendorScripSale;
import org.millicent.broker.VendorStatement;
import org.millicent.broker.accounts.AccountView;
import org.millicent.broker.accounts.Registration;
import org.millicent.broker.accounts.Statement;
import org.millicent.broker.books.BookTotals;
import org.millicent.broker.supply.Licence;
import org.millicent.bytes.Base64Url;
import org.millicent.bytes.ConstantTime;
import org.millicent.failure.PaymentException;
import org.millicent.http.ClientFaults;
import org.millicent.http.Cors;
import org.millicent.http.Html;
import org.millicent.http.HttpRefusal;
import org.millicent.http.RouteMethods;
import org.millicent.protocol.AuthParams;
import org.millicent.protocol.Payment;
import org.millicent.protocol.PaymentHeader;
import org.millicent.protocol.RequestDescriptor;
import org.millicent.purchase.Exchange;
import org.millicent.purchase.ExchangeService;
import org.millicent.purchase.Purchase;
import org.millicent.scrip.Scrip;
import org.millicent.scrip.ScripCodec;
import org.millicent.storage.StorageException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The broker's HTTP endpoints (docs/HTTP-API.md, "Broker"; admin endpoints in docs/BROKER.md).
 * Handlers are thin: parse, authenticate, call {@link Broker}, write JSON; failures map to problem
 * documents in one place. Thread-safe.
 */
public final class BrokerRoutes {
  private static final Logger log = LoggerFactory.getLogger(BrokerRoutes.class);

  private final Broker broker;
  private final byte[] adminToken;
  private final byte[] joinToken;
  private final PrometheusMeterRegistry meters;
  private final Origins origins;
  private final Map<String, Counter> failures = new ConcurrentHashMap<>();
  private final ClientFaults clientFaults = new ClientFaults(log);
  private final RouteMethods routes = new RouteMethods();

  /**
   * Routes for {@code broker}, guarded by {@code adminToken}, exposing {@code meters}; vendors join
   * with {@code joinToken}.
   */
  public BrokerRoutes(
      Broker broker, String adminToken, String joinToken, PrometheusMeterRegistry meters) {
    this.broker = broker;
    this.adminToken = adminToken.getBytes(StandardCharsets.UTF_8);
    this.joinToken = joinToken.getBytes(StandardCharsets.UTF_8);
    this.meters = meters;
    this.origins = new Origins(broker.config());
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
    routes.get(r, "/", this::home);
    routes.get(r, "/.well-known/millicent", this::wellKnown);
    routes.get(r, "/health", this::health);
    routes.get(r, "/metrics", this::metrics);
    routes.post(r, "/broker/accounts", this::register);
    routes.post(r, "/broker/accounts/{id}/topup", this::topUp);
    routes.get(r, "/broker/accounts/{id}", this::account);
    routes.get(r, "/broker/accounts/{id}/statement", this::statement);
    routes.post(r, "/broker/scrip", this::sellBrokerScrip);
    routes.post(r, "/broker/vendor-scrip", this::sellVendorScrip);
    routes.post(r, EXCHANGE_PATH, this::exchange);
    routes.post(r, "/broker/settlements", this::settlements);
    routes.post(r, "/broker/vendors/join", this::joinVendor);
    routes.get(r, "/broker/admin/vendors", this::adminVendors);
    routes.get(r, "/broker/admin/licences", this::adminLicences);
    routes.post(r, "/broker/admin/licences", this::adminImportLicence);
    routes.post(r, "/broker/admin/settlements/{vendor}", this::adminSettle);
    routes.get(r, "/broker/admin/statements/customers/{id}", this::adminCustomerStatement);
    routes.get(r, "/broker/admin/statements/vendors/{vendor}", this::adminVendorStatement);
    routes.post(r, "/broker/admin/statements/close", this::adminCloseStatements);
    routes.get(r, "/broker/admin/books", this::adminBooks);
    r.exception(BrokerException.class, (e, ctx) -> fail(ctx, e));
    r.exception(PaymentException.class, (e, ctx) -> fail(ctx, e));
    r.exception(StorageException.class, (e, ctx) -> fail(ctx, e));
    // Javalin answers its own refusals (no route, a body over its size limit) in text otherwise.
    r.exception(HttpResponseException.class, this::refuse);
    r.exception(
        Exception.class,
        (e, ctx) -> {
          if (ClientFaults.isClientFault(e)) {
            clientFaults.warn(ctx.method().name(), ctx.path(), e);
            countFailure(BrokerError.BAD_REQUEST.code());
            Problems.write(ctx, BrokerError.BAD_REQUEST, ClientFaults.detail(e));
            return;
          }
          log.error("broker: {} {} failed", ctx.method(), ctx.path(), e);
          countFailure("internal");
          Problems.write(
              ctx,
              Problems.INTERNAL_STATUS,
              "internal",
              "Internal error",
              "the broker failed unexpectedly");
        });
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

  // ------------------------------------------------------------------ public

  /** Where customers exchange broker scrip: the same path as at a vendor. */
  static final String EXCHANGE_PATH = "/millicent/exchange";

  /**
   * The customer endpoints a page on another origin may call (docs/HTTP-API.md, "Browsers and
   * CORS"): the manifest, registration, the account and its statement, buying scrip and the
   * exchange. Never the admin, settlement or join endpoints.
   */
  private static final java.util.regex.Pattern CORS_PATHS =
      java.util.regex.Pattern.compile(
          "/(\\.well-known/millicent|broker/accounts(/[^/]+(/statement)?)?|broker/scrip"
              + "|broker/vendor-scrip|millicent/exchange)/?");

  /** Whether responses at {@code rawPath} (as sent) carry CORS headers. */
  static boolean isCorsPath(String rawPath) {
    return CORS_PATHS.matcher(rawPath).matches();
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
      if (v.supply() == org.millicent.broker.Supply.WAREHOUSE) {
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
    out.put("exchange", EXCHANGE_PATH);
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

  private void register(Context ctx) {
    requireSecureChannel(ctx);
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
    requireAdmin(ctx);
    long id = customerId(ctx);
    AccountView v = broker.topUp(id, Body.parse(ctx.bodyAsBytes()).amount("amount_millicents"));
    json(ctx, 200, view(v));
  }

  private void account(Context ctx) {
    AccountAuth.Authenticated a = owner(ctx);
    json(ctx, 200, view(broker.account(a.customer().id())));
  }

  private void statement(Context ctx) {
    AccountAuth.Authenticated a = owner(ctx);
    json(ctx, 200, statementJson(broker.statement(a.customer().id(), ctx.queryParam("period"))));
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
  private void exchange(Context ctx) throws Exception {
    byte[] bodyBytes = ctx.bodyAsBytes();
    String header = ctx.header("Authorization");
    if (header == null || AccountAuth.isAccountRequest(header)) {
      Problems.write(
          ctx,
          402,
          BrokerError.PAYMENT_REQUIRED.code(),
          BrokerError.PAYMENT_REQUIRED.title(),
          "an exchange is paid (price 0) with the first input scrip (Authorization: Millicent v=2,"
              + " variant=signed, ...)",
          Map.of("vendor", broker.id(), "price_millicents", 0));
      return;
    }
    Payment payment =
        PaymentHeader.parse(
            header,
            new RequestDescriptor(
                origins.addressed(ctx),
                "POST",
                AccountAuth.target(ctx),
                RequestDescriptor.digest(bodyBytes)));
    Body b = Body.parse(bodyBytes);
    JsonNode scrip = b.root().get("scrip");
    if (scrip == null
        || !scrip.isArray()
        || scrip.isEmpty()
        || scrip.size() > ExchangeService.MAX_PIECES) {
      throw new BrokerException(
          BrokerError.BAD_REQUEST,
          "field scrip must list 1.." + ExchangeService.MAX_PIECES + " scrip tokens");
    }
    List<byte[]> inputs = new ArrayList<>();
    for (JsonNode t : scrip) {
      if (!t.isTextual()) {
        throw new BrokerException(BrokerError.BAD_REQUEST, "field scrip must hold tokens (text)");
      }
      inputs.add(ScripCodec.encode(ScripCodec.fromToken(t.asText())));
    }
    String op = b.optionalText("operation", "");
    ExchangeService.Operation operation =
        switch (op) {
          case "renew" -> new ExchangeService.Renew();
          case "merge" -> new ExchangeService.Merge();
          case "split" -> {
            List<Long> amounts = new ArrayList<>();
            JsonNode a = b.root().get("amounts_millicents");
            if (a == null || !a.isArray() || a.isEmpty() || a.size() > ExchangeService.MAX_PIECES) {
              throw new BrokerException(
                  BrokerError.BAD_REQUEST, "split needs amounts_millicents: a list of integers");
            }
            for (JsonNode x : a) {
              if (!x.isIntegralNumber() || !x.canConvertToLong()) {
                throw new BrokerException(
                    BrokerError.BAD_REQUEST, "amounts_millicents must hold integers");
              }
              amounts.add(x.asLong());
            }
            yield new ExchangeService.Split(amounts);
          }
          default ->
              throw new BrokerException(
                  BrokerError.BAD_REQUEST,
                  "field operation must be renew, split or merge, found \"" + op + '"');
        };
    Exchange e = broker.exchange(payment, inputs, operation);
    List<String> tokens = e.outputs().stream().map(Scrip::token).toList();
    byte[] body = Problems.JSON.writeValueAsBytes(Map.of("scrip", tokens));
    Map<String, String> receipt = new LinkedHashMap<>();
    receipt.put("v", PaymentHeader.VERSION);
    receipt.put("variant", e.variant().wireName());
    receipt.put("price", "0");
    receipt.put("mac", Base64Url.encode(e.replyMac(200, RequestDescriptor.digest(body))));
    ctx.header("Millicent-Receipt", AuthParams.format(receipt));
    ctx.header("Cache-Control", "no-store");
    ctx.status(200).contentType("application/json").result(body);
  }

  private void sellVendorScrip(Context ctx) throws Exception {
    byte[] bodyBytes = ctx.bodyAsBytes();
    Body b = Body.parse(bodyBytes);
    String vendor = b.text("vendor");
    long amount = b.amount("amount_millicents");
    String header = ctx.header("Authorization");
    if (header == null) {
      offer(ctx, amount);
      Problems.write(
          ctx,
          402,
          BrokerError.PAYMENT_REQUIRED.code(),
          BrokerError.PAYMENT_REQUIRED.title(),
          "pay with broker scrip (Authorization: Millicent v=2, variant=signed, ...) or an account"
              + " request (variant=account)",
          Map.of("vendor", broker.id(), "price_millicents", amount));
      return;
    }
    if (AccountAuth.isAccountRequest(header)) {
      AccountAuth.Authenticated a = AccountAuth.authenticate(ctx, broker.accounts(), origins);
      VendorScripSale sale = broker.sellVendorScrip(a.customer().id(), vendor, amount, a.mac());
      json(ctx, 200, saleJson(sale));
      return;
    }
    ctx.attribute("millicent.offer", amount);
    Payment payment =
        PaymentHeader.parse(
            header,
            new RequestDescriptor(
                origins.addressed(ctx),
                "POST",
                AccountAuth.target(ctx),
                RequestDescriptor.digest(bodyBytes)));
    ScripPurchase bought = broker.buyVendorScrip(payment, vendor, amount);
    byte[] body = Problems.JSON.writeValueAsBytes(saleJson(bought.sale()));
    Purchase p = bought.purchase();
    Map<String, String> receipt = new LinkedHashMap<>();
    receipt.put("v", PaymentHeader.VERSION);
    receipt.put("variant", p.variant().wireName());
    receipt.put("price", Long.toString(p.priceMillicents()));
    p.change().ifPresent(c -> receipt.put("change", c.token()));
    receipt.put("mac", Base64Url.encode(p.replyMac(200, RequestDescriptor.digest(body))));
    ctx.header("Millicent-Receipt", AuthParams.format(receipt));
    ctx.header("Cache-Control", "no-store");
    ctx.status(200).contentType("application/json").result(body);
  }

  private void settlements(Context ctx) {
    requireSecureChannel(ctx); // the settlement token is a secret, as the admin token is
    Body b = Body.parse(ctx.bodyAsBytes());
    String vendor = b.text("vendor");
    Optional<VendorConfig> vc = broker.vendor(vendor);
    String token = bearer(ctx);
    if (vc.isEmpty()
        || vc.get().settlementToken().isEmpty()
        || token == null
        || !ConstantTime.equal(
            vc.get().settlementToken().get().getBytes(StandardCharsets.UTF_8),
            token.getBytes(StandardCharsets.UTF_8))) {
      throw new BrokerException(
          BrokerError.UNAUTHORIZED,
          "settlements need the settlement token configured for vendor \"" + vendor + '"');
    }
    json(ctx, 200, settlementJson(broker.settle(vendor, b.unsignedList("scrip_ids"))));
  }

  /**
   * {@code POST /broker/vendors/join}: a vendor brings a licence it issued to this broker, which
   * sells its scrip from then on (docs/HTTP-API.md, "POST /broker/vendors/join"). The body carries
   * secrets, so it comes over TLS or loopback; the join token is required unless the caller is on
   * loopback, and checked whenever it is presented.
   */
  private void joinVendor(Context ctx) {
    requireSecureChannel(ctx);
    String t = bearer(ctx);
    if (t == null ? !isLoopback(ctx) : !ConstantTime.equal(joinToken, bytes(t))) {
      throw new BrokerException(
          BrokerError.UNAUTHORIZED,
          t == null
              ? "joining from another machine needs Authorization: Bearer <join token> (the"
                  + " broker prints it at its start)"
              : "the join token is not this broker's (it prints its join token at its start)");
    }
    Body b = Body.parse(ctx.bodyAsBytes());
    List<URI> publicUrls = new ArrayList<>();
    JsonNode urls = b.root().get("public_urls");
    if (urls != null && !urls.isNull()) {
      if (!urls.isArray()) {
        throw new BrokerException(BrokerError.BAD_REQUEST, "public_urls must be a list of URLs");
      }
      for (JsonNode u : urls) {
        publicUrls.add(uri(u.asText(), "public_urls"));
      }
    }
    JsonNode discount = b.root().get("discount_bps");
    if (discount != null
        && !discount.isNull()
        && !(discount.isIntegralNumber() && discount.canConvertToInt())) {
      throw new BrokerException(BrokerError.BAD_REQUEST, "discount_bps must be an integer");
    }
    Licence licence = Licence.fromJson(b.root().get("licence"));
    boolean joined =
        broker.join(
            new org.millicent.broker.VendorJoin(
                b.text("vendor"),
                uri(b.text("url"), "url"),
                publicUrls,
                b.text("token"),
                discount == null || discount.isNull() ? licence.discountBps() : discount.intValue(),
                licence));
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("broker", broker.id());
    out.put("vendor", b.text("vendor"));
    out.put("joined", joined ? "new" : "again");
    json(ctx, 200, out);
  }

  private static URI uri(String text, String field) {
    try {
      return new URI(text);
    } catch (java.net.URISyntaxException e) {
      throw new BrokerException(BrokerError.BAD_REQUEST, field + " is not a URL: " + text);
    }
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  // ------------------------------------------------------------------- admin

  private void adminVendors(Context ctx) {
    requireAdmin(ctx);
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
      m.put("statement", vendorStatementJson(broker.vendorStatement(v.vendor(), null)));
      out.add(m);
    }
    json(ctx, 200, Map.of("vendors", out));
  }

  private void adminLicences(Context ctx) {
    requireAdmin(ctx);
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

  private void adminImportLicence(Context ctx) {
    requireAdmin(ctx);
    Licence l = broker.installLicence(Licence.fromJson(Body.parse(ctx.bodyAsBytes()).root()));
    json(ctx, 200, Map.of("licence_id", l.licenceId(), "vendor", l.vendor()));
  }

  private void adminSettle(Context ctx) {
    requireAdmin(ctx);
    json(ctx, 200, settlementJson(broker.pullSettlement(ctx.pathParam("vendor"))));
  }

  private void adminCustomerStatement(Context ctx) {
    requireAdmin(ctx);
    json(ctx, 200, statementJson(broker.statement(customerId(ctx), ctx.queryParam("period"))));
  }

  private void adminVendorStatement(Context ctx) {
    requireAdmin(ctx);
    json(
        ctx,
        200,
        vendorStatementJson(
            broker.vendorStatement(ctx.pathParam("vendor"), ctx.queryParam("period"))));
  }

  private void adminCloseStatements(Context ctx) {
    requireAdmin(ctx);
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

  private void adminBooks(Context ctx) {
    requireAdmin(ctx);
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

  // ----------------------------------------------------------------- helpers

  private AccountAuth.Authenticated owner(Context ctx) {
    AccountAuth.Authenticated a = AccountAuth.authenticate(ctx, broker.accounts(), origins);
    if (a.customer().id() != customerId(ctx)) {
      throw new BrokerException(
          BrokerError.UNAUTHORIZED,
          "customer " + a.customer().idText() + " may read only its own account");
    }
    return a;
  }

  private static long customerId(Context ctx) {
    try {
      return Long.parseUnsignedLong(ctx.pathParam("id"));
    } catch (NumberFormatException e) {
      throw new BrokerException(
          BrokerError.BAD_REQUEST, "customer ID must be an unsigned 64-bit decimal");
    }
  }

  private static String bearer(Context ctx) {
    String h = ctx.header("Authorization");
    if (h == null || !h.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return null;
    }
    return h.substring(7).strip();
  }

  private void requireAdmin(Context ctx) {
    requireSecureChannel(ctx);
    String t = bearer(ctx);
    if (t == null || !ConstantTime.equal(adminToken, t.getBytes(StandardCharsets.UTF_8))) {
      throw new BrokerException(
          BrokerError.UNAUTHORIZED, "expected Authorization: Bearer <admin token>");
    }
  }

  /** Secrets travel only over TLS or on this machine. */
  static void requireSecureChannel(Context ctx) {
    if (ctx.req().isSecure() || "https".equals(ctx.scheme()) || isLoopback(ctx)) {
      return;
    }
    throw new BrokerException(
        BrokerError.INSECURE_CHANNEL,
        "this request carries a secret: it must come over TLS or from loopback");
  }

  /** Whether the request came from this machine. */
  static boolean isLoopback(Context ctx) {
    try {
      return InetAddress.getByName(ctx.req().getRemoteAddr()).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }

  private void offer(Context ctx, long amount) {
    Map<String, String> o = new LinkedHashMap<>();
    o.put("v", PaymentHeader.VERSION);
    o.put("vendor", broker.id());
    o.put("price", Long.toString(amount));
    o.put("currency", broker.config().currency());
    o.put("variants", "signed");
    ctx.header("WWW-Authenticate", AuthParams.format(o));
  }

  private void fail(Context ctx, Exception e) {
    switch (e) {
      case BrokerException be -> {
        countFailure(be.code().code());
        Problems.write(ctx, be.code(), be.getMessage());
      }
      case PaymentException pe -> {
        countFailure(pe.code().code());
        Object amount = ctx.attribute("millicent.offer");
        int status = Problems.status(pe);
        if (status == 402 && amount instanceof Long a) {
          offer(ctx, a);
        }
        if (pe.code() == org.millicent.failure.FailureCode.IN_PROGRESS) {
          // As the vendor: the identical request is worth sending again shortly (HTTP-API.md).
          ctx.header("Retry-After", "1");
        }
        Problems.write(ctx, status, pe.code().code(), Problems.title(pe.code()), pe.getMessage());
      }
      case StorageException se -> {
        // The message names the file or server and the driver's text: the log's, not the client's.
        log.warn("broker: {} {} failed: {}", ctx.method(), ctx.path(), se.getMessage());
        countFailure(se.code().code());
        Problems.write(
            ctx,
            Problems.STORAGE_STATUS,
            se.code().code(),
            "Storage unavailable",
            se.clientDetail());
      }
      default -> throw new IllegalStateException(e);
    }
  }

  /**
   * Answers a refusal of Javalin's own: a request no route takes is {@code 405 method-not-allowed}
   * with {@code Allow} when routes serve its path with other methods, else {@code 404 not-found}; a
   * body over Javalin's size limit is {@code 413 content-too-large}.
   */
  private void refuse(HttpResponseException e, Context ctx) {
    HttpRefusal refusal = HttpRefusal.forStatus(e.getStatus());
    int status = HttpRefusal.answeredStatus(e.getStatus());
    String detail = refusal.detail(e.getStatus(), e.getMessage());
    if (e instanceof NotFoundResponse
        && Cors.isPreflight(ctx.req())
        && isCorsPath(ctx.req().getRequestURI())) {
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
    countFailure(refusal.code());
    Problems.write(ctx, status, refusal.code(), refusal.title(), detail);
  }

  private void countFailure(String code) {
    failures
        .computeIfAbsent(
            code,
            c ->
                Counter.builder("millicent_broker_http_failures_total")
                    .tag("code", c)
                    .register(meters))
        .increment();
  }

  private static void json(Context ctx, int status, Object body) {
    try {
      ctx.status(status)
          .contentType("application/json")
          .result(Problems.JSON.writeValueAsBytes(body));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("cannot encode a response", e);
    }
  }

  private static Map<String, Object> view(AccountView v) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("customer_id", Long.toUnsignedString(v.customerId()));
    m.put("name", v.name());
    m.put("provider", v.provider());
    m.put("balance_millicents", v.balanceMillicents());
    m.put("credit_limit_millicents", v.creditLimitMillicents());
    m.put("available_millicents", v.availableMillicents());
    m.put("period", v.period());
    m.put("charges_this_period_millicents", v.chargesThisPeriodMillicents());
    return m;
  }

  private static Map<String, Object> saleJson(VendorScripSale s) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("vendor", s.vendor());
    m.put("scrip", s.scrip().token());
    m.put("customer_id", Long.toUnsignedString(s.customerIdAtVendor()));
    m.put("sealed_customer_secret", Base64Url.encode(s.sealedCustomerSecret()));
    m.put("supply", s.supply() == null ? "broker" : s.supply().wireName());
    m.put("value_millicents", s.scrip().valueMillicents());
    m.put("expires_at", s.scrip().expiresAt().toString());
    return m;
  }

  private static Map<String, Object> statementJson(Statement s) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("customer_id", Long.toUnsignedString(s.customerId()));
    m.put("period", s.period());
    m.put("from", Instant.ofEpochMilli(s.fromMillis()).toString());
    m.put("to", Instant.ofEpochMilli(s.toMillis()).toString());
    List<Map<String, Object>> charges = new ArrayList<>();
    for (Statement.VendorCharges c : s.charges()) {
      charges.add(
          Map.of(
              "vendor",
              c.vendor(),
              "pieces",
              c.pieces(),
              "amount_millicents",
              c.amountMillicents()));
    }
    m.put("charges", charges);
    m.put("total_charged_millicents", s.totalChargedMillicents());
    m.put("expired_unspent_millicents", s.expiredMillicents());
    m.put("payments_millicents", s.paymentsMillicents());
    m.put("closed", s.closed());
    m.put("collected_millicents", s.collectedMillicents());
    return m;
  }

  private static Map<String, Object> vendorStatementJson(VendorStatement s) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("vendor", s.vendor());
    m.put("period", s.period());
    m.put("sold_pieces", s.soldPieces());
    m.put("sold_millicents", s.soldMillicents());
    m.put("settled_pieces", s.settledPieces());
    m.put("settled_value_millicents", s.settledValueMillicents());
    m.put("settled_paid_millicents", s.settledPaidMillicents());
    m.put("payable_millicents", s.payableMillicents());
    m.put("outstanding_millicents", s.outstandingMillicents());
    return m;
  }

  private static Map<String, Object> settlementJson(SettlementResult r) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("vendor", r.vendor());
    m.put("paid_millicents", r.paidMillicents());
    m.put("accepted", r.accepted().stream().map(Long::toUnsignedString).toList());
    List<Map<String, Object>> rejected = new ArrayList<>();
    for (SettlementResult.Rejection x : r.rejected()) {
      rejected.add(
          Map.of("scrip_id", Long.toUnsignedString(x.scripId()), "code", x.reason().code()));
    }
    m.put("rejected", rejected);
    return m;
  }
}
