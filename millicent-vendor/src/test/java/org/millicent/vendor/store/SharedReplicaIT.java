package org.millicent.vendor.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;
import org.millicent.purchase.SpendRecorder;
import org.millicent.purchase.SpendRecorder.SpendRecord;
import org.millicent.scrip.Scrip;
import org.millicent.scrip.ScripId;
import org.millicent.storage.Database;
import org.millicent.storage.DatabaseConfig;
import org.millicent.storage.testing.TestDatabases;

/**
 * Two vendor replicas (two pools, two recorders) on one PostgreSQL schema, offered the same 10 000
 * scrip concurrently, each by a different request: every scrip is accepted exactly once, through
 * claim and commit as through one-step spends. The same request on both: one spends, the other
 * replays its change.
 */
class SharedReplicaIT {
  static final int SCRIP = 10_000;
  static final int THREADS_PER_REPLICA = 16;
  static final Instant EXPIRES = Instant.parse("2035-01-01T00:00:00Z");

  @Test
  void sameScripOfferedToTwoReplicas_claimAndCommit_eachIsAcceptedExactlyOnce() throws Exception {
    offerToBoth(false);
  }

  @Test
  void sameScripOfferedToTwoReplicas_spend_eachIsAcceptedExactlyOnce() throws Exception {
    offerToBoth(true);
  }

  @Test
  void sameRequestSpentOnBothReplicas_oneClaims_theOtherReplaysTheFirstChange() throws Exception {
    int n = 2_000;
    DatabaseConfig.Postgres config = TestDatabases.postgresConfig(8);
    Scrip[][] change = new Scrip[2][n];
    for (int i = 0; i < n; i++) {
      change[0][i] = VendorSpendRecorderContract.change(100 + i);
      change[1][i] = VendorSpendRecorderContract.change(100 + i);
    }
    SpendRecorder.Claim[][] answers = new SpendRecorder.Claim[2][n];
    try (Database a = Database.open(config);
        Database b = Database.open(config);
        DurableSpendRecorder ra = DurableSpendRecorder.open(a);
        DurableSpendRecorder rb = DurableSpendRecorder.open(b);
        ExecutorService pool = Executors.newFixedThreadPool(2 * THREADS_PER_REPLICA)) {
      List<Future<?>> fs = new ArrayList<>();
      for (int t = 0; t < 2 * THREADS_PER_REPLICA; t++) {
        int replica = t % 2;
        DurableSpendRecorder r = replica == 0 ? ra : rb;
        int first = t / 2;
        fs.add(
            pool.submit(
                () -> {
                  for (int i = first; i < n; i += THREADS_PER_REPLICA) {
                    ScripId id = new ScripId(3, i);
                    // The same request (fingerprint) reached both replicas, e.g. a retry after a
                    // timeout; each minted its own change.
                    byte[] fp = VendorSpendRecorderContract.fp(i);
                    answers[replica][i] =
                        r.spend(
                            new SpendRecord(id, EXPIRES, fp, 7, Optional.of(change[replica][i])));
                  }
                  return null;
                }));
      }
      for (Future<?> f : fs) {
        f.get();
      }
    }
    for (int i = 0; i < n; i++) {
      SpendRecorder.Claim x = answers[0][i];
      SpendRecorder.Claim y = answers[1][i];
      int winner = x instanceof SpendRecorder.Claimed ? 0 : 1;
      assertThat(List.of(x, y))
          .as("scrip %d", i)
          .filteredOn(c -> c instanceof SpendRecorder.Claimed)
          .hasSize(1);
      assertThat(winner == 0 ? y : x)
          .as("scrip %d", i)
          .isEqualTo(new SpendRecorder.Replayed(7, Optional.of(change[winner][i])));
    }
  }

  /**
   * Two replicas' group commits insert overlapping batches, each in its own order (the order their
   * requests arrived). Before inserts were sorted by ID, PostgreSQL regularly aborted one of two
   * such statements as a deadlock; the spends of that batch then failed.
   */
  @Test
  void overlappingBatchesInOppositeOrders_neverDeadlock() throws Exception {
    int rounds = 300;
    int perBatch = 64;
    // Two connections for the test, one for the recorder's replica lock.
    DatabaseConfig.Postgres config = TestDatabases.postgresConfig(3);
    try (Database db = Database.open(config);
        DurableSpendRecorder recorder = DurableSpendRecorder.open(db); // migrates
        java.sql.Connection a = db.openConnection();
        java.sql.Connection b = db.openConnection();
        ExecutorService pool = Executors.newFixedThreadPool(2)) {
      assertThat(recorder.mode()).isEqualTo(DurableSpendRecorder.Mode.SHARED);
      a.setAutoCommit(true);
      b.setAutoCommit(true);
      for (int round = 0; round < rounds; round++) {
        List<SpendRecord> up = new ArrayList<>();
        for (int i = 0; i < perBatch; i++) {
          up.add(
              new SpendRecord(
                  new ScripId(9, (long) round * perBatch + i),
                  EXPIRES,
                  VendorSpendRecorderContract.fp(i),
                  1,
                  Optional.empty()));
        }
        List<SpendRecord> down = new ArrayList<>(up);
        Collections.reverse(down);
        java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(2);
        Future<boolean[]> fa =
            pool.submit(
                () -> {
                  start.await();
                  return SpendTable.insertCommitted(a, db.dialect(), up);
                });
        Future<boolean[]> fb =
            pool.submit(
                () -> {
                  start.await();
                  return SpendTable.insertCommitted(b, db.dialect(), down);
                });
        boolean[] wa = fa.get();
        boolean[] wb = fb.get();
        for (int i = 0; i < perBatch; i++) {
          assertThat(wa[i] ^ wb[perBatch - 1 - i])
              .as("round %d row %d written once", round, i)
              .isTrue();
        }
      }
    }
  }

  /**
   * Accepts {@code id} for the request {@code fp} on {@code r}: one spend, or claim then commit.
   */
  static boolean accept(DurableSpendRecorder r, ScripId id, byte[] fp, boolean oneStep) {
    SpendRecord record = new SpendRecord(id, EXPIRES, fp, 1, Optional.empty());
    if (oneStep) {
      return r.spend(record) instanceof SpendRecorder.Claimed;
    }
    if (r.claim(id, EXPIRES, fp) instanceof SpendRecorder.Claimed) {
      r.commit(record);
      return true;
    }
    return false;
  }

  private void offerToBoth(boolean oneStep) throws Exception {
    DatabaseConfig.Postgres config = TestDatabases.postgresConfig(8);
    AtomicIntegerArray accepted = new AtomicIntegerArray(SCRIP);
    try (Database a = Database.open(config);
        Database b = Database.open(config);
        DurableSpendRecorder ra = DurableSpendRecorder.open(a);
        DurableSpendRecorder rb = DurableSpendRecorder.open(b);
        ExecutorService pool = Executors.newFixedThreadPool(2 * THREADS_PER_REPLICA)) {
      assertThat(ra.mode()).isEqualTo(DurableSpendRecorder.Mode.SHARED);
      List<Future<?>> fs = new ArrayList<>();
      for (int t = 0; t < 2 * THREADS_PER_REPLICA; t++) {
        DurableSpendRecorder r = t % 2 == 0 ? ra : rb;
        byte replica = (byte) (t % 2);
        long seed = t;
        fs.add(
            pool.submit(
                () -> {
                  List<Integer> order = new ArrayList<>();
                  for (int i = 0; i < SCRIP; i++) {
                    order.add(i);
                  }
                  Collections.shuffle(order, new Random(seed));
                  for (int i : order.subList(0, SCRIP / THREADS_PER_REPLICA * 2)) {
                    ScripId id = new ScripId(1, i);
                    byte[] fp = new byte[16];
                    fp[0] = replica;
                    fp[1] = (byte) seed;
                    if (accept(r, id, fp, oneStep)) {
                      accepted.incrementAndGet(i);
                    }
                  }
                  return null;
                }));
      }
      for (Future<?> f : fs) {
        f.get();
      }
      // Whatever the shuffles left untouched is offered to both replicas once more.
      for (int i = 0; i < SCRIP; i++) {
        if (accepted.get(i) == 0) {
          for (DurableSpendRecorder r : List.of(ra, rb)) {
            ScripId id = new ScripId(1, i);
            byte[] fp = new byte[16];
            fp[2] = (byte) (r == ra ? 1 : 2);
            if (accept(r, id, fp, oneStep)) {
              accepted.incrementAndGet(i);
            }
          }
        }
      }
      long committedRows =
          a.withHandle(
              h ->
                  h.createQuery(
                          "SELECT count(*) FROM vendor_spends WHERE price_millicents IS NOT NULL")
                      .mapTo(Long.class)
                      .one());
      assertThat(committedRows).isEqualTo(SCRIP);
      System.out.printf(
          "replica test (%s): %d scrip, commit batches %d + %d, claim batches %d + %d%n",
          oneStep ? "spend" : "claim and commit",
          SCRIP,
          ra.stats().commitBatches(),
          rb.stats().commitBatches(),
          ra.stats().claimBatches(),
          rb.stats().claimBatches());
    }
    for (int i = 0; i < SCRIP; i++) {
      assertThat(accepted.get(i)).as("scrip %d accepted", i).isEqualTo(1);
    }
  }
}
