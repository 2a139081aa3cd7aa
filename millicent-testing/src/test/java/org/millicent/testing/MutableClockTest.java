package org.millicent.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class MutableClockTest {
  private static final Instant START = Instant.parse("2030-01-01T00:00:00Z");

  @Test
  void showsItsStart_untilMoved() {
    MutableClock clock = new MutableClock(START);

    assertThat(clock.instant()).isEqualTo(START);
    assertThat(clock.millis()).isEqualTo(START.toEpochMilli());
  }

  @Test
  void advance_movesByTheDuration_andSet_jumps() {
    MutableClock clock = new MutableClock(START);

    clock.advance(Duration.ofMinutes(5));
    assertThat(clock.instant()).isEqualTo(START.plusSeconds(300));
    clock.advance(Duration.ofMinutes(-1));
    assertThat(clock.instant()).isEqualTo(START.plusSeconds(240));
    clock.set(START.minusSeconds(1));
    assertThat(clock.instant()).isEqualTo(START.minusSeconds(1));
  }

  @Test
  void concurrentAdvances_allCount() throws Exception {
    MutableClock clock = new MutableClock(START);
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      threads.add(
          Thread.ofPlatform()
              .start(
                  () -> {
                    for (int i = 0; i < 10_000; i++) {
                      clock.advance(Duration.ofNanos(1));
                    }
                  }));
    }
    for (Thread t : threads) {
      t.join();
    }

    assertThat(clock.instant()).isEqualTo(START.plusNanos(40_000));
  }

  @Test
  void nulls_areRefused() {
    assertThatThrownBy(() -> new MutableClock(null)).isInstanceOf(NullPointerException.class);
    MutableClock clock = new MutableClock(START);
    assertThatThrownBy(() -> clock.advance(null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> clock.set(null)).isInstanceOf(NullPointerException.class);
  }
}
