package org.millicent.vendor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.millicent.storage.Database;
import org.millicent.storage.StorageException;
import org.millicent.storage.testing.TestDatabases;
import org.millicent.testing.MutableClock;
import org.millicent.vendor.store.ActivityStore;
import org.millicent.vendor.store.GatewayStore;

/**
 * The dashboard's counts (docs/HTTP-API.md, "Dashboards"): counted in memory per hour of the
 * injected clock, added to {@code vendor_activity} by a flush, kept for the next flush when one
 * fails, and at most {@value VendorActivity#MAX_RESOURCES_PER_HOUR} resources a hour.
 */
class VendorActivityTest {
  private static final Instant T0 = Instant.parse("2026-05-04T10:15:00Z");
  private static final long HOUR = T0.getEpochSecond() / 3600;

  @TempDir Path dir;

  private final MutableClock clock = new MutableClock(T0);
  private final VendorActivity activity = new VendorActivity(clock);
  private Database db;
  private ActivityStore store;

  /** The database: SQLite here, PostgreSQL in the IT. */
  Database openDatabase() {
    return TestDatabases.sqlite(dir);
  }

  @BeforeEach
  void open() {
    db = openDatabase();
    store = new GatewayStore(db).activity();
  }

  @AfterEach
  void close() {
    db.close();
  }

  private void sell(String path, long price) {
    activity.paid("clear", price, path);
  }

  private List<ActivityStore.Row> stored() {
    return store.hours(HOUR - 48, HOUR + 48);
  }

  @Test
  void counts_areAddedPerHourOfTheInjectedClock_andAFlushAddsToWhatIsStored() {
    sell("/a", 100);
    sell("/a", 100);
    sell("/b", 250);
    activity.refused("spent");
    activity.refused("payment-required");
    activity.replayed();
    activity.free();
    assertThat(activity.flushTo(store)).isEqualTo(7);
    clock.advance(Duration.ofHours(1));
    sell("/a", 100);
    activity.paid("signed", 30, "/c");
    activity.flushTo(store);
    sell("/a", 100);
    activity.flushTo(store);

    assertThat(stored())
        .containsExactlyInAnyOrder(
            new ActivityStore.Row(HOUR, "free", "", 1, 0),
            new ActivityStore.Row(HOUR, "payment", "clear", 3, 450),
            new ActivityStore.Row(HOUR, "refusal", "payment-required", 1, 0),
            new ActivityStore.Row(HOUR, "refusal", "spent", 1, 0),
            new ActivityStore.Row(HOUR, "replay", "", 1, 0),
            new ActivityStore.Row(HOUR + 1, "payment", "clear", 2, 200),
            new ActivityStore.Row(HOUR + 1, "payment", "signed", 1, 30));
    assertThat(store.top("resource", HOUR, HOUR + 2, 10))
        .containsExactly(
            new ActivityStore.Total("/a", 4, 400),
            new ActivityStore.Total("/b", 1, 250),
            new ActivityStore.Total("/c", 1, 30));
    assertThat(store.top("resource", HOUR + 1, HOUR + 2, 10))
        .containsExactly(
            new ActivityStore.Total("/a", 2, 200), new ActivityStore.Total("/c", 1, 30));
    assertThat(activity.pending()).containsExactly(0, 0);
  }

  @Test
  void aFailedFlush_keepsItsCounts_andTheNextFlushWritesThemOnce() {
    sell("/a", 100);
    activity.refused("expired");
    db.withHandle(h -> h.execute("ALTER TABLE vendor_activity RENAME TO activity_away"));

    assertThatThrownBy(() -> activity.flushTo(store)).isInstanceOf(StorageException.class);
    assertThat(activity.pending()).containsExactly(3, 200);
    sell("/a", 100); // counting goes on meanwhile

    db.withHandle(h -> h.execute("ALTER TABLE activity_away RENAME TO vendor_activity"));
    activity.flushTo(store);
    activity.flushTo(store);

    assertThat(stored())
        .containsExactlyInAnyOrder(
            new ActivityStore.Row(HOUR, "payment", "clear", 2, 200),
            new ActivityStore.Row(HOUR, "refusal", "expired", 1, 0));
    assertThat(store.top("resource", HOUR, HOUR + 1, 10))
        .containsExactly(new ActivityStore.Total("/a", 2, 200));
    assertThat(activity.pending()).containsExactly(0, 0);
  }

  @Test
  void resourcesPastTheCapOfAnHour_countAsOther_andANewHourHasItsOwnCap() {
    int n = VendorActivity.MAX_RESOURCES_PER_HOUR;
    for (int i = 0; i < n + 5; i++) {
      sell("/page/" + i, 10);
    }
    sell("/page/0", 10); // one counted already stays itself
    activity.flushTo(store);
    clock.advance(Duration.ofHours(1));
    sell("/page/" + (n + 1), 10);
    activity.flushTo(store);

    List<ActivityStore.Total> first = store.top("resource", HOUR, HOUR + 1, 1_000);
    assertThat(first).hasSize(n + 1);
    assertThat(first).contains(new ActivityStore.Total(VendorActivity.OTHER, 5, 50));
    assertThat(first).contains(new ActivityStore.Total("/page/0", 2, 20));
    assertThat(first).noneMatch(t -> t.name().equals("/page/" + n));
    assertThat(store.top("resource", HOUR + 1, HOUR + 2, 10))
        .containsExactly(new ActivityStore.Total("/page/" + (n + 1), 1, 10));
  }

  @Test
  void aLongPath_isCut() {
    sell("/" + "x".repeat(1_000), 10);
    activity.flushTo(store);

    assertThat(store.top("resource", HOUR, HOUR + 1, 10).getFirst().name())
        .hasSize(VendorActivity.MAX_NAME_LENGTH);
  }
}
