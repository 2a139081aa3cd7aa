package org.millicent.bench.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class BenchmarkListTest {
  @Test
  void build_generatesTheJmhBenchmarkList_soOrgOpenjdkJmhMainFindsTheBenchmarks()
      throws IOException {
    try (InputStream in =
        CoreBenchmarks.class.getClassLoader().getResourceAsStream("META-INF/BenchmarkList")) {
      assertThat(in)
          .as("META-INF/BenchmarkList (written by the JMH annotation processor)")
          .isNotNull();
      String list = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      assertThat(list)
          .contains("jmh_generated.CoreBenchmarks_baseline_jmhTest")
          .contains("jmh_generated.CoreBenchmarks_purchase_jmhTest");
    }
  }
}
