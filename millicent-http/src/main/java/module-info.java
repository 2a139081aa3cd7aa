/**
 * The HTTP layer the vendor and the broker share: RFC 9457 problem documents, the payment-failure
 * statuses, the access guard, Jetty's refusals and timeouts, CORS, the OpenAPI endpoint and the
 * dashboards' page and assets.
 */
module org.millicent.http {
  requires static transitive org.jspecify;
  requires transitive org.millicent.core;
  requires transitive io.javalin;
  requires com.fasterxml.jackson.databind;

  exports org.millicent.http;
}
