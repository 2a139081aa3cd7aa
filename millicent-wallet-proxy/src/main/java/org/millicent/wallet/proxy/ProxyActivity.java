package org.millicent.wallet.proxy;

import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * What the proxy is doing, for its console and the wallet page: the requests being forwarded now
 * and the last {@value #KEEP} lines of its journal. Thread-safe.
 */
final class ProxyActivity {
  private static final int KEEP = 100;

  /** A journal line and when it was written. */
  record Line(Instant at, String text) {}

  private final InstantSource clock;
  private final Consumer<String> journal;
  private final AtomicLong ids = new AtomicLong();
  private final Map<Long, Line> active = new ConcurrentSkipListMap<>();
  private final Deque<Line> recent = new ArrayDeque<>();

  ProxyActivity(InstantSource clock, Consumer<String> journal) {
    this.clock = clock;
    this.journal = journal;
  }

  /** Notes a request begun; returns its id for {@link #done}. */
  long started(String what) {
    long id = ids.incrementAndGet();
    active.put(id, new Line(clock.instant(), what));
    return id;
  }

  /** Notes a request ended, with the journal line that says how. */
  void done(long id, String line) {
    active.remove(id);
    log(line);
  }

  /** Writes a journal line. */
  void log(String line) {
    synchronized (recent) {
      recent.addFirst(new Line(clock.instant(), line));
      while (recent.size() > KEEP) {
        recent.removeLast();
      }
    }
    journal.accept(line);
  }

  /** The requests in progress, oldest first. */
  List<Line> active() {
    return List.copyOf(active.values());
  }

  /** The journal, newest first. */
  List<Line> recent() {
    synchronized (recent) {
      return new ArrayList<>(recent);
    }
  }
}
