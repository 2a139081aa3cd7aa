package org.millicent.servlet;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import java.nio.file.Path;
import java.util.EnumSet;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/** The filter in embedded Jetty 12 (ee10 servlet), as docs/SERVLET.md sets it up. */
class JettyFilterIT extends FilterContract {
  @Override
  Container start(MillicentFilter filter, MillicentEndpoints endpoints, ShopServlet app, Path dir)
      throws Exception {
    Server server = jetty(filter, endpoints, new ServletHolder("shop", app));
    return new StartedContainer(() -> port(server), server::stop);
  }

  /**
   * A started Jetty on a loopback port (any) with {@code filter} on {@code /*} (after the filters
   * {@code before}, in order), {@code endpoints} at {@code /millicent/*} and {@code
   * /.well-known/millicent}, and {@code app} at {@code /}.
   */
  static Server jetty(
      MillicentFilter filter, MillicentEndpoints endpoints, ServletHolder app, Filter... before)
      throws Exception {
    Server server = new Server();
    HttpConfiguration http = new HttpConfiguration();
    http.setRequestHeaderSize(32 * 1024); // a payment header may be 16 KiB
    http.setUriCompliance(UriCompliance.RFC3986);
    ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(http));
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    server.addConnector(connector);
    ServletContextHandler context = new ServletContextHandler("/");
    for (Filter f : before) {
      context.addFilter(new FilterHolder(f), "/*", EnumSet.of(DispatcherType.REQUEST));
    }
    context.addFilter(new FilterHolder(filter), "/*", EnumSet.of(DispatcherType.REQUEST));
    ServletHolder millicent = new ServletHolder("millicent", endpoints);
    context.addServlet(millicent, "/millicent/*");
    context.addServlet(millicent, "/.well-known/millicent");
    context.addServlet(app, "/");
    server.setHandler(context);
    server.start();
    return server;
  }

  /** The port {@code server} (from {@link #jetty}) listens on. */
  static int port(Server server) {
    return ((ServerConnector) server.getConnectors()[0]).getLocalPort();
  }
}
