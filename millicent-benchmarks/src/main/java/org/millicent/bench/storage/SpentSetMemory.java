package org.millicent.bench.storage;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.time.Instant;
import java.util.Locale;
import java.util.SplittableRandom;
import org.millicent.purchase.SpentSet;
import org.millicent.scrip.ScripId;

/**
 * Measures the heap the in-memory spent list costs per outstanding scrip: issues {@code N} serials
 * (sequential, as the allocator hands them out), spends a fraction of them in random order, and
 * reports the heap growth (after full GCs) divided by the serials issued and by the serials spent.
 * Run: {@code java -cp ... org.millicent.bench.storage.SpentSetMemory [issued] [spentPercent]}.
 */
public final class SpentSetMemory {
  private SpentSetMemory() {}

  /** Args: serials issued (default 50 000 000), percent of them spent (default 100). */
  public static void main(String[] args) {
    long issued = args.length > 0 ? Long.parseLong(args[0]) : 50_000_000L;
    int percent = args.length > 1 ? Integer.parseInt(args[1]) : 100;
    Instant expires = Instant.parse("2035-01-01T00:00:00Z");
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();

    long before = settledHeap(memory);
    SpentSet set = new SpentSet();
    SplittableRandom random = new SplittableRandom(42);
    long spent = 0;
    // Visit serials in a scrambled order (a bijection of 0..issued-1), as spends arrive.
    long step = Math.floorMod(0x9E3779B97F4A7C15L, issued) | 1;
    while (gcd(step, issued) != 1) {
      step += 2;
    }
    long s = 0;
    for (long i = 0; i < issued; i++) {
      s = (s + step) % issued;
      if (random.nextInt(100) < percent) {
        set.mark(new ScripId(1, s), expires);
        spent++;
      }
    }
    long after = settledHeap(memory);
    long bytes = after - before;
    System.out.printf(
        Locale.ROOT,
        "issued %,d serials, spent %,d (%d%%): heap +%,d bytes = %.3f bits per issued scrip,"
            + " %.3f bits per spent scrip; SpentSet.approximateBytes %,d%n",
        issued,
        spent,
        percent,
        bytes,
        bytes * 8.0 / issued,
        spent == 0 ? 0.0 : bytes * 8.0 / spent,
        set.approximateBytes());
    if (set.markedCount() != spent) {
      throw new IllegalStateException("marked " + set.markedCount() + ", expected " + spent);
    }
  }

  private static long gcd(long a, long b) {
    return b == 0 ? a : gcd(b, a % b);
  }

  private static long settledHeap(MemoryMXBean memory) {
    long used = Long.MAX_VALUE;
    for (int i = 0; i < 5; i++) {
      System.gc();
      used = Math.min(used, memory.getHeapMemoryUsage().getUsed());
    }
    return used;
  }
}
