package org.millicent.vendor;

import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.millicent.vendor.store.ActivityStore;

/**
 * The vendor's activity per hour for the operator's dashboard (docs/HTTP-API.md, "Dashboards"),
 * counted in memory on the payment path and added to the database ({@link ActivityStore}) by {@link
 * #flushTo}, every {@link #FLUSH_SECONDS} seconds and at close, so the history survives restarts
 * while a payment only increments two counters. A failed flush keeps its counts for the next one
 * and never fails a sale. A crash loses the counts since the last flush, by design: they are
 * statistics, each payment itself is durable in the spent list (docs/HTTP-API.md, "Dashboards",
 * "What a crash loses"). Hours are the injected clock's (UTC). Thread-safe.
 */
final class VendorActivity {
  /** How often the housekeeping flushes. */
  static final int FLUSH_SECONDS = 10;

  /** The distinct resources counted per hour by one process; the rest count as {@link #OTHER}. */
  static final int MAX_RESOURCES_PER_HOUR = 200;

  /** The name the resources past {@link #MAX_RESOURCES_PER_HOUR} share. */
  static final String OTHER = "(other)";

  /** The longest resource name kept; longer paths are cut there. */
  static final int MAX_NAME_LENGTH = 256;

  private record Key(long epochHour, String kind, String name) {}

  /** Counts of one key, taken to zero by a flush (and given back when the flush fails). */
  private record Cell(AtomicLong count, AtomicLong millicents) {
    Cell() {
      this(new AtomicLong(), new AtomicLong());
    }

    void add(long n, long m) {
      count.addAndGet(n);
      if (m != 0) {
        millicents.addAndGet(m);
      }
    }
  }

  private final InstantSource clock;
  private final Map<Key, Cell> cells = new ConcurrentHashMap<>();

  /** The resource names of the current hour ({@link #resourceHour}); at most the cap. */
  private final Set<String> resources = ConcurrentHashMap.newKeySet();

  private volatile long resourceHour = Long.MIN_VALUE;

  VendorActivity(InstantSource clock) {
    this.clock = clock;
  }

  /**
   * Counts a payment accepted in {@code variant} for {@code millicents}, for the resource at {@code
   * path} (the canonical path of the request it paid for).
   */
  void paid(String variant, long millicents, String path) {
    long hour = hour();
    cell(hour, "payment", variant).add(1, millicents);
    cell(hour, "resource", resourceName(hour, path)).add(1, millicents);
  }

  /** Counts an identical retry answered with the change issued the first time. */
  void replayed() {
    cell(hour(), "replay", "").add(1, 0);
  }

  /** Counts a problem answered with {@code code} ({@code payment-required}: an offer). */
  void refused(String code) {
    cell(hour(), "refusal", code).add(1, 0);
  }

  /** Counts free content served. */
  void free() {
    cell(hour(), "free", "").add(1, 0);
  }

  private long hour() {
    return Math.floorDiv(clock.instant().getEpochSecond(), 3600);
  }

  private Cell cell(long hour, String kind, String name) {
    return cells.computeIfAbsent(new Key(hour, kind, name), k -> new Cell());
  }

  /** {@code path}, cut to its first characters, or {@link #OTHER} past this hour's cap. */
  private String resourceName(long hour, String path) {
    String name = path.length() > MAX_NAME_LENGTH ? path.substring(0, MAX_NAME_LENGTH) : path;
    if (hour != resourceHour) {
      synchronized (resources) {
        if (hour > resourceHour) {
          resources.clear();
          resourceHour = hour;
        }
      }
    }
    if (resources.contains(name)) {
      return name;
    }
    synchronized (resources) {
      if (resources.size() < MAX_RESOURCES_PER_HOUR) {
        resources.add(name);
        return name;
      }
    }
    return OTHER;
  }

  /**
   * Adds the counts made since the last flush to {@code store} in one transaction. When that fails
   * the counts stay here for the next flush and the failure is thrown; a payment never waits for a
   * flush. Cells of hours before the last are dropped once empty (nothing counts into them any
   * more).
   *
   * @return how many rows were written
   * @throws org.millicent.storage.StorageException when the database fails
   */
  synchronized int flushTo(ActivityStore store) {
    List<ActivityStore.Row> rows = new ArrayList<>();
    List<Cell> taken = new ArrayList<>();
    List<Key> stale = new ArrayList<>();
    long current = hour();
    for (Map.Entry<Key, Cell> e : cells.entrySet()) {
      Cell c = e.getValue();
      long n = c.count().getAndSet(0);
      long m = c.millicents().getAndSet(0);
      Key k = e.getKey();
      if (n != 0 || m != 0) {
        ActivityStore.Row row = new ActivityStore.Row(k.epochHour(), k.kind(), k.name(), n, m);
        rows.add(row);
        taken.add(c);
      } else if (k.epochHour() < current - 1) {
        stale.add(k);
      }
    }
    for (Key k : stale) {
      Cell c = cells.get(k);
      if (c != null && c.count().get() == 0 && c.millicents().get() == 0) {
        cells.remove(k, c);
      }
    }
    try {
      store.add(rows);
    } catch (RuntimeException e) {
      for (int i = 0; i < rows.size(); i++) {
        taken.get(i).add(rows.get(i).count(), rows.get(i).millicents());
      }
      throw e;
    }
    return rows.size();
  }

  /** Counts not yet flushed, as {count, millicents} summed over every key; for tests. */
  long[] pending() {
    long n = 0;
    long m = 0;
    for (Cell c : cells.values()) {
      n += c.count().get();
      m += c.millicents().get();
    }
    return new long[] {n, m};
  }
}
