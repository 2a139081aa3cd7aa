package org.millicent.broker;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

class BrokerActivityTest {
  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  private final BrokerMetrics metrics = new BrokerMetrics(meters);
  private final BrokerActivity activity = new BrokerActivity(meters);

  private void refuse(String code) {
    Counter.builder("millicent_broker_http_failures_total")
        .tag("code", code)
        .register(meters)
        .increment();
  }

  @Test
  void summary_ofAnIdleBroker_isEmpty() {
    assertThat(activity.summary()).isEmpty();
  }

  @Test
  void summary_countsSalesAndRefusalsSinceTheLastOne() {
    metrics.sold("venetia", "sale", 10_000);
    metrics.sold("bob", "sale", 5_000);
    refuse("credit-limit");
    refuse("unauthorized");
    refuse("unauthorized");

    assertThat(activity.summary())
        .hasValue(
            "in the last minute: 2 sales for 15¢ (15,000 m¢), 3 refused (credit-limit 1,"
                + " unauthorized 2)");
    assertThat(activity.summary()).as("nothing new since").isEmpty();

    metrics.sold("venetia", "sale", 100);
    assertThat(activity.summary())
        .hasValue("in the last minute: 1 sale for 0.1¢ (100 m¢), 0 refused");
  }
}
