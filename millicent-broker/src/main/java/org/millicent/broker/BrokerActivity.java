package org.millicent.broker;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.millicent.money.Amounts;

/**
 * One log line on what the broker did since the last one, read from its counters: scrip sold and
 * for how much, and requests refused by problem code. Empty when nothing happened, so an idle
 * broker logs nothing. Counts only: no token, secret or customer. Called by one thread at a time.
 */
final class BrokerActivity {
  private final MeterRegistry meters;
  private long sales;
  private long soldMillicents;
  private Map<String, Long> refused = Map.of();

  BrokerActivity(MeterRegistry meters) {
    this.meters = meters;
  }

  /** What happened since the last call, or empty. */
  synchronized Optional<String> summary() {
    long s = sum("millicent_broker_sales_total");
    long m = sum("millicent_broker_sales_millicents_total");
    Map<String, Long> r = new TreeMap<>();
    for (Counter c : meters.find("millicent_broker_http_failures_total").counters()) {
      r.merge(String.valueOf(c.getId().getTag("code")), (long) c.count(), Long::sum);
    }
    long newSales = s - sales;
    long newMillicents = m - soldMillicents;
    StringBuilder codes = new StringBuilder();
    long newRefusals = 0;
    for (Map.Entry<String, Long> e : r.entrySet()) {
      long n = e.getValue() - refused.getOrDefault(e.getKey(), 0L);
      if (n > 0) {
        newRefusals += n;
        codes.append(codes.isEmpty() ? "" : ", ").append(e.getKey()).append(' ').append(n);
      }
    }
    sales = s;
    soldMillicents = m;
    refused = r;
    if (newSales == 0 && newRefusals == 0) {
      return Optional.empty();
    }
    return Optional.of(
        "in the last minute: "
            + newSales
            + (newSales == 1 ? " sale" : " sales")
            + " for "
            + Amounts.format(newMillicents)
            + ", "
            + newRefusals
            + " refused"
            + (codes.isEmpty() ? "" : " (" + codes + ")"));
  }

  private long sum(String name) {
    double total = 0;
    for (Counter c : meters.find(name).counters()) {
      total += c.count();
    }
    return Math.round(total);
  }
}
