package org.millicent.servlet;

import io.javalin.Javalin;
import io.javalin.http.servlet.JavalinServlet;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServlet;
import java.io.IOException;
import org.jspecify.annotations.Nullable;
import org.millicent.vendor.MillicentGateway;

/**
 * The vendor's protocol endpoints in a servlet container (docs/SERVLET.md): {@code GET
 * /.well-known/millicent} (the manifest), {@code POST /millicent/exchange} and {@code
 * /millicent/recover} (a wallet's change and recovery), the JavaScript client under {@code
 * /millicent/client/}, and the broker and admin endpoints under {@code /millicent/broker/} and
 * {@code /millicent/admin/} (licences, keys). Map it at {@code /millicent/*} and {@code
 * /.well-known/millicent}.
 *
 * <p>It is the gateway's own Javalin routing ({@link MillicentGateway#install}), run by Javalin's
 * plain servlet ({@link JavalinServlet}, without Jetty's WebSocket layer), so each endpoint answers
 * exactly as in a server of the gateway's own. Javalin matches the path after the web application's
 * context path. The gateway is mounted once: one instance per gateway.
 */
public final class MillicentEndpoints extends HttpServlet {
  private static final long serialVersionUID = 1L;

  private final transient MillicentGateway gateway;
  private transient @Nullable JavalinServlet javalin;

  /** The endpoints of {@code gateway}. */
  public MillicentEndpoints(MillicentGateway gateway) {
    this.gateway = gateway;
  }

  @Override
  public void init() throws ServletException {
    String contextPath = getServletContext().getContextPath();
    Javalin app =
        Javalin.create(
            cfg -> {
              cfg.startup.showJavalinBanner = false;
              cfg.router.contextPath = contextPath.isEmpty() ? "/" : contextPath;
              gateway.install(cfg);
            });
    JavalinServlet servlet = new JavalinServlet(app.unsafe);
    servlet.init(getServletConfig());
    javalin = servlet;
  }

  @Override
  public void service(ServletRequest req, ServletResponse res)
      throws ServletException, IOException {
    JavalinServlet servlet = javalin;
    if (servlet == null) {
      throw new ServletException("MillicentEndpoints is not initialised");
    }
    servlet.service(req, res);
  }

  @Override
  public void destroy() {
    JavalinServlet servlet = javalin;
    if (servlet != null) {
      servlet.destroy();
    }
  }

  @Override
  public String toString() {
    return "MillicentEndpoints[" + gateway + "]";
  }
}
