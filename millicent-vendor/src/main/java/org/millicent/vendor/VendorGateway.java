package org.millicent.vendor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.io.IOException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntFunction;
import java.util.function.Supplier;
import org.millicent.bytes.Base64Url;
import org.millicent.failure.UnknownKeyException;
import org.millicent.http.ClientFaults;
import org.millicent.http.Cors;
import org.millicent.http.FailureText;
import org.millicent.http.ProblemDocument;
import org.millicent.http.RouteMethods;
import org.millicent.money.Amounts;
import org.millicent.protocol.AuthParams;
import org.millicent.protocol.Authority;
import org.millicent.protocol.Payment;
import org.millicent.protocol.PaymentHeader;
import org.millicent.protocol.PublicOrigins;
import org.millicent.protocol.RequestDescriptor;
import org.millicent.protocol.Variant;
import org.millicent.purchase.Exchange;
import org.millicent.purchase.ExchangeService;
import org.millicent.purchase.Purchase;
import org.millicent.purchase.PurchaseService;
import org.millicent.purchase.Recovery;
import org.millicent.scrip.Scrip;
import org.millicent.scrip.ScripCodec;
import org.millicent.vendor.VendorMetrics.Kind;
import org.millicent.vendor.content.ContentRequest;
import org.millicent.vendor.content.ContentResponse;
import org.millicent.vendor.content.ContentSource;
import org.millicent.vendor.content.OriginException;

/**
 * The customer-facing HTTP side of the vendor (docs/HTTP-API.md, "Vendor gateway"): the catalogue
 * behind 402 offers, paid delivery with change and receipt, the exchange endpoint and the manifest.
 * Handlers are thin: parse, call the purchase or exchange service, write.
 *
 * <p>Charge only on delivery: a payment is claimed, the content fetched, and the spend committed
 * only when the answer is not a server failure; otherwise it is released and the client gets 502
 * {@code origin-failed} with its scrip intact. A replay of a committed request gets the change
 * issued the first time.
 *
 * <p>Thread-safe: all state is in the thread-safe services.
 */
final class VendorGateway {
  /** Response header carrying change and reply MAC. */
  static final String RECEIPT = "Millicent-Receipt";

  /** Media type of a sealed (private variant) body. */
  static final String SEALED = ContentRequest.SEALED;

  /** Header carrying the original media type of a sealed body. */
  static final String SEALED_TYPE = ContentRequest.SEALED_TYPE;

  private final Catalogue catalogue;
  private final ContentSource content;
  private final boolean forwardHeaders;
  private final Supplier<VendorState> state;
  private final Problems problems;
  private final VendorMetrics metrics;
  private final ObjectMapper json;
  private final SecureRandom random;
  private final byte[] manifest;
  private final IntFunction<PublicOrigins> originsAtPort;
  private final RouteMethods fixedRoutes;
  private final ClientFiles client;
  private final Map<Integer, PublicOrigins> origins = new ConcurrentHashMap<>();

  VendorGateway(
      Catalogue catalogue,
      ContentSource content,
      boolean forwardHeaders,
      Supplier<VendorState> state,
      Problems problems,
      VendorMetrics metrics,
      ObjectMapper json,
      SecureRandom random,
      byte[] manifest,
      IntFunction<PublicOrigins> originsAtPort,
      RouteMethods fixedRoutes,
      ClientFiles client) {
    this.catalogue = catalogue;
    this.content = content;
    this.forwardHeaders = forwardHeaders;
    this.state = state;
    this.problems = problems;
    this.metrics = metrics;
    this.json = json;
    this.random = random;
    this.manifest = manifest;
    this.originsAtPort = originsAtPort;
    this.fixedRoutes = fixedRoutes;
    this.client = client;
  }

  /**
   * Adds the customer-facing routes, each resolving its gateway through {@code self} per request;
   * the content catch-all comes last, so routes added before win. A request with two Authorization
   * headers, a Millicent Authorization over 16 384 characters or a malformed percent-escape in its
   * path is refused before any route (the vendor's broker endpoints included).
   */
  static void addRoutes(RouteMethods fixed, RoutesConfig routes, Supplier<VendorGateway> self) {
    // First, so that every refusal on these paths can be read by a page too.
    routes.before(
        ctx -> {
          if (isCorsPath(ctx.req().getRequestURI())) {
            Cors.allow(ctx.res(), EXPOSE);
          }
        });
    routes.before(
        ctx -> {
          ClientFaults.checkAuthorizationLength(ctx.req());
          if (ClientFaults.repeatsAuthorization(ctx.req())) {
            throw new ProblemException(
                ProblemCode.BAD_REQUEST, "a request may carry only one Authorization header");
          }
          if (ClientFaults.hasMalformedEscape(ctx.req().getRequestURI())) {
            throw new ProblemException(
                ProblemCode.BAD_REQUEST, "the request path has a % not followed by two hex digits");
          }
        });
    fixed.get(routes, "/.well-known/millicent", ctx -> self.get().manifest(ctx));
    fixed.post(routes, "/millicent/exchange", ctx -> self.get().exchange(ctx));
    fixed.post(routes, "/millicent/recover", ctx -> self.get().recover(ctx));
    fixed.get(routes, ClientFiles.PATH + "{file}", ctx -> self.get().clientModule(ctx));
    for (String method : Catalogue.ANY_METHOD) {
      HandlerType t = HandlerType.findOrCreate(method);
      routes.addHttpHandler(t, "/", ctx -> self.get().content(ctx));
      routes.addHttpHandler(t, "/*", ctx -> self.get().content(ctx));
    }
  }

  /**
   * Answers a request that no route took (a method the catch-all does not route: OPTIONS, TRACE,
   * CONNECT or one of the client's own): {@code 405 method-not-allowed} with {@code Allow} when the
   * target is served with other methods, else {@code 404 not-found}.
   */
  void notRouted(Context ctx) {
    if (Cors.isPreflight(ctx.req())) {
      String methods = preflightMethods(ctx);
      if (methods != null) {
        Cors.preflight(ctx.res(), methods, EXPOSE);
        ctx.status(204);
        return;
      }
    }
    RuntimeException refusal;
    try {
      refusal = notOffered(ctx, ctx.req().getMethod(), RequestTarget.of(ctx.req()).path());
    } catch (RuntimeException e) {
      refusal = e; // a target that is not canonical: bad-path or bad-request
    }
    problems.write(ctx, refusal, -1);
  }

  /** The Millicent response headers a page on another origin may read. */
  static final String EXPOSE = Cors.EXPOSE_HEADERS + ", millicent-content-type";

  /** The customer endpoints a page on another origin may call, besides the content. */
  private static final Set<String> CORS_ENDPOINTS =
      Set.of("/.well-known/millicent", "/millicent/exchange", "/millicent/recover");

  /**
   * Whether responses at {@code rawPath} (as sent) carry CORS headers (docs/HTTP-API.md, "Browsers
   * and CORS"): the content and the customer endpoints; never the admin and broker-facing endpoints
   * under {@code /millicent/}, nor {@code /health} and {@code /metrics}.
   */
  static boolean isCorsPath(String rawPath) {
    String p =
        rawPath.length() > 1 && rawPath.endsWith("/")
            ? rawPath.substring(0, rawPath.length() - 1)
            : rawPath;
    if (CORS_ENDPOINTS.contains(p)) {
      return true;
    }
    return !p.startsWith("/millicent/")
        && !p.equals("/millicent")
        && !p.startsWith("/.well-known/")
        && !p.equals("/health")
        && !p.equals("/metrics");
  }

  /**
   * The methods a preflight at the request's path may ask for, or null when it is no CORS target:
   * the customer endpoints take GET and POST, content the methods the catalogue prices or frees
   * there.
   */
  private String preflightMethods(Context ctx) {
    String raw = ctx.req().getRequestURI();
    if (!isCorsPath(raw)) {
      return null;
    }
    String p = raw.length() > 1 && raw.endsWith("/") ? raw.substring(0, raw.length() - 1) : raw;
    if (CORS_ENDPOINTS.contains(p)) {
      return Cors.ALLOW_METHODS;
    }
    Set<String> methods;
    try {
      String path = RequestTarget.of(ctx.req()).path();
      methods = content.mayExist(path) ? catalogue.methods(path) : Set.of();
    } catch (RuntimeException e) {
      return null; // not canonical: refused as usual
    }
    return methods.isEmpty() ? null : RouteMethods.allowHeader(methods);
  }

  /**
   * The refusal of {@code method} on the canonical {@code path}, which neither a fixed route nor
   * the catalogue serves with that method: {@code method-not-allowed}, with {@code Allow} set on
   * {@code ctx}, when they serve it with others, else {@code not-found}.
   */
  private ProblemException notOffered(Context ctx, String method, String path) {
    Set<String> allowed = fixedRoutes.allowed(ctx.req().getRequestURI());
    if (content.mayExist(path)) {
      allowed.addAll(catalogue.methods(path));
    }
    if (allowed.isEmpty()) {
      return new ProblemException(
          ProblemCode.NOT_FOUND, "nothing is offered at " + method + " " + path);
    }
    String allow = RouteMethods.allowHeader(allowed);
    ctx.header("Allow", allow);
    return new ProblemException(
        ProblemCode.METHOD_NOT_ALLOWED,
        method + " is not answered at " + path + "; these methods are: " + allow);
  }

  /**
   * {@code GET /millicent/client/{file}}: a module of the JavaScript client, when the jar has it.
   */
  private void clientModule(Context ctx) {
    String name = ctx.pathParam("file");
    byte[] module = client.read(name);
    if (module == null) {
      throw new ProblemException(
          ProblemCode.NOT_FOUND, "no JavaScript client module is served as " + name);
    }
    ctx.header("Cache-Control", "public, max-age=300");
    ctx.header("X-Content-Type-Options", "nosniff");
    ctx.contentType("text/javascript;charset=utf-8").result(module);
  }

  private void manifest(Context ctx) {
    long t0 = System.nanoTime();
    ctx.contentType("application/json").result(manifest);
    metrics.request(Kind.API, System.nanoTime() - t0);
  }

  // ------------------------------------------------------------------ content

  private void content(Context ctx) {
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
        throw notOffered(ctx, method, path);
      }
      if (entry.free()) {
        deliverFree(ctx, method, canonical);
        kind = Kind.FREE;
        return;
      }
      offer = entry.basePriceMillicents();
      String auth = ctx.header("Authorization");
      if (auth == null || !isMillicent(auth)) {
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

  static boolean isMillicent(String auth) {
    return auth.regionMatches(true, 0, AuthParams.SCHEME, 0, AuthParams.SCHEME.length())
        && (auth.length() == AuthParams.SCHEME.length()
            || auth.charAt(AuthParams.SCHEME.length()) == ' ');
  }

  private void deliverFree(Context ctx, String method, RequestTarget canonical) {
    ContentResponse r;
    try {
      r = content.fetch(request(ctx, method, canonical, body(ctx)));
    } catch (OriginException e) {
      throw new ProblemException(ProblemCode.ORIGIN_FAILED, e.getMessage(), e);
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
    byte[] body = body(ctx);
    // The MAC covers the target as sent; the canonical target is a function of it.
    Payment payment = PaymentHeader.parse(auth, descriptor(ctx, method, target(ctx), body));
    VendorState st = state.get();
    PurchaseService purchases = st.purchases;
    if (content.isLocal() && !(payment instanceof Payment.Private && body.length > 0)) {
      sellLocal(ctx, st, entry, payment, request(ctx, method, canonical, body));
      return;
    }
    Purchase p = knowingNewLicences(st, () -> purchases.begin(payment, entry.pricer()));
    if (p.isReplay() && !SAFE_METHODS.contains(method)) {
      // The origin ran this action for the first sending; running it again would do it twice.
      writePaid(ctx, st, p, replayedAction(method, canonical.path()));
      return;
    }
    ContentResponse r;
    try {
      ContentRequest forward = request(ctx, method, canonical, body);
      if (payment instanceof Payment.Private pp && body.length > 0) {
        forward = forward.withOpenedBody(purchases.openRequestBody(pp, body));
      }
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
      throw new ProblemException(
          ProblemCode.ORIGIN_FAILED,
          e.getMessage() + (p.isReplay() ? "; the earlier charge stands" : "; nothing was charged"),
          e);
    } catch (RuntimeException e) {
      p.release();
      throw e;
    }
    writePaid(ctx, st, p, r);
  }

  /** Methods whose repetition has no effect at the origin (RFC 9110, section 9.2.1). */
  private static final java.util.Set<String> SAFE_METHODS = java.util.Set.of("GET", "HEAD");

  /**
   * The answer to a replay of a non-safe request (docs/HTTP-API.md, "Replays of non-safe methods"):
   * the action is not run again and its first answer is not kept, so the replay gets a {@code 409
   * replayed} problem document, with the receipt of the first sending.
   */
  private static ContentResponse replayedAction(String method, String path) {
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
      throw new ProblemException(
          ProblemCode.ORIGIN_FAILED, e.getMessage() + "; nothing was charged", e);
    }
    if (r.status() >= 500) {
      throw new ProblemException(
          ProblemCode.ORIGIN_FAILED,
          "the content answered " + r.status() + "; nothing was charged");
    }
    requireLocalFound(r, request.path());
    Purchase p = knowingNewLicences(st, () -> st.purchases.pay(payment, entry.pricer()));
    writePaid(ctx, st, p, r);
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

  /**
   * Runs a payment step; one refused as {@code unknown-key} runs once more if the licences changed
   * at another replica meanwhile (a licence just issued there). Safe to repeat: a key is checked
   * before anything is claimed, spent or minted.
   */
  private static <T> T knowingNewLicences(VendorState st, Supplier<T> step) {
    try {
      return step.get();
    } catch (UnknownKeyException e) {
      if (!st.licences.refreshForUnknownKey()) {
        throw e;
      }
      return step.get();
    }
  }

  /** Counts a committed purchase, records licensed scrip as received, and answers. */
  private void writePaid(Context ctx, VendorState st, Purchase p, ContentResponse r) {
    metrics.paid(p.variant(), p.priceMillicents(), p.isReplay());
    if (!p.isReplay()) {
      st.licences.received(p.scrip());
    }
    int status = r.status();
    byte[] out = r.body();
    String type = r.contentType();
    // Every receipt value is a token (digits, variant names, base64url), so the header is
    // written directly in the auth-param grammar.
    StringBuilder receipt =
        new StringBuilder(256)
            .append("Millicent v=")
            .append(PaymentHeader.VERSION)
            .append(", variant=")
            .append(p.variant().wireName())
            .append(", price=")
            .append(p.priceMillicents());
    switch (p.variant()) {
      case CLEAR -> p.change().ifPresent(c -> receipt.append(", change=").append(c.token()));
      case SIGNED -> {
        p.change().ifPresent(c -> receipt.append(", change=").append(c.token()));
        receipt
            .append(", mac=")
            .append(Base64Url.encode(p.replyMac(status, RequestDescriptor.digest(out))));
      }
      case PRIVATE -> {
        receipt.append(", change=").append(Base64Url.encode(p.sealChange(random)));
        out = p.sealResponse(status, out, random);
        if (type != null) {
          ctx.header(SEALED_TYPE, type);
        }
        type = SEALED;
      }
    }
    ctx.status(status);
    copyHeaders(ctx, r);
    ctx.header("Cache-Control", "no-store");
    ctx.header(RECEIPT, receipt.toString());
    if (type != null) {
      ctx.contentType(type);
    }
    ctx.result(out);
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

  private static final byte[] NO_BODY = new byte[0];

  /** The request body; a request that announces none (most GETs) is not read at all. */
  static byte[] body(Context ctx) {
    if (ctx.req().getContentLengthLong() <= 0 && ctx.req().getHeader("Transfer-Encoding") == null) {
      return NO_BODY;
    }
    return ctx.bodyAsBytes();
  }

  /** The request target exactly as sent: raw path and raw query. */
  static String target(Context ctx) {
    String q = ctx.req().getQueryString();
    String path = ctx.req().getRequestURI();
    return q == null ? path : path + "?" + q;
  }

  /**
   * What a payment for this request must be bound to: the public origin the request addressed
   * (docs/PROTOCOL.md, "Authority"), method, target and body digest.
   *
   * @throws ProblemException {@code unknown-authority} when the request's Host names none of the
   *     vendor's public origins (nothing is consumed: no payment is looked at)
   */
  private RequestDescriptor descriptor(Context ctx, String method, String target, byte[] body) {
    Authority authority = addressed(ctx);
    try {
      return RequestDescriptor.of(authority, method, target, body);
    } catch (IllegalArgumentException e) {
      throw new ProblemException(
          ProblemCode.BAD_REQUEST, "request cannot be paid for: " + FailureText.of(e), e);
    }
  }

  /**
   * The public origin the request addressed, among the vendor's public origins for the port the
   * request arrived on ({@code public_urls}, or by default loopback at that port).
   */
  private Authority addressed(Context ctx) {
    String scheme = ctx.req().getScheme();
    PublicOrigins known = origins.computeIfAbsent(ctx.req().getLocalPort(), originsAtPort::apply);
    String host = ctx.header("Host");
    if (host == null) {
      host = ctx.req().getServerName() + ":" + ctx.req().getServerPort();
    }
    String named = host;
    return known
        .resolve(scheme, host)
        .orElseThrow(
            () ->
                new ProblemException(
                    ProblemCode.UNKNOWN_AUTHORITY,
                    "payments here are bound to "
                        + known
                        + "; this request addressed "
                        + printable(named)
                        + ", so it cannot be paid (scrip unused)"));
  }

  /** At most 100 printable ASCII characters of a client-supplied value, for a message. */
  private static String printable(String s) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < s.length() && sb.length() < 100; i++) {
      char c = s.charAt(i);
      sb.append(c >= 0x20 && c < 0x7f ? c : '?');
    }
    return sb.toString();
  }

  // ----------------------------------------------------------------- exchange

  private void exchange(Context ctx) {
    long t0 = System.nanoTime();
    Kind kind = Kind.REJECTED;
    try {
      String auth = ctx.header("Authorization");
      if (auth == null || !isMillicent(auth)) {
        problems.write(
            ctx,
            ProblemCode.PAYMENT_REQUIRED,
            "an exchange is paid (price 0) with the first input scrip",
            0);
        return;
      }
      byte[] body = body(ctx);
      Payment payment = PaymentHeader.parse(auth, descriptor(ctx, "POST", target(ctx), body));
      VendorState st = state.get();
      byte[] plain =
          payment instanceof Payment.Private pp
              ? knowingNewLicences(st, () -> st.purchases.openRequestBody(pp, body))
              : body;
      ExchangeRequest request = ExchangeRequest.parse(json, plain);
      Exchange e =
          knowingNewLicences(
              st, () -> st.exchanges.exchange(payment, request.inputs(), request.operation()));
      if (!e.isReplay()) {
        for (byte[] in : request.inputs()) {
          st.licences.received(ScripCodec.decode(in));
        }
      }
      List<String> tokens = new ArrayList<>();
      for (Scrip s : e.outputs()) {
        tokens.add(s.token());
      }
      byte[] out = jsonBytes(Map.of("scrip", tokens));
      Map<String, String> receipt = new LinkedHashMap<>();
      receipt.put("v", PaymentHeader.VERSION);
      receipt.put("variant", e.variant().wireName());
      receipt.put("price", "0");
      String type = "application/json";
      if (e.variant() == Variant.PRIVATE) {
        receipt.put("change", Base64Url.encode(e.sealChange(random)));
        out = e.sealResponse(200, out, random);
        ctx.header(SEALED_TYPE, type);
        type = SEALED;
      } else {
        receipt.put("mac", Base64Url.encode(e.replyMac(200, RequestDescriptor.digest(out))));
      }
      ctx.status(200);
      ctx.header("Cache-Control", "no-store");
      ctx.header(RECEIPT, AuthParams.format(receipt));
      ctx.contentType(type).result(out);
      kind = Kind.EXCHANGE;
    } catch (RuntimeException e) {
      problems.write(ctx, e, 0);
    } finally {
      metrics.request(kind, System.nanoTime() - t0);
    }
    // A request body the client broke or abandoned raises an IOException from Javalin's reader
    // (undeclared): it reaches the server's exception mapping, which answers 400 bad-request.
  }

  private byte[] jsonBytes(Object value) {
    try {
      return json.writeValueAsBytes(value);
    } catch (IOException e) {
      throw new ProblemException(ProblemCode.INTERNAL, "cannot write JSON", e);
    }
  }

  // ------------------------------------------------------------------ recover

  /**
   * {@code POST /millicent/recover}: what became of an earlier request paid with a scrip, for a
   * wallet that lost the answer (docs/HTTP-API.md). Paid (price 0, nothing spent) with a signed
   * payment of that scrip over this request, which proves ownership; the answer carries the
   * recorded price and change in a receipt MACed like a purchase's.
   */
  private void recover(Context ctx) {
    long t0 = System.nanoTime();
    Kind kind = Kind.REJECTED;
    try {
      String auth = ctx.header("Authorization");
      if (auth == null || !isMillicent(auth)) {
        throw new ProblemException(
            ProblemCode.UNAUTHORIZED,
            "a recovery is asked with a signed payment of the scrip asked about");
      }
      byte[] body = body(ctx);
      Payment payment = PaymentHeader.parse(auth, descriptor(ctx, "POST", target(ctx), body));
      byte[] fingerprint = recoverFingerprint(body);
      VendorState st = state.get();
      Recovery r = knowingNewLicences(st, () -> st.purchases.recover(payment, fingerprint));
      Map<String, Object> answer = new LinkedHashMap<>();
      answer.put("state", r.state().wireName());
      answer.put("scrip_id", r.scrip().id().toString());
      answer.put("price_millicents", r.priceMillicents());
      if (r.state() == Recovery.State.SPENT) {
        st.exchanges
            .outputsOf(fingerprint)
            .ifPresent(outs -> answer.put("scrip", outs.stream().map(Scrip::token).toList()));
      }
      byte[] out = json.writeValueAsBytes(answer);
      StringBuilder receipt =
          new StringBuilder("Millicent v=")
              .append(PaymentHeader.VERSION)
              .append(", variant=signed, price=")
              .append(r.priceMillicents());
      r.change().ifPresent(c -> receipt.append(", change=").append(c.token()));
      receipt
          .append(", mac=")
          .append(Base64Url.encode(r.replyMac(200, RequestDescriptor.digest(out))));
      ctx.status(200);
      ctx.header("Cache-Control", "no-store");
      ctx.header(RECEIPT, receipt.toString());
      ctx.contentType("application/json").result(out);
      kind = Kind.API;
    } catch (IOException e) {
      problems.write(ctx, new ProblemException(ProblemCode.INTERNAL, "cannot write JSON", e), -1);
    } catch (RuntimeException e) {
      problems.write(ctx, e, -1);
    } finally {
      metrics.request(kind, System.nanoTime() - t0);
    }
  }

  private byte[] recoverFingerprint(byte[] body) {
    try {
      JsonNode root = json.readTree(body);
      JsonNode fp = root == null ? null : root.get("fingerprint");
      if (fp == null || !fp.isTextual()) {
        throw new ProblemException(
            ProblemCode.BAD_REQUEST,
            "recover body must be {\"fingerprint\": \"<base64url request MAC>\"}");
      }
      byte[] b = Base64Url.decode(fp.asText());
      if (b.length == 0 || b.length > 64) {
        throw new ProblemException(ProblemCode.BAD_REQUEST, "fingerprint must be 1..64 bytes");
      }
      return b;
    } catch (IOException | IllegalArgumentException e) {
      throw new ProblemException(
          ProblemCode.BAD_REQUEST, "recover body is not as documented: " + e.getMessage(), e);
    }
  }

  /** The body of {@code POST /millicent/exchange}. */
  record ExchangeRequest(List<byte[]> inputs, ExchangeService.Operation operation) {
    static ExchangeRequest parse(ObjectMapper json, byte[] body) {
      JsonNode root;
      try {
        root = json.readTree(body);
      } catch (IOException e) {
        throw new ProblemException(
            ProblemCode.BAD_REQUEST, "exchange body is not JSON: " + e.getMessage(), e);
      }
      if (root == null || !root.isObject()) {
        throw new ProblemException(ProblemCode.BAD_REQUEST, "exchange body must be a JSON object");
      }
      JsonNode scrip = root.get("scrip");
      if (scrip == null || !scrip.isArray() || scrip.isEmpty()) {
        throw new ProblemException(
            ProblemCode.BAD_REQUEST, "exchange body needs \"scrip\": a list of scrip tokens");
      }
      if (scrip.size() > ExchangeService.MAX_PIECES) {
        throw new ProblemException(
            ProblemCode.BAD_REQUEST,
            "an exchange takes at most " + ExchangeService.MAX_PIECES + " pieces of scrip");
      }
      List<byte[]> inputs = new ArrayList<>();
      for (JsonNode t : scrip) {
        if (!t.isTextual()) {
          throw new ProblemException(
              ProblemCode.BAD_REQUEST, "\"scrip\" must list tokens (strings), found " + t);
        }
        inputs.add(ScripCodec.encode(ScripCodec.fromToken(t.asText())));
      }
      String op = root.path("operation").asText("");
      ExchangeService.Operation operation =
          switch (op) {
            case "renew" -> new ExchangeService.Renew();
            case "merge" -> new ExchangeService.Merge();
            case "split" -> new ExchangeService.Split(amounts(root.get("amounts_millicents")));
            default ->
                throw new ProblemException(
                    ProblemCode.BAD_REQUEST,
                    "\"operation\" must be renew, split or merge, found \"" + op + '"');
          };
      return new ExchangeRequest(inputs, operation);
    }

    private static List<Long> amounts(JsonNode n) {
      if (n == null || !n.isArray() || n.isEmpty()) {
        throw new ProblemException(
            ProblemCode.BAD_REQUEST, "split needs \"amounts_millicents\": a list of integers");
      }
      List<Long> out = new ArrayList<>();
      for (JsonNode a : n) {
        if (!a.isIntegralNumber() || !a.canConvertToLong()) {
          throw new ProblemException(
              ProblemCode.BAD_REQUEST, "\"amounts_millicents\" must hold integers, found " + a);
        }
        out.add(a.asLong());
      }
      if (out.size() > ExchangeService.MAX_PIECES) {
        throw new ProblemException(
            ProblemCode.BAD_REQUEST,
            "split takes at most " + ExchangeService.MAX_PIECES + " amounts");
      }
      return out;
    }
  }
}
