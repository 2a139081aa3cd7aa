/**
 * The HTTP layer the vendor and the broker share: RFC 9457 problem documents, the payment-failure
 * statuses, the access guard, Jetty's refusals and timeouts, CORS, the OpenAPI endpoint and the
 * dashboards' page and assets, and the reader of both servers' YAML configuration values.
 */
module org.millicent.http {
  requires static transitive org.jspecify;
  requires transitive org.millicent.core;
  requires transitive io.javalin;
  requires transitive com.fasterxml.jackson.databind; // YamlValues reads JsonNode values

  exports org.millicent.http;
  exports org.millicent.http.config;
}
