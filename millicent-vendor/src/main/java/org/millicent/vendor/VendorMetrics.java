package org.millicent.vendor;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.millicent.money.Amounts;
import org.millicent.protocol.Variant;
import org.millicent.vendor.store.DurableSpendRecorder;

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

  /**
   * Where the vendor's own meters are made: the Prometheus registry above, and any registry added
   * by {@link #publishTo} (a Spring Boot application's), which gets these same meters.
   */
  private final CompositeMeterRegistry meters = new CompositeMeterRegistry();

  private final Map<Kind, Timer> latency = new EnumMap<>(Kind.class);
  private final Map<Variant, Counter> payments = new EnumMap<>(Variant.class);
  private final Map<ProblemCode, Counter> rejections = new EnumMap<>(ProblemCode.class);
  private final Counter revenue;
  private final Counter replays;
  private final VendorActivity activity;

  /**
   * Metrics of {@code vendor} that also count into {@code activity}, the dashboard's durable
   * counts. Held here: a function counter keeps only a weak reference to its state.
   */
  VendorMetrics(
      String vendor,
      Supplier<Number> spentListSize,
      Supplier<DurableSpendRecorder.Stats> spendStats,
      VendorActivity activity) {
    this.activity = activity;
    registry.config().commonTags("vendor", vendor);
    meters.add(registry);
    meters.config().commonTags("vendor", vendor);
    for (Kind k : Kind.values()) {
      latency.put(
          k,
          Timer.builder("millicent.vendor.requests")
              .description("Requests answered, by kind, and their latency")
              .tag("kind", k.tag)
              .publishPercentiles(0.5, 0.9, 0.99)
              .register(meters));
    }
    for (Variant v : Variant.values()) {
      payments.put(
          v,
          Counter.builder("millicent.vendor.payments")
              .description("Payments accepted (committed), by variant")
              .tag("variant", v.wireName())
              .register(meters));
    }
    for (ProblemCode c : ProblemCode.values()) {
      rejections.put(
          c,
          Counter.builder("millicent.vendor.rejections")
              .description("Requests answered with a problem, by code")
              .tag("code", c.code())
              .register(meters));
    }
    revenue =
        Counter.builder("millicent.vendor.revenue.millicents")
            .description("Millicents charged for delivered resources")
            .register(meters);
    replays =
        Counter.builder("millicent.vendor.replays")
            .description("Identical retries answered with the change issued the first time")
            .register(meters);
    Gauge.builder("millicent.vendor.spent.list.size", spentListSize)
        .description("Spent scrip IDs held in the spent list")
        .register(meters);
    FunctionCounter.builder(
            "millicent.vendor.spend.batches",
            spendStats,
            s -> s.get() == null ? 0 : s.get().commitBatches())
        .description("Group-commit batches written: each is one transaction and one fsync")
        .register(meters);
    FunctionCounter.builder(
            "millicent.vendor.spend.batched",
            spendStats,
            s -> s.get() == null ? 0 : s.get().commits())
        .description("Spends written in group-commit batches (divide by batches: spends per fsync)")
        .register(meters);
    // The process's own CPU time, memory and threads: what a request costs the server, as
    // `millicent bench vendor` reads it at each phase boundary.
    new ProcessorMetrics().bindTo(registry);
    new JvmMemoryMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
  }

  void request(Kind kind, long nanos) {
    meter(latency, kind).record(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
    if (kind == Kind.FREE) {
      activity.free();
    }
  }

  /**
   * Counts a paid answer to a request for the resource at {@code path} (its canonical path): a
   * payment accepted, or an identical retry answered again ({@code replay}, not counted as
   * revenue).
   */
  void paid(Variant variant, long priceMillicents, boolean replay, String path) {
    if (replay) {
      replays.increment();
      activity.replayed();
      return;
    }
    meter(payments, variant).increment();
    revenue.increment((double) priceMillicents);
    activity.paid(variant.wireName(), priceMillicents, path);
  }

  void rejected(ProblemCode code) {
    meter(rejections, code).increment();
    activity.refused(code.code());
  }

  /** The dashboard's counts, which these metrics feed. */
  VendorActivity activity() {
    return activity;
  }

  /** The meter of {@code key}: the constructor registers one for every value of each enum. */
  private static <K, M> M meter(Map<K, M> meters, K key) {
    M m = meters.get(key);
    if (m == null) {
      throw new IllegalStateException("no meter registered for " + key);
    }
    return m;
  }

  /**
   * One line on the payments since the last call, for a periodic INFO log line: payments accepted
   * and what they earned, identical retries answered again, offers (402 without payment) and
   * refusals by code. Empty when nothing happened, so an idle vendor logs nothing. Counts only: no
   * scrip, nonce or secret. Called by one thread at a time.
   */
  synchronized Optional<String> paymentSummary() {
    long paid = 0;
    for (Counter c : payments.values()) {
      paid += (long) c.count();
    }
    long earned = (long) revenue.count();
    long replayed = (long) replays.count();
    Map<ProblemCode, Long> refused = new EnumMap<>(ProblemCode.class);
    for (Map.Entry<ProblemCode, Counter> e : rejections.entrySet()) {
      refused.put(e.getKey(), (long) e.getValue().count());
    }
    Snapshot now = new Snapshot(paid, earned, replayed, refused);
    Snapshot before = lastSummary;
    lastSummary = now;
    return now.since(before);
  }

  /** The counters at one summary, to report the difference at the next. */
  private record Snapshot(long paid, long earned, long replayed, Map<ProblemCode, Long> refused) {
    static final Snapshot ZERO = new Snapshot(0, 0, 0, Map.of());

    Optional<String> since(Snapshot b) {
      long offers = delta(b, ProblemCode.PAYMENT_REQUIRED);
      StringBuilder codes = new StringBuilder();
      long refusals = 0;
      for (Map.Entry<ProblemCode, Long> e : refused.entrySet()) {
        long n = delta(b, e.getKey());
        if (n > 0 && e.getKey() != ProblemCode.PAYMENT_REQUIRED) {
          refusals += n;
          codes.append(codes.isEmpty() ? "" : ", ").append(e.getKey().code()).append(' ').append(n);
        }
      }
      long p = paid - b.paid;
      long r = replayed - b.replayed;
      if (p == 0 && r == 0 && offers == 0 && refusals == 0) {
        return Optional.empty();
      }
      return Optional.of(
          "payments in the last minute: "
              + p
              + " accepted for "
              + Amounts.format(earned - b.earned)
              + ", "
              + r
              + (r == 1 ? " retry" : " retries")
              + " answered again, "
              + offers
              + (offers == 1 ? " offer" : " offers")
              + " (402), "
              + refusals
              + " refused"
              + (codes.isEmpty() ? "" : " (" + codes + ")"));
    }

    private long delta(Snapshot b, ProblemCode c) {
      return refused.getOrDefault(c, 0L) - b.refused.getOrDefault(c, 0L);
    }
  }

  private Snapshot lastSummary = Snapshot.ZERO;

  /**
   * Also publishes the vendor's meters ({@code millicent.vendor.*}, not the JVM's) in {@code
   * other}, such as a Spring Boot application's registry: the same meters, counted once. The
   * process's CPU, memory and thread meters stay in the vendor's own exposition only.
   */
  void publishTo(MeterRegistry other) {
    meters.add(other);
  }

  /** The Prometheus text exposition. */
  String scrape() {
    return registry.scrape();
  }

  void close() {
    for (MeterRegistry r : java.util.List.copyOf(meters.getRegistries())) {
      meters.remove(r);
    }
    registry.close();
  }
}
