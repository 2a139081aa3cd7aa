package org.millicent.servlet;

import java.nio.file.Path;
import org.apache.catalina.Context;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.util.descriptor.web.FilterDef;
import org.apache.tomcat.util.descriptor.web.FilterMap;

/** The filter in embedded Tomcat 11, as docs/SERVLET.md sets it up. */
class TomcatFilterIT extends FilterContract {
  @Override
  Container start(MillicentFilter filter, MillicentEndpoints endpoints, ShopServlet app, Path dir)
      throws Exception {
    Tomcat tomcat = new Tomcat();
    tomcat.setBaseDir(dir.resolve("tomcat").toString());
    Connector connector = new Connector();
    connector.setPort(0);
    connector.setProperty("address", "127.0.0.1");
    connector.setProperty("maxHttpHeaderSize", Integer.toString(32 * 1024));
    tomcat.setConnector(connector);
    Context context = tomcat.addContext("", null);
    Tomcat.addServlet(context, "millicent", endpoints);
    context.addServletMapping("/millicent/*", "millicent");
    context.addServletMapping("/.well-known/millicent", "millicent");
    Tomcat.addServlet(context, "shop", app);
    context.addServletMapping("/", "shop");
    FilterDef def = new FilterDef();
    def.setFilterName("millicent");
    def.setFilter(filter);
    context.addFilterDef(def);
    FilterMap map = new FilterMap();
    map.setFilterName("millicent");
    map.addURLPattern("/*");
    context.addFilterMap(map);
    tomcat.start();
    return new StartedContainer(
        connector::getLocalPort,
        () -> {
          tomcat.stop();
          tomcat.destroy();
        });
  }
}
