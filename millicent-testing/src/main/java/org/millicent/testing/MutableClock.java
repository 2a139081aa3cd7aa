package org.millicent.testing;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A clock that tests move by hand, so that expiry, renewal and staleness are tested without
 * sleeping. Inject it wherever the code takes an {@link InstantSource}. Thread-safe: {@link
 * #advance} is atomic, so concurrent moves all count.
 */
public final class MutableClock implements InstantSource {
  private final AtomicReference<Instant> now;

  /** A clock showing {@code start}. */
  public MutableClock(Instant start) {
    now = new AtomicReference<>(Objects.requireNonNull(start, "start"));
  }

  @Override
  public Instant instant() {
    return now.get();
  }

  /** Moves the clock by {@code d} (backwards when negative). */
  public void advance(Duration d) {
    Objects.requireNonNull(d, "d");
    now.updateAndGet(t -> t.plus(d));
  }

  /** Sets the clock to {@code t}. */
  public void set(Instant t) {
    now.set(Objects.requireNonNull(t, "t"));
  }

  @Override
  public String toString() {
    return "MutableClock[" + now.get() + "]";
  }
}
