package org.millicent.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

class PoolTest {
  @Test
  void take_afterGive_reusesTheObjectInsteadOfMakingOne() {
    AtomicInteger made = new AtomicInteger();
    Pool<Object> pool = new Pool<>(() -> new Object[] {made.incrementAndGet()});
    Object first = pool.take();
    pool.give(first);
    assertThat(pool.take()).isSameAs(first);
    assertThat(made).hasValue(1);
  }

  @Test
  void take_whenEmpty_makesANewObject() {
    AtomicInteger made = new AtomicInteger();
    Pool<Object> pool = new Pool<>(() -> new Object[] {made.incrementAndGet()});
    assertThat(pool.take()).isNotSameAs(pool.take());
    assertThat(made).hasValue(2);
  }

  @Test
  void hmac_onManyVirtualThreadsAtOnce_matchesAFreshMacEveryTime() throws Exception {
    byte[] key = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    Hmac hmac = new Hmac(key);
    Mac reference = Mac.getInstance("HmacSHA256");
    reference.init(new SecretKeySpec(key, "HmacSHA256"));
    List<byte[]> inputs = new ArrayList<>();
    List<byte[]> expected = new ArrayList<>();
    for (int i = 0; i < 2_000; i++) {
      byte[] in = ("message " + i).getBytes(StandardCharsets.US_ASCII);
      inputs.add(in);
      expected.add(reference.doFinal(in));
    }
    try (var executor = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<byte[]>> results = new ArrayList<>();
      for (byte[] in : inputs) {
        results.add(executor.submit(() -> hmac.compute(in)));
      }
      for (int i = 0; i < inputs.size(); i++) {
        assertThat(results.get(i).get()).isEqualTo(expected.get(i));
      }
    }
  }
}
