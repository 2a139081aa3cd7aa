package org.millicent.vendor.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.millicent.contracts.DurableSerialAllocatorContract;
import org.millicent.storage.Database;

/**
 * The public durable serial contract, plus what the vendor's {@link DurableSerialAllocator} adds:
 * blocks reserved on disk before use, the unused rest given back on close, and several processes on
 * one database. Run against each database.
 */
abstract class VendorSerialAllocatorContract
    extends DurableSerialAllocatorContract<DurableSerialAllocator> {
  Database db;

  abstract Database newDatabase();

  /** A second, independent connection pool on the same database (another process). */
  abstract Database sameDatabaseAgain(Database db);

  @Override
  protected final DurableSerialAllocator open() {
    if (db == null) {
      db = newDatabase();
    }
    return DurableSerialAllocator.open(db, 16);
  }

  @Override
  protected final void close(DurableSerialAllocator a) {
    a.close();
  }

  @Override
  protected final void closeStore() {
    db.close();
  }

  @Test
  void next_reservesBeforeUse_soTheStoredMarkIsAboveEveryIssuedSerial() {
    DurableSerialAllocator a = DurableSerialAllocator.open(db, 8);
    long max = -1;
    for (int i = 0; i < 20; i++) {
      max = a.next(1);
      assertThat(a.reservedTo(1)).isGreaterThan(max);
    }
  }

  @Test
  void close_givesBackTheUnusedRest_soACleanRestartLeavesNoGap() {
    DurableSerialAllocator a = DurableSerialAllocator.open(db, 1000);
    long last = 0;
    for (int i = 0; i < 3; i++) {
      last = a.next(3);
    }
    a.close();
    assertThat(DurableSerialAllocator.open(db, 1000).next(3)).isEqualTo(last + 1);
  }

  @Test
  void twoProcessesReservingTheirFirstBlocksAtOnce_getDisjointSerials() throws Exception {
    try (Database other = sameDatabaseAgain(db);
        ExecutorService pool = Executors.newFixedThreadPool(8)) {
      List<DurableSerialAllocator> both =
          List.of(DurableSerialAllocator.open(db, 7), DurableSerialAllocator.open(other, 7));
      Set<Long> all = ConcurrentHashMap.newKeySet();
      CyclicBarrier together = new CyclicBarrier(8);
      List<Future<?>> fs = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        DurableSerialAllocator a = both.get(t % 2);
        fs.add(
            pool.submit(
                () -> {
                  together.await(30, TimeUnit.SECONDS);
                  for (int i = 0; i < 50; i++) {
                    assertThat(all.add(a.next(11))).isTrue();
                  }
                  return null;
                }));
      }
      for (Future<?> f : fs) {
        f.get();
      }
      assertThat(all).hasSize(400);
    }
  }

  @Test
  void twoProcessesOnOneDatabase_getDisjointSerials() {
    try (Database other = sameDatabaseAgain(db)) {
      DurableSerialAllocator a = DurableSerialAllocator.open(db, 10);
      DurableSerialAllocator b = DurableSerialAllocator.open(other, 10);
      Set<Long> seen = new HashSet<>();
      for (int i = 0; i < 100; i++) {
        assertThat(seen.add(a.next(4))).isTrue();
        assertThat(seen.add(b.next(4))).isTrue();
      }
    }
  }
}
