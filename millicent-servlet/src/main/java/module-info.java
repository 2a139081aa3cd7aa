/**
 * The vendor in a Jakarta Servlet 6 application: {@code MillicentFilter} sells the application's
 * own paths, {@code MillicentEndpoints} serves the gateway's protocol endpoints in the container.
 */
module org.millicent.servlet {
  requires static transitive org.jspecify;
  requires transitive org.millicent.vendor; // MillicentGateway, VerifiedPayment in the API
  requires transitive jakarta.servlet; // the container's; the filter and servlet are its types
  requires io.javalin; // MillicentEndpoints runs the gateway's routes in Javalin's servlet
  requires org.slf4j;

  exports org.millicent.servlet;
}
