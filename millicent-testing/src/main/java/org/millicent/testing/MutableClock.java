package org.millicent.testing;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Objects;

/**
 * A clock that tests move by hand, so that expiry, renewal and staleness are tested without
 * sleeping. Inject it wherever the code takes an {@link InstantSource}. Thread-safe: {@link
 * #advance} and {@link #set} hold the clock's lock, so concurrent moves all count.
 */
public final class MutableClock implements InstantSource {
  private volatile Instant now;

  /** A clock showing {@code start}. */
  public MutableClock(Instant start) {
    now = Objects.requireNonNull(start, "start");
  }

  @Override
  public Instant instant() {
    return now;
  }

  /** Moves the clock by {@code d} (backwards when negative). */
  public synchronized void advance(Duration d) {
    Objects.requireNonNull(d, "d");
    now = now.plus(d);
  }

  /** Sets the clock to {@code t}. */
  public synchronized void set(Instant t) {
    now = Objects.requireNonNull(t, "t");
  }

  @Override
  public String toString() {
    return "MutableClock[" + now + "]";
  }
}
