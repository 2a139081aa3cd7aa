package org.millicent.broker;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The broker's counters ({@code millicent_broker_...}, docs/BROKER.md, "Metrics and health"),
 * registered on first use and kept so that hot paths do not look them up in the registry.
 * Thread-safe.
 */
final class BrokerMetrics {
  private record SaleCounters(Counter sales, Counter millicents) {}

  private final MeterRegistry meters;
  private final Map<String, Counter> counters = new ConcurrentHashMap<>();
  private final Map<String, Map<String, SaleCounters>> saleCounters = new ConcurrentHashMap<>();

  BrokerMetrics(MeterRegistry meters) {
    this.meters = meters;
  }

  /** Counts one sale of {@code amount} millicents of {@code vendor}'s scrip, of {@code kind}. */
  void sold(String vendor, String kind, long amount) {
    SaleCounters sc =
        saleCounters
            .computeIfAbsent(vendor, v -> new ConcurrentHashMap<>())
            .computeIfAbsent(
                kind,
                k ->
                    new SaleCounters(
                        count("millicent_broker_sales_total", "vendor", vendor, "kind", k),
                        count(
                            "millicent_broker_sales_millicents_total",
                            "vendor",
                            vendor,
                            "kind",
                            k)));
    sc.sales().increment();
    sc.millicents().increment(amount);
  }

  /** The counter {@code name} with {@code tags} (name, value, name, value ...). */
  Counter count(String name, String... tags) {
    String key = name + String.join(",", tags);
    return counters.computeIfAbsent(key, k -> Counter.builder(name).tags(tags).register(meters));
  }
}
