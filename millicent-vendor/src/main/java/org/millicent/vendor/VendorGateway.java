package org.millicent.vendor;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import jakarta.servlet.http.HttpServletRequest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntFunction;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.millicent.failure.UnknownKeyException;
import org.millicent.http.ClientFaults;
import org.millicent.http.Cors;
import org.millicent.http.FailureText;
import org.millicent.http.RouteMethods;
import org.millicent.protocol.Authority;
import org.millicent.protocol.PublicOrigins;
import org.millicent.protocol.RequestDescriptor;
import org.millicent.vendor.VendorMetrics.Kind;
import org.millicent.vendor.config.Price;
import org.millicent.vendor.config.VendorConfig;
import org.millicent.vendor.content.ContentSource;

/**
 * The customer-facing HTTP side of the vendor (docs/HTTP-API.md, "Vendor gateway"): its routes, the
 * manifest, the JavaScript client, CORS and the refusal of what it does not serve, and what every
 * paid request is bound to (its public origin, target and body). The content and its sale are
 * {@link ContentSales}; the exchange and recovery endpoints {@link ExchangeEndpoints}.
 *
 * <p>Thread-safe: all state is in the thread-safe services.
 */
final class VendorGateway {
  private final Catalogue catalogue;
  private final ContentSource content;
  private final Problems problems;
  private final VendorMetrics metrics;
  private volatile byte[] manifest;
  private final IntFunction<PublicOrigins> originsAtPort;
  private final RouteMethods fixedRoutes;
  private final ClientFiles client;
  private final Map<Integer, PublicOrigins> origins = new ConcurrentHashMap<>();
  private final ContentSales sales;

  /** The signed headers a paid request forwarded to the origin carries (docs/ORIGIN.md). */
  final OriginPaidHeaders paidHeaders;

  private final ExchangeEndpoints exchanges;
  private final Checkout checkout;

  VendorGateway(
      Catalogue catalogue,
      ContentSource content,
      boolean forwardHeaders,
      OriginPaidHeaders paidHeaders,
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
    this.problems = problems;
    this.metrics = metrics;
    this.manifest = manifest;
    this.originsAtPort = originsAtPort;
    this.fixedRoutes = fixedRoutes;
    this.client = client;
    this.paidHeaders = paidHeaders;
    this.checkout = new Checkout(this, catalogue, state, problems, metrics, random);
    this.sales =
        new ContentSales(
            this, checkout, catalogue, content, forwardHeaders, state, problems, metrics);
    this.exchanges = new ExchangeEndpoints(this, state, problems, metrics, json, random);
  }

  /** The sale of a request, for an application that answers its priced paths itself. */
  Checkout checkout() {
    return checkout;
  }

  /**
   * Adds the customer-facing routes, each resolving its gateway through {@code self} per request,
   * the content handler at {@code contentPaths} (Javalin path patterns; {@code /*} for a catch-all,
   * which comes last so that routes added before win). A request with two Authorization headers, a
   * Millicent Authorization over 16 384 characters or a malformed percent-escape in its path is
   * refused before any route (the vendor's broker endpoints included): before every route with a
   * catch-all, else before the gateway's own paths only (an embedder's routes are not screened).
   */
  static void addRoutes(
      RouteMethods fixed,
      RoutesConfig routes,
      Supplier<VendorGateway> self,
      List<String> contentPaths) {
    if (contentPaths.contains("/*")) {
      routes.before(ctx -> self.get().screen(ctx));
    } else {
      for (String p : screenedPaths(contentPaths)) {
        routes.before(p, ctx -> self.get().screen(ctx));
      }
    }
    fixed.get(routes, "/.well-known/millicent", ctx -> self.get().manifest(ctx));
    fixed.post(routes, "/millicent/exchange", ctx -> self.get().exchanges.exchange(ctx));
    fixed.post(routes, "/millicent/recover", ctx -> self.get().exchanges.recover(ctx));
    fixed.get(routes, ClientFiles.PATH + "{file}", ctx -> self.get().clientModule(ctx));
    for (String method : Catalogue.ANY_METHOD) {
      HandlerType t = HandlerType.findOrCreate(method);
      for (String p : contentPaths) {
        routes.addHttpHandler(t, p, ctx -> self.get().sales.content(ctx));
      }
    }
  }

  /**
   * The Javalin paths that reach the gateway's content handler: each price or free path, up to its
   * first segment with a wildcard ({@code /pages/*.html} is routed as {@code /pages/*}); the
   * catalogue then decides within them as in a server of its own.
   */
  static List<String> contentPaths(VendorConfig config) {
    Set<String> patterns = new LinkedHashSet<>(config.freePaths());
    for (Price p : config.prices()) {
      patterns.add(p.path());
    }
    Set<String> out = new LinkedHashSet<>();
    for (String pattern : patterns) {
      int star = pattern.indexOf('*');
      out.add(star < 0 ? pattern : pattern.substring(0, pattern.lastIndexOf('/', star) + 1) + "*");
    }
    return new ArrayList<>(out);
  }

  private static List<String> screenedPaths(List<String> contentPaths) {
    List<String> out = new ArrayList<>(List.of("/.well-known/millicent", "/millicent/*"));
    out.addAll(contentPaths);
    return out;
  }

  /**
   * The checks every request to the gateway passes first (see {@link #addRoutes}), then the answer
   * to a CORS preflight for what the gateway serves there, so that a server of its own and an app
   * it is mounted in answer preflights alike: no route runs after it.
   */
  private void screen(Context ctx) {
    // First, so that every refusal on these paths can be read by a page too.
    if (isCorsPath(ctx.req().getRequestURI())) {
      Cors.allow(ctx.res(), EXPOSE);
    }
    ClientFaults.checkAuthorizationLength(ctx.req());
    if (ClientFaults.repeatsAuthorization(ctx.req())) {
      throw new ProblemException(
          ProblemCode.BAD_REQUEST, "a request may carry only one Authorization header");
    }
    if (ClientFaults.hasMalformedEscape(ctx.req().getRequestURI())) {
      throw new ProblemException(
          ProblemCode.BAD_REQUEST, "the request path has a % not followed by two hex digits");
    }
    if (Cors.isPreflight(ctx.req())) {
      String methods = preflightMethods(ctx);
      if (methods != null) {
        Cors.preflight(ctx.res(), methods, EXPOSE);
        ctx.status(204);
        ctx.skipRemainingHandlers();
      }
    }
  }

  /**
   * Answers a request that no route took (a method the catch-all does not route: OPTIONS but a
   * preflight {@link #screen} answered, TRACE, CONNECT or one of the client's own): {@code 405
   * method-not-allowed} with {@code Allow} when the target is served with other methods, else
   * {@code 404 not-found}.
   */
  void notRouted(Context ctx) {
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
  private @Nullable String preflightMethods(Context ctx) {
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
  ProblemException notOffered(Context ctx, String method, String path) {
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

  /** Serves {@code manifest} from now on (the application listed its own prices). */
  void manifest(byte[] manifest) {
    this.manifest = manifest;
  }

  private void manifest(Context ctx) {
    long t0 = System.nanoTime();
    ctx.contentType("application/json").result(manifest);
    metrics.request(Kind.API, System.nanoTime() - t0);
  }

  /**
   * Runs a payment step; one refused as {@code unknown-key} runs once more if the licences changed
   * at another replica meanwhile (a licence just issued there). Safe to repeat: a key is checked
   * before anything is claimed, spent or minted.
   */
  static <T> T knowingNewLicences(VendorState st, Supplier<T> step) {
    try {
      return step.get();
    } catch (UnknownKeyException e) {
      if (!st.licences.refreshForUnknownKey()) {
        throw e;
      }
      return step.get();
    }
  }

  /** The request target exactly as sent: raw path and raw query. */
  static String target(Context ctx) {
    return target(ctx.req());
  }

  /** The request target exactly as sent: raw path and raw query. */
  static String target(HttpServletRequest req) {
    String q = req.getQueryString();
    String path = req.getRequestURI();
    return q == null ? path : path + "?" + q;
  }

  /**
   * What a payment for this request must be bound to: the public origin the request addressed
   * (docs/PROTOCOL.md, "Authority"), method, target and body digest.
   *
   * @throws ProblemException {@code unknown-authority} when the request's Host names none of the
   *     vendor's public origins (nothing is consumed: no payment is looked at)
   */
  RequestDescriptor descriptor(Context ctx, String method, String target, byte[] body) {
    return descriptor(ctx.req(), method, target, body);
  }

  /** As {@link #descriptor(Context, String, String, byte[])}, for a servlet request. */
  RequestDescriptor descriptor(HttpServletRequest req, String method, String target, byte[] body) {
    Authority authority = addressed(req);
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
  private Authority addressed(HttpServletRequest req) {
    String scheme = req.getScheme();
    PublicOrigins known = origins.computeIfAbsent(req.getLocalPort(), originsAtPort::apply);
    String host = req.getHeader("Host");
    if (host == null) {
      host = req.getServerName() + ":" + req.getServerPort();
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
}
