package org.millicent.vendor;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.millicent.vendor.store.ActivityStore;
import org.millicent.vendor.store.GatewayStore;
import org.millicent.vendor.store.SettlementStore;

/**
 * What the vendor's dashboard shows (docs/HTTP-API.md, "Dashboards"), read at one moment from its
 * database: revenue and payments per hour and per day, offers and refusals by code, the resources
 * that earned most, the key vector and the spent list, licences and what each broker owes.
 * Immutable.
 *
 * @param at when it was read (the vendor's clock)
 * @param hours the starts of the last {@value #HOURS} hours, the current one last
 * @param days the starts of the last {@value #DAYS} days (UTC), today last
 * @param hourly per kind and name ({@code payment}/{@code refusal}/...), counts in each of {@code
 *     hours}
 * @param daily the same per day, over {@code days}
 * @param topResources the resources that earned most over {@code days}
 * @param topResourcesToday the same for today
 * @param keys the key vector
 * @param spentListSize spent scrip IDs held in memory (0 when the database holds them: shared mode)
 * @param licences the licences issued to brokers
 * @param receivables what each broker owes
 */
record VendorDashboard(
    Instant at,
    List<Instant> hours,
    List<Instant> days,
    Counts hourly,
    Counts daily,
    List<ActivityStore.Total> topResources,
    List<ActivityStore.Total> topResourcesToday,
    List<VendorKeys.Key> keys,
    long spentListSize,
    List<GatewayStore.Licence> licences,
    List<SettlementStore.Receivable> receivables) {
  /** Hours in the hourly charts. */
  static final int HOURS = 24;

  /** Days in the daily charts. */
  static final int DAYS = 30;

  /** Resources in the tables of top resources. */
  static final int TOP = 20;

  /**
   * Counts and millicents per bucket, by kind then name: {@code count(kind, name)[i]} for bucket i.
   */
  record Counts(int buckets, Map<String, Map<String, long[][]>> byKind) {
    /** The counts of {@code kind} and {@code name} per bucket (zeros when none). */
    long[] count(String kind, String name) {
      return pick(kind, name, 0);
    }

    /** The millicents of {@code kind} and {@code name} per bucket. */
    long[] millicents(String kind, String name) {
      return pick(kind, name, 1);
    }

    /** The counts of every name of {@code kind} summed, per bucket. */
    long[] countAll(String kind) {
      return sum(kind, 0);
    }

    /** The millicents of every name of {@code kind} summed, per bucket. */
    long[] millicentsAll(String kind) {
      return sum(kind, 1);
    }

    /** The names of {@code kind} with any count, sorted. */
    List<String> names(String kind) {
      return List.copyOf(byKind.getOrDefault(kind, Map.of()).keySet());
    }

    private long[] pick(String kind, String name, int which) {
      long[][] v = byKind.getOrDefault(kind, Map.of()).get(name);
      return v == null ? new long[buckets] : v[which].clone();
    }

    private long[] sum(String kind, int which) {
      long[] out = new long[buckets];
      for (long[][] v : byKind.getOrDefault(kind, Map.of()).values()) {
        for (int i = 0; i < buckets; i++) {
          out[i] += v[which][i];
        }
      }
      return out;
    }

    /** The rows, each added to the bucket {@code (epochHour - firstHour) / hoursPerBucket}. */
    static Counts of(List<ActivityStore.Row> rows, long firstHour, int hoursPerBucket, int n) {
      Map<String, Map<String, long[][]>> by = new TreeMap<>();
      for (ActivityStore.Row r : rows) {
        long i = Math.floorDiv(r.epochHour() - firstHour, hoursPerBucket);
        if (i < 0 || i >= n) {
          continue;
        }
        long[][] v =
            by.computeIfAbsent(r.kind(), k -> new TreeMap<>())
                .computeIfAbsent(r.name(), k -> new long[2][n]);
        v[0][(int) i] += r.count();
        v[1][(int) i] += r.millicents();
      }
      return new Counts(n, by);
    }
  }

  /**
   * Reads the dashboard of {@code state} now, after adding {@code activity}'s pending counts and
   * the licensed scrip received so far to the database, so the page shows every request answered so
   * far.
   *
   * @throws org.millicent.storage.StorageException when the database fails
   */
  static VendorDashboard read(VendorState state, VendorKeys keys, VendorActivity activity) {
    ActivityStore store = state.store.activity();
    activity.flushTo(store);
    state.received.recordMissing(); // licensed scrip received so far is owed

    Instant now = state.clock.instant();
    long hour = Math.floorDiv(now.getEpochSecond(), 3600);
    long day = Math.floorDiv(hour, 24);
    long firstHour = hour - HOURS + 1;
    long firstDayHour = (day - DAYS + 1) * 24;
    List<ActivityStore.Row> rows = store.hours(Math.min(firstHour, firstDayHour), hour + 1);
    return new VendorDashboard(
        now,
        starts(firstHour, 1, HOURS),
        starts(firstDayHour, 24, DAYS),
        Counts.of(rows, firstHour, 1, HOURS),
        Counts.of(rows, firstDayHour, 24, DAYS),
        store.top("resource", firstDayHour, hour + 1, TOP),
        store.top("resource", day * 24, hour + 1, TOP),
        keys.list(),
        state.spentListSize(),
        state.store.licences(),
        state.store.settlement().receivables());
  }

  private static List<Instant> starts(long firstHour, int hoursPerBucket, int n) {
    List<Instant> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(Instant.ofEpochSecond((firstHour + (long) i * hoursPerBucket) * 3600));
    }
    return List.copyOf(out);
  }
}
