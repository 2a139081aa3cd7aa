package org.millicent.servlet.testing;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** How often the test shop's application ran for each path (thread-safe). */
public final class Runs {
  private final Map<String, AtomicInteger> runs = new ConcurrentHashMap<>();

  /** Counts one run for {@code path}. */
  public void ran(String path) {
    runs.computeIfAbsent(path, k -> new AtomicInteger()).incrementAndGet();
  }

  /** How often the application ran for {@code path}. */
  public int of(String path) {
    AtomicInteger n = runs.get(path);
    return n == null ? 0 : n.get();
  }
}
