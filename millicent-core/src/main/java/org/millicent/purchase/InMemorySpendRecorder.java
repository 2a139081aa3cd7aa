package org.millicent.purchase;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.millicent.bytes.ConstantTime;
import org.millicent.scrip.ScripId;

/**
 * A spend recorder in memory only: decisions are made by the {@link SpentSet}, committed spends are
 * kept (until their scrip expires) so an identical retry gets the same change, and a claim in
 * progress is known by its fingerprint so an identical request waits for it instead of being
 * refused. Nothing is durable. For tests, benchmarks and the core's own use; services use the
 * durable recorders of millicent-vendor. Thread-safe.
 */
public final class InMemorySpendRecorder implements SpendRecorder {
  private final SpentSet spent = new SpentSet();

  /**
   * A claim not yet committed or released; {@code settled} completes when it is. {@code oneStep}:
   * held by {@link #spend}, which settles it at once, so an identical request waits for it.
   */
  private record Holder(byte[] fingerprint, CompletableFuture<Void> settled, boolean oneStep) {}

  private final ConcurrentHashMap<ScripId, Holder> inProgress = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<ScripId, SpendRecord> committed = new ConcurrentHashMap<>();

  /** An empty recorder. */
  public InMemorySpendRecorder() {}

  @Override
  public Claim claim(ScripId id, Instant expiresAt, byte[] fingerprint) {
    // Registered before marking, so that an identical request never sees the mark without it.
    Holder mine = new Holder(fingerprint.clone(), new CompletableFuture<>(), false);
    Holder other = inProgress.putIfAbsent(id, mine);
    if (other == null) {
      if (spent.mark(id, expiresAt)) {
        return new Claimed();
      }
      settle(id, mine);
    } else if (ConstantTime.equal(other.fingerprint(), fingerprint)) {
      return new InProgress();
    }
    return replayOrSpent(id, fingerprint);
  }

  private Claim replayOrSpent(ScripId id, byte[] fingerprint) {
    SpendRecord r = committed.get(id);
    if (r != null && ConstantTime.equal(r.fingerprint(), fingerprint)) {
      return new Replayed(r.priceMillicents(), r.change());
    }
    return new AlreadySpent();
  }

  @Override
  public void commit(SpendRecord record) {
    committed.put(record.id(), copy(record));
    Holder h = inProgress.get(record.id());
    if (h != null && ConstantTime.equal(h.fingerprint(), record.fingerprint())) {
      settle(record.id(), h);
    }
  }

  /**
   * Claims and commits at once. Its claim is registered before the mark, like {@link #claim}'s, and
   * settled only once the record is kept: an identical spend that finds it waits and then replays,
   * so concurrent identical spends see one {@link Claimed} and replays, never {@link InProgress}.
   */
  @Override
  public Claim spend(SpendRecord record) {
    ScripId id = record.id();
    while (true) {
      Holder mine = new Holder(record.fingerprint().clone(), new CompletableFuture<>(), true);
      Holder other = inProgress.putIfAbsent(id, mine);
      if (other == null) {
        if (spent.mark(id, record.expiresAt())) {
          committed.put(id, copy(record));
          settle(id, mine);
          return new Claimed();
        }
        settle(id, mine);
        return replayOrSpent(id, record.fingerprint());
      }
      if (!ConstantTime.equal(other.fingerprint(), record.fingerprint())) {
        return replayOrSpent(id, record.fingerprint());
      }
      if (!other.oneStep()) {
        return new InProgress(); // an identical request's claim, committed when it delivers
      }
      other.settled().join(); // an identical spend, settled within the call: then ask again
    }
  }

  private static SpendRecord copy(SpendRecord r) {
    return new SpendRecord(
        r.id(), r.expiresAt(), r.fingerprint().clone(), r.priceMillicents(), r.change());
  }

  /**
   * Gives up a claim not yet committed. Only a claim in progress can be released: a committed spend
   * (its claim settled) stays spent.
   */
  @Override
  public void release(ScripId id) {
    Holder h = inProgress.get(id);
    if (h == null) {
      return;
    }
    spent.unmark(id);
    settle(id, h);
  }

  private void settle(ScripId id, Holder h) {
    inProgress.remove(id, h);
    h.settled().complete(null);
  }

  @Override
  public void awaitSettled(ScripId id, Duration timeout) throws InterruptedException {
    Holder h = inProgress.get(id);
    if (h == null) {
      return;
    }
    try {
      h.settled().get(Math.max(1, timeout.toNanos()), TimeUnit.NANOSECONDS);
    } catch (ExecutionException | TimeoutException e) {
      // Settled some other way, or not yet: the caller claims again either way.
    }
  }

  @Override
  public int dropExpiredBefore(Instant horizon) {
    committed.values().removeIf(r -> r.expiresAt().isBefore(horizon));
    return spent.dropExpiredBefore(horizon);
  }

  /** The spent set, for inspection. */
  public SpentSet spentSet() {
    return spent;
  }
}
