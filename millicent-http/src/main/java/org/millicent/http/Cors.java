package org.millicent.http;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Cross-origin resource sharing for the customer-facing endpoints of both servers
 * (docs/HTTP-API.md, "Browsers and CORS"), so that a page on any origin can pay with the JavaScript
 * client. Any origin is allowed ({@code *}): no endpoint uses cookies or other ambient credentials,
 * every payment and account request is authenticated by a MAC the page computes itself, so a page
 * can do no more through CORS than a script outside a browser. Admin and broker-facing endpoints
 * never get these headers (a web page must never drive them). Stateless and thread-safe.
 */
public final class Cors {
  /** How long a browser may cache a preflight's answer, in seconds. */
  public static final int MAX_AGE_SECONDS = 600;

  /** The request headers a page may send. */
  public static final String ALLOW_HEADERS = "authorization, content-type";

  /** The methods the fixed customer endpoints answer. */
  public static final String ALLOW_METHODS = "GET, POST";

  /** The response headers a page may read, besides the CORS-safelisted ones. */
  public static final String EXPOSE_HEADERS = "millicent-receipt, www-authenticate, retry-after";

  private Cors() {}

  /**
   * Whether {@code req} is a CORS preflight: {@code OPTIONS} with {@code
   * Access-Control-Request-Method}. A plain OPTIONS is not one, and is answered as before.
   */
  public static boolean isPreflight(HttpServletRequest req) {
    return "OPTIONS".equals(req.getMethod())
        && req.getHeader("Access-Control-Request-Method") != null;
  }

  /**
   * Adds the headers of an actual (not preflight) response: any origin may read it, and the
   * Millicent headers in {@code expose}.
   */
  public static void allow(HttpServletResponse res, String expose) {
    res.setHeader("Access-Control-Allow-Origin", "*");
    res.setHeader("Access-Control-Expose-Headers", expose);
  }

  /**
   * The headers of a preflight's answer (the caller answers 204 with no body): {@code methods} and
   * the {@link #ALLOW_HEADERS} are allowed from any origin, for {@link #MAX_AGE_SECONDS}.
   */
  public static void preflight(HttpServletResponse res, String methods, String expose) {
    allow(res, expose);
    res.setHeader("Access-Control-Allow-Methods", methods);
    res.setHeader("Access-Control-Allow-Headers", ALLOW_HEADERS);
    res.setHeader("Access-Control-Max-Age", Integer.toString(MAX_AGE_SECONDS));
  }
}
