/**
 * The broker: accounts, double-entry books, issuing, sales, supply from licensed and warehouse
 * vendors, settlements, its HTTP routes and stores. Exports the server and the packages of the
 * values its API hands out (accounts and statements, book totals, licences); its routes, dashboard,
 * issuing and stores stay inside.
 */
// Micrometer (in the API: MeterRegistry) names its automatic modules in its manifests.
@SuppressWarnings({"requires-automatic", "requires-transitive-automatic"})
module org.millicent.broker {
  requires static transitive org.jspecify;
  requires transitive org.millicent.core;
  requires transitive org.millicent.storage;
  requires transitive org.millicent.http;
  requires transitive micrometer.core;
  requires micrometer.registry.prometheus;
  requires com.fasterxml.jackson.databind;
  requires com.fasterxml.jackson.dataformat.yaml;
  requires java.net.http;
  requires org.slf4j;

  exports org.millicent.broker;
  exports org.millicent.broker.accounts;
  exports org.millicent.broker.books;
  exports org.millicent.broker.supply;
}
