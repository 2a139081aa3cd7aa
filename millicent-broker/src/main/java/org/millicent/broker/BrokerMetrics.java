package org.millicent.broker;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.millicent.broker.accounts.Accounts;
import org.millicent.broker.books.Books;

/**
 * The broker's counters and gauges ({@code millicent_broker_...}, docs/BROKER.md, "Metrics and
 * health"), registered on first use and kept so that hot paths do not look them up in the registry.
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
    sc.millicents().increment((double) amount);
  }

  /** Registers the gauges of the number of accounts and the scrip outstanding. */
  void gauges(Accounts accounts, Books books) {
    Gauge.builder("millicent_broker_accounts", accounts, Accounts::count)
        .description("customer accounts")
        .register(meters);
    Gauge.builder(
            "millicent_broker_scrip_outstanding_millicents",
            books,
            b -> b.totals().outstandingMillicents())
        .description("scrip issued and not redeemed")
        .register(meters);
  }

  /** The counter {@code name} with {@code tags} (name, value, name, value ...). */
  Counter count(String name, String... tags) {
    String key = name + String.join(",", tags);
    return counters.computeIfAbsent(key, k -> Counter.builder(name).tags(tags).register(meters));
  }
}
