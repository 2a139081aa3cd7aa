package org.millicent.vendor;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.EnumMap;
import java.util.Map;
import java.util.function.Supplier;
import org.millicent.protocol.Variant;
import org.millicent.storage.vendor.DurableSpendRecorder;

/**
 * The vendor's Prometheus metrics: requests and their latency by kind, payments by variant,
 * rejections by problem code, revenue in millicents and the spent-list size, plus the process's CPU
 * time, memory and threads (Micrometer's JVM binders). Every meter is created at start, so the hot
 * path only increments. Thread-safe.
 */
final class VendorMetrics {
  /** What a request was, for the request counter and latency timer. */
  enum Kind {
    FREE("free"),
    PAID("paid"),
    REJECTED("rejected"),
    EXCHANGE("exchange"),
    API("api");

    private final String tag;

    Kind(String tag) {
      this.tag = tag;
    }
  }

  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final Map<Kind, Timer> latency = new EnumMap<>(Kind.class);
  private final Map<Variant, Counter> payments = new EnumMap<>(Variant.class);
  private final Map<ProblemCode, Counter> rejections = new EnumMap<>(ProblemCode.class);
  private final Counter revenue;
  private final Counter replays;

  /** Held here: a function counter keeps only a weak reference to its state. */
  private final Supplier<DurableSpendRecorder.Stats> spendStats;

  VendorMetrics(
      String vendor,
      Supplier<Number> spentListSize,
      Supplier<DurableSpendRecorder.Stats> spendStats) {
    this.spendStats = spendStats;
    registry.config().commonTags("vendor", vendor);
    for (Kind k : Kind.values()) {
      latency.put(
          k,
          Timer.builder("millicent.vendor.requests")
              .description("Requests answered, by kind, and their latency")
              .tag("kind", k.tag)
              .publishPercentiles(0.5, 0.9, 0.99)
              .register(registry));
    }
    for (Variant v : Variant.values()) {
      payments.put(
          v,
          Counter.builder("millicent.vendor.payments")
              .description("Payments accepted (committed), by variant")
              .tag("variant", v.wireName())
              .register(registry));
    }
    for (ProblemCode c : ProblemCode.values()) {
      rejections.put(
          c,
          Counter.builder("millicent.vendor.rejections")
              .description("Requests answered with a problem, by code")
              .tag("code", c.code())
              .register(registry));
    }
    revenue =
        Counter.builder("millicent.vendor.revenue.millicents")
            .description("Millicents charged for delivered resources")
            .register(registry);
    replays =
        Counter.builder("millicent.vendor.replays")
            .description("Identical retries answered with the change issued the first time")
            .register(registry);
    Gauge.builder("millicent.vendor.spent.list.size", spentListSize)
        .description("Spent scrip IDs held in the spent list")
        .register(registry);
    FunctionCounter.builder(
            "millicent.vendor.spend.batches",
            spendStats,
            s -> s.get() == null ? 0 : s.get().commitBatches())
        .description("Group-commit batches written: each is one transaction and one fsync")
        .register(registry);
    FunctionCounter.builder(
            "millicent.vendor.spend.batched",
            spendStats,
            s -> s.get() == null ? 0 : s.get().commits())
        .description("Spends written in group-commit batches (divide by batches: spends per fsync)")
        .register(registry);
    // The process's own CPU time, memory and threads: what a request costs the server, as
    // `millicent bench vendor` reads it at each phase boundary.
    new ProcessorMetrics().bindTo(registry);
    new JvmMemoryMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
  }

  void request(Kind kind, long nanos) {
    latency.get(kind).record(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
  }

  void paid(Variant variant, long priceMillicents, boolean replay) {
    if (replay) {
      replays.increment();
      return;
    }
    payments.get(variant).increment();
    revenue.increment(priceMillicents);
  }

  void rejected(ProblemCode code) {
    rejections.get(code).increment();
  }

  /** The Prometheus text exposition. */
  String scrape() {
    return registry.scrape();
  }

  void close() {
    registry.close();
  }
}
