package org.millicent.http;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The files an operator's dashboard page loads, served by the server itself from its jar (no CDN,
 * docs/HTTP-API.md, "Dashboards"): the chart library uPlot (from the {@code org.webjars.npm:uplot}
 * jar), its style sheet, and the dashboards' own script and style sheet. Free, like the OpenAPI
 * description: none holds a secret. Also the headers every dashboard page carries. Immutable and
 * thread-safe.
 */
public final class DashboardAssets {
  /**
   * The policy of every dashboard page: scripts, styles and everything else from this server only,
   * no inline script or style, no framing, no form posts, no base rewriting.
   */
  public static final String CONTENT_SECURITY_POLICY =
      "default-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none';"
          + " object-src 'none'";

  private static final String UPLOT = "/META-INF/resources/webjars/uplot/1.6.30/dist/";

  private record Asset(String resource, String type) {}

  /** Each name under the prefix, with its resource and media type. */
  private static final Map<String, Asset> ASSETS =
      Map.of(
          "uplot.js", new Asset(UPLOT + "uPlot.iife.min.js", "text/javascript;charset=utf-8"),
          "uplot.css", new Asset(UPLOT + "uPlot.min.css", "text/css;charset=utf-8"),
          "dashboard.js",
              new Asset("/org/millicent/http/dashboard.js", "text/javascript;charset=utf-8"),
          "dashboard.css",
              new Asset("/org/millicent/http/dashboard.css", "text/css;charset=utf-8"));

  private final Map<String, byte[]> bytes;

  private DashboardAssets(Map<String, byte[]> bytes) {
    this.bytes = bytes;
  }

  /**
   * Adds GET and HEAD {@code prefix/{asset}} through {@code fixed}; an unknown name answers {@code
   * 404}. A jar without an asset is a build error, so it fails here.
   *
   * @throws IllegalStateException when an asset is missing from the class path
   */
  public static void addRoutes(RouteMethods fixed, RoutesConfig routes, String prefix) {
    DashboardAssets a = load();
    fixed.get(routes, prefix + "/{asset}", a::serve);
  }

  /** The names served under the prefix. */
  public static Set<String> names() {
    return ASSETS.keySet();
  }

  /**
   * The assets read from the class path, for a server that is not a Javalin app (the wallet proxy's
   * page serves uPlot from here too).
   *
   * @throws IllegalStateException when an asset is missing from the class path
   */
  public static DashboardAssets load() {
    Map<String, byte[]> out = new HashMap<>();
    for (var e : ASSETS.entrySet()) {
      try (InputStream in = open(e.getValue().resource())) {
        if (in == null) {
          throw new IllegalStateException(
              "the class path lacks " + e.getValue().resource() + " (a dashboard asset)");
        }
        out.put(e.getKey(), in.readAllBytes());
      } catch (IOException x) {
        throw new UncheckedIOException(x);
      }
    }
    return new DashboardAssets(Map.copyOf(out));
  }

  /**
   * This module's own assets through its class; uPlot's through the class loader, since in a named
   * module a class finds only its own module's resources (META-INF is no package, so the loader may
   * hand out uPlot's files).
   */
  private static @Nullable InputStream open(String resource) {
    return resource.startsWith(UPLOT)
        ? DashboardAssets.class.getClassLoader().getResourceAsStream(resource.substring(1))
        : DashboardAssets.class.getResourceAsStream(resource);
  }

  /**
   * The bytes of the asset {@code name} (one of {@link #names()}), a copy.
   *
   * @throws IllegalArgumentException when no asset has that name
   */
  public byte[] bytes(String name) {
    byte[] b = bytes.get(name);
    if (b == null) {
      throw new IllegalArgumentException("no dashboard asset " + name);
    }
    return b.clone();
  }

  /**
   * The media type of the asset {@code name} (one of {@link #names()}).
   *
   * @throws IllegalArgumentException when no asset has that name
   */
  public static String type(String name) {
    Asset a = ASSETS.get(name);
    if (a == null) {
      throw new IllegalArgumentException("no dashboard asset " + name);
    }
    return a.type();
  }

  private void serve(Context ctx) {
    String name = ctx.pathParam("asset");
    Asset asset = ASSETS.get(name);
    if (asset == null) {
      HttpRefusal r = HttpRefusal.NOT_FOUND;
      ProblemDocument.write(ctx, r.status(), r.code(), r.title(), r.detail(404, null));
      return;
    }
    ctx.header("Cache-Control", "public, max-age=3600")
        .header("X-Content-Type-Options", "nosniff")
        .contentType(asset.type())
        .result(bytes.get(name));
  }

  /**
   * Sets the headers of a dashboard page on {@code ctx}: the {@link #CONTENT_SECURITY_POLICY}, no
   * caching (it shows the books), no referrer, no sniffing, and the HTML media type.
   */
  public static void pageHeaders(Context ctx) {
    ctx.header("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        .header("Cache-Control", "no-store")
        .header("Referrer-Policy", "no-referrer")
        .header("X-Content-Type-Options", "nosniff")
        .contentType(Html.TYPE);
  }
}
