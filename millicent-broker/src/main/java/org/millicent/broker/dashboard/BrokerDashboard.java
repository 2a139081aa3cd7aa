package org.millicent.broker.dashboard;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.millicent.broker.Broker;
import org.millicent.broker.StatementPeriod;
import org.millicent.broker.VendorConfig;
import org.millicent.broker.VendorStatement;
import org.millicent.broker.books.AccountKind;
import org.millicent.broker.books.BookTotals;
import org.millicent.broker.store.DashboardStore;

/**
 * What the operator's dashboard shows (docs/BROKER.md, "Dashboard"), read at one moment from the
 * durable books: customers, charges per hour and per day, statements, the books' identity and its
 * history, what is payable per vendor, and the latest settlements. Immutable.
 *
 * @param at when it was read (the broker's clock)
 * @param period the current statement period's label
 * @param customersByProvider how many customers each payment provider has
 * @param owedMillicents what customers owe (positive customer balances)
 * @param prepaidMillicents what customers paid in and have not spent
 * @param hours the starts of the last {@value #HOURS} hours, the current one last
 * @param chargesPerHour the sales on account in each of {@code hours}
 * @param days the starts of the last {@value #DAYS} days (UTC), today last
 * @param chargesPerDay the sales on account in each of {@code days}
 * @param registrationsPerDay the accounts opened in each of {@code days}
 * @param outstandingPerDay scrip outstanding at the end of each of {@code days} (now for today)
 * @param redeemedPerDay scrip redeemed by the end of each of {@code days}
 * @param periodCharges the current period's sales on account per issuer
 * @param closedPeriods the latest closed statement periods, newest first
 * @param totals the books' identity now
 * @param vendors each vendor's statement for the current period
 * @param settlements the latest settlements, newest first
 */
public record BrokerDashboard(
    Instant at,
    String period,
    Map<String, Long> customersByProvider,
    long owedMillicents,
    long prepaidMillicents,
    List<Instant> hours,
    long[] chargesPerHour,
    List<Instant> days,
    long[] chargesPerDay,
    long[] registrationsPerDay,
    long[] outstandingPerDay,
    long[] redeemedPerDay,
    Map<String, DashboardStore.Bucket> periodCharges,
    List<DashboardStore.ClosedPeriod> closedPeriods,
    BookTotals totals,
    List<VendorStatement> vendors,
    List<DashboardStore.SettlementRow> settlements) {
  /** Hours in the hourly charts. */
  public static final int HOURS = 24;

  /** Days in the daily charts. */
  public static final int DAYS = 30;

  private static final long HOUR_MS = Duration.ofHours(1).toMillis();
  private static final long DAY_MS = Duration.ofDays(1).toMillis();

  /**
   * Reads the dashboard of {@code broker} now.
   *
   * @throws org.millicent.storage.StorageException when the database cannot be read
   */
  public static BrokerDashboard read(Broker broker) {
    Instant now = broker.books().clock().instant();
    DashboardStore store = new DashboardStore(broker.books().database());
    StatementPeriod.Period p = broker.config().statementPeriod().containing(now);
    Instant hour = now.truncatedTo(ChronoUnit.HOURS);
    Instant day = now.truncatedTo(ChronoUnit.DAYS);
    List<Instant> hours = starts(hour, HOURS, HOUR_MS);
    List<Instant> days = starts(day, DAYS, DAY_MS);
    long end = hour.toEpochMilli() + HOUR_MS;
    long dayEnd = day.toEpochMilli() + DAY_MS;
    long[] balances = store.customerBalances();
    List<VendorStatement> vendors = new ArrayList<>();
    for (VendorConfig v : broker.vendors()) {
      vendors.add(broker.vendorStatement(v.vendor(), null));
    }
    long[][] books = booksPerDay(store.movementsPerDay(), days);
    return new BrokerDashboard(
        now,
        p.label(),
        store.customersByProvider(),
        balances[0],
        balances[1],
        hours,
        perBucket(store.charges(HOUR_MS, hours.getFirst().toEpochMilli(), end), hours, HOUR_MS),
        days,
        perBucket(store.charges(DAY_MS, days.getFirst().toEpochMilli(), dayEnd), days, DAY_MS),
        perBucketCount(
            store.registrations(DAY_MS, days.getFirst().toEpochMilli(), dayEnd), days, DAY_MS),
        books[0],
        books[1],
        store.chargesByIssuer(p.start().toEpochMilli(), p.end().toEpochMilli()),
        store.closedPeriods(12),
        broker.totals(),
        List.copyOf(vendors),
        store.settlements(20));
  }

  /** How many customers there are. */
  public long customers() {
    return customersByProvider.values().stream().mapToLong(Long::longValue).sum();
  }

  private static List<Instant> starts(Instant last, int n, long stepMillis) {
    List<Instant> out = new ArrayList<>(n);
    for (int i = n - 1; i >= 0; i--) {
      out.add(last.minusMillis(i * stepMillis));
    }
    return List.copyOf(out);
  }

  private static long[] perBucket(
      List<DashboardStore.Bucket> rows, List<Instant> starts, long stepMillis) {
    long[] out = new long[starts.size()];
    long first = starts.getFirst().toEpochMilli() / stepMillis;
    for (DashboardStore.Bucket b : rows) {
      out[(int) (b.index() - first)] = b.millicents();
    }
    return out;
  }

  private static long[] perBucketCount(
      List<DashboardStore.Bucket> rows, List<Instant> starts, long stepMillis) {
    long[] out = new long[starts.size()];
    long first = starts.getFirst().toEpochMilli() / stepMillis;
    for (DashboardStore.Bucket b : rows) {
      out[(int) (b.index() - first)] = b.pieces();
    }
    return out;
  }

  /**
   * Scrip outstanding and redeemed at the end of each of {@code days}: the postings up to that day,
   * summed per kind, read as {@link BookTotals} reads balances.
   */
  private static long[][] booksPerDay(List<DashboardStore.DayMovement> moves, List<Instant> days) {
    Map<AccountKind, Long> running = new EnumMap<>(AccountKind.class);
    long[] outstanding = new long[days.size()];
    long[] redeemed = new long[days.size()];
    int i = 0;
    int d = 0;
    for (Instant start : days) {
      long dayIndex = start.toEpochMilli() / DAY_MS;
      while (i < moves.size() && moves.get(i).day() <= dayIndex) {
        running.merge(AccountKind.valueOf(moves.get(i).kind()), moves.get(i).amount(), Long::sum);
        i++;
      }
      outstanding[d] = -running.getOrDefault(AccountKind.OUTSTANDING, 0L);
      redeemed[d] =
          -(running.getOrDefault(AccountKind.VENDOR_PAYABLE, 0L)
              + running.getOrDefault(AccountKind.COMMISSION, 0L)
              + running.getOrDefault(AccountKind.INVENTORY, 0L)
              + running.getOrDefault(AccountKind.WRITE_OFF, 0L));
      d++;
    }
    return new long[][] {outstanding, redeemed};
  }
}
