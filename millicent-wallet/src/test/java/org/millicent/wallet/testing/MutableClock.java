package org.millicent.wallet.testing;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.concurrent.atomic.AtomicReference;

/** A clock tests move forward instead of sleeping. Thread-safe. */
public final class MutableClock implements InstantSource {
  private final AtomicReference<Instant> now;

  /** A clock showing {@code start}. */
  public MutableClock(Instant start) {
    now = new AtomicReference<>(start);
  }

  /** Moves the clock forward. */
  public void advance(Duration d) {
    now.updateAndGet(i -> i.plus(d));
  }

  @Override
  public Instant instant() {
    return now.get();
  }
}
