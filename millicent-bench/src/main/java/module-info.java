/**
 * The {@code millicent bench} workloads, which the command line finds as a {@code Callable}
 * service. Exports nothing: the JMH benchmarks (millicent-benchmarks) run the same workloads from
 * the class path.
 */
// Micrometer names its automatic modules in its manifests.
@SuppressWarnings("requires-automatic")
module org.millicent.bench {
  requires static org.jspecify;
  requires org.millicent.vendor;
  requires org.millicent.broker;
  requires info.picocli;
  requires com.fasterxml.jackson.databind;
  requires micrometer.core;
  requires java.net.http;
  requires java.management;

  // picocli sets the options of the bench commands by reflection.
  opens org.millicent.bench to
      info.picocli;

  provides java.util.concurrent.Callable with
      org.millicent.bench.BenchCommand;
}
