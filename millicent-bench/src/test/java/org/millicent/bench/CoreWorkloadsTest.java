package org.millicent.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CoreWorkloadsTest {
  @Test
  void create_everyName_runsAPreparedBatch() {
    for (String name : CoreWorkloads.NAMES) {
      Workload w = CoreWorkloads.create(name);
      assertThat(w.name()).isEqualTo(name);
      w.prepare(3);
      for (int i = 0; i < 3; i++) {
        w.run(i);
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"clear_validation", "signed_purchase", "private_purchase"})
  void purchase_runTwiceOnOnePayment_isRefused_soEachOperationSpendsFreshScrip(String name) {
    Workload w = CoreWorkloads.create(name);
    w.prepare(1);
    w.run(0);

    // The same payment again is an identical retry (a replay, since protocol v2's retry rules),
    // which a benchmark must never measure as a purchase.
    assertThatThrownBy(() -> w.run(0))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("was run before");
  }

  @Test
  void create_unknownName_namesTheKnownOnes() {
    assertThatThrownBy(() -> CoreWorkloads.create("rot13"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("signed_purchase");
  }
}
