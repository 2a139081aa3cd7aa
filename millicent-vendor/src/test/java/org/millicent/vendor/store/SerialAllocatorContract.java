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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.millicent.storage.Database;

/** What every durable serial allocator must do, run against each database. */
abstract class SerialAllocatorContract {
  Database db;

  abstract Database newDatabase();

  /** A second, independent connection pool on the same database (another process). */
  abstract Database sameDatabaseAgain(Database db);

  @BeforeEach
  void setUp() {
    db = newDatabase();
  }

  @AfterEach
  void tearDown() {
    db.close();
  }

  @Test
  void next_issuesIncreasingSerialsPerKeyId() {
    DurableSerialAllocator a = DurableSerialAllocator.open(db, 4);
    List<Long> s = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      s.add(a.next(5));
    }
    assertThat(s).isSorted().doesNotHaveDuplicates();
    assertThat(a.next(6)).isZero();
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
  void newAllocatorWithoutClose_asAfterACrash_neverReissues() {
    DurableSerialAllocator a = DurableSerialAllocator.open(db, 16);
    long last = 0;
    for (int i = 0; i < 5; i++) {
      last = a.next(2);
    }
    DurableSerialAllocator afterCrash = DurableSerialAllocator.open(db, 16);
    assertThat(afterCrash.next(2)).isGreaterThan(last);
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
  void concurrentThreads_getDistinctSerials() throws Exception {
    DurableSerialAllocator a = DurableSerialAllocator.open(db, 64);
    Set<Long> all = ConcurrentHashMap.newKeySet();
    try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
      List<Future<?>> fs = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        fs.add(
            pool.submit(
                () -> {
                  for (int i = 0; i < 500; i++) {
                    assertThat(all.add(a.next(9))).isTrue();
                  }
                }));
      }
      for (Future<?> f : fs) {
        f.get();
      }
    }
    assertThat(all).hasSize(4000);
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
