package org.millicent.vendor;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.millicent.protocol.Variant;

class VendorMetricsTest {
  private final VendorMetrics metrics =
      new VendorMetrics(
          "venetia",
          () -> 0,
          () -> null,
          new VendorActivity(new org.millicent.testing.MutableClock(java.time.Instant.EPOCH)));

  @AfterEach
  void close() {
    metrics.close();
  }

  @Test
  void paymentSummary_ofAnIdleVendor_isEmpty() {
    assertThat(metrics.paymentSummary()).isEmpty();
    metrics.request(VendorMetrics.Kind.FREE, 1_000);
    assertThat(metrics.paymentSummary()).as("free requests are not payments").isEmpty();
  }

  @Test
  void paymentSummary_countsWhatHappenedSinceTheLastOne() {
    metrics.paid(Variant.SIGNED, 100, false, "/page");
    metrics.paid(Variant.PRIVATE, 500, false, "/page");
    metrics.paid(Variant.SIGNED, 100, true, "/page");
    metrics.rejected(ProblemCode.PAYMENT_REQUIRED);
    metrics.rejected(ProblemCode.SPENT);
    metrics.rejected(ProblemCode.SPENT);
    metrics.rejected(ProblemCode.EXPIRED);

    assertThat(metrics.paymentSummary())
        .hasValue(
            "payments in the last minute: 2 accepted for 0.6¢ (600 m¢), 1 retry answered again,"
                + " 1 offer (402), 3 refused (spent 2, expired 1)");

    assertThat(metrics.paymentSummary()).as("nothing new since").isEmpty();
    metrics.paid(Variant.CLEAR, 1_000, false, "/page");
    assertThat(metrics.paymentSummary())
        .hasValue(
            "payments in the last minute: 1 accepted for 1¢ (1,000 m¢), 0 retries answered"
                + " again, 0 offers (402), 0 refused");
  }

  @Test
  void publishTo_putsTheSameMetersInAnotherRegistry_withoutTheJvmOnes() {
    SimpleMeterRegistry app = new SimpleMeterRegistry();
    metrics.paid(Variant.SIGNED, 100, false, "/page");

    metrics.publishTo(app);
    metrics.paid(Variant.SIGNED, 250, false, "/page");
    metrics.rejected(ProblemCode.SPENT);

    assertThat(app.get("millicent.vendor.payments").tag("variant", "signed").counter().count())
        .isEqualTo(1);
    assertThat(
            app.get("millicent.vendor.revenue.millicents")
                .tag("vendor", "venetia")
                .counter()
                .count())
        .isEqualTo(250);
    assertThat(app.get("millicent.vendor.rejections").tag("code", "spent").counter().count())
        .isEqualTo(1);
    assertThat(metrics.scrape())
        .contains("millicent_vendor_revenue_millicents_total{vendor=\"venetia\"} 350.0");
    assertThat(app.find("jvm.threads.live").gauges())
        .as("the JVM meters stay the vendor's")
        .isEmpty();
  }
}
