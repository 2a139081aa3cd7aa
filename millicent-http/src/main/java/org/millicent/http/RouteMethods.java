package org.millicent.http;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Handler;
import io.javalin.http.HandlerType;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;

/**
 * The fixed routes of a server and the methods each answers, so that a request no route takes is
 * told apart: {@code 404 not-found} when no route serves its path, {@code 405 method-not-allowed}
 * with an {@code Allow} header when routes serve the path with other methods (docs/HTTP-API.md).
 * Routes are added through it, so the table is the routing. Every GET route also answers HEAD:
 * without a HEAD route of its own, Javalin answers a HEAD for a GET route with an empty 200 without
 * running the handler (so its authentication), or the vendor's catch-all takes it. Path patterns
 * are Javalin's: a {@code {name}} segment matches one non-empty segment. Thread-safe; routes are
 * added while the server is configured.
 */
public final class RouteMethods {
  /** The order methods are listed in {@code Allow}. */
  private static final List<String> ORDER =
      List.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE");

  private record Route(String method, Pattern path) {}

  private final List<Route> table = new CopyOnWriteArrayList<>();

  /** An empty table. */
  public RouteMethods() {}

  /**
   * Adds {@code handler} to {@code routes} for GET and HEAD at {@code path} (the servlet sends no
   * body for HEAD).
   */
  public void get(RoutesConfig routes, String path, Handler handler) {
    add(routes, HandlerType.GET, path, handler);
    add(routes, HandlerType.HEAD, path, handler);
  }

  /** Adds {@code handler} to {@code routes} for POST at {@code path}. */
  public void post(RoutesConfig routes, String path, Handler handler) {
    add(routes, HandlerType.POST, path, handler);
  }

  /** Adds {@code handler} to {@code routes} for DELETE at {@code path}. */
  public void delete(RoutesConfig routes, String path, Handler handler) {
    add(routes, HandlerType.DELETE, path, handler);
  }

  private void add(RoutesConfig routes, HandlerType method, String path, Handler handler) {
    routes.addHttpHandler(method, path, handler);
    table.add(new Route(method.name(), compile(path)));
  }

  /** The methods the fixed routes answer at {@code path} (a request's path, not yet decoded). */
  public Set<String> allowed(String path) {
    Set<String> out = new TreeSet<>(RouteMethods::compare);
    String p =
        path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    for (Route r : table) {
      if (r.path().matcher(p).matches()) {
        out.add(r.method());
      }
    }
    return out;
  }

  /**
   * The value of an {@code Allow} header for {@code methods}, in a fixed order (GET, HEAD, POST,
   * PUT, PATCH, DELETE, then others alphabetically).
   */
  public static String allowHeader(Collection<String> methods) {
    List<String> sorted = new ArrayList<>(methods);
    sorted.sort(RouteMethods::compare);
    return String.join(", ", sorted);
  }

  private static int compare(String a, String b) {
    int ia = ORDER.indexOf(a);
    int ib = ORDER.indexOf(b);
    if (ia >= 0 && ib >= 0) {
      return Integer.compare(ia, ib);
    }
    if (ia >= 0 || ib >= 0) {
      return ia >= 0 ? -1 : 1;
    }
    return a.compareTo(b);
  }

  /** The pattern of a route path (which starts with {@code /}). */
  private static Pattern compile(String path) {
    StringBuilder re = new StringBuilder();
    for (String segment : path.substring(1).split("/", -1)) {
      re.append('/')
          .append(
              segment.startsWith("{") && segment.endsWith("}") ? "[^/]+" : Pattern.quote(segment));
    }
    return Pattern.compile(re.toString());
  }
}
