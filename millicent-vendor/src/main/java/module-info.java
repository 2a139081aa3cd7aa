/**
 * The vendor gateway: its server and the embeddable {@code MillicentGateway}, its configuration,
 * licences and keys, content sources and stores. Exports the server and its configuration; the
 * stores only to the benchmark workloads, which drive them directly.
 */
// Micrometer (in the API: MeterRegistry) names its automatic modules in its manifests.
// "module": the qualified exports name org.millicent.bench, which sit above this module and so are
// not there when it compiles.
@SuppressWarnings({"requires-automatic", "requires-transitive-automatic", "module"})
module org.millicent.vendor {
  requires static transitive org.jspecify;
  requires transitive org.millicent.core;
  requires transitive org.millicent.storage;
  requires transitive org.millicent.http;
  requires transitive micrometer.core;
  requires micrometer.registry.prometheus;
  requires com.fasterxml.jackson.databind;
  requires com.fasterxml.jackson.dataformat.yaml;
  requires java.management;
  requires java.net.http;
  requires org.slf4j;

  exports org.millicent.vendor;
  exports org.millicent.vendor.config;
  exports org.millicent.vendor.store to
      org.millicent.bench;
}
