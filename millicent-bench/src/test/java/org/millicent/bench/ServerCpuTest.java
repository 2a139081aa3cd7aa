package org.millicent.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import org.junit.jupiter.api.Test;

class ServerCpuTest {
  @Test
  void parse_readsCpuSecondsAndCount_whateverTheUnit() throws IOException {
    String text =
        """
        # HELP process_cpu_time_ns_total The "cpu time" used by the Java Virtual Machine process
        # TYPE process_cpu_time_ns_total counter
        process_cpu_time_ns_total{vendor="venetia"} 2.5E9
        system_cpu_count{vendor="venetia"} 2.0
        millicent_vendor_payments_total{variant="signed",vendor="venetia"} 17.0
        millicent_vendor_spend_batched_total{vendor="venetia"} 120.0
        millicent_vendor_spend_batches_total{vendor="venetia"} 8.0
        """;
    ServerCpu.Reading r = ServerCpu.parse(text);
    assertThat(r.cpuSeconds()).isEqualTo(2.5);
    assertThat(r.cpus()).isEqualTo(2);
    assertThat(r.spendsBatched()).isEqualTo(120);
    assertThat(r.spendBatches()).isEqualTo(8);
    assertThat(ServerCpu.parse("process_cpu_time_seconds_total 1.25\n").cpuSeconds())
        .isEqualTo(1.25);
  }

  @Test
  void parse_withoutTheCounter_failsClearly() {
    assertThatThrownBy(() -> ServerCpu.parse("system_cpu_count 2.0\n"))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("process_cpu_time");
  }
}
