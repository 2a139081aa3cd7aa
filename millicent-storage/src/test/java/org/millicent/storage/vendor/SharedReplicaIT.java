package org.millicent.storage.vendor;

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
import org.millicent.scrip.ScripId;
import org.millicent.storage.Database;
import org.millicent.storage.DatabaseConfig;
import org.millicent.storage.testing.TestDatabases;

/**
 * Two vendor replicas (two pools, two recorders) on one PostgreSQL schema, offered the same 10 000
 * scrip concurrently, each by a different request: every scrip is accepted exactly once.
 */
class SharedReplicaIT {
  static final int SCRIP = 10_000;
  static final int THREADS_PER_REPLICA = 16;
  static final Instant EXPIRES = Instant.parse("2035-01-01T00:00:00Z");

  @Test
  void sameScripOfferedToTwoReplicas_eachIsAcceptedExactlyOnce() throws Exception {
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
                    if (r.claim(id, EXPIRES, fp) instanceof SpendRecorder.Claimed) {
                      r.commit(new SpendRecord(id, EXPIRES, fp, 1, Optional.empty()));
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
            if (r.claim(id, EXPIRES, fp) instanceof SpendRecorder.Claimed) {
              r.commit(new SpendRecord(id, EXPIRES, fp, 1, Optional.empty()));
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
          "replica test: %d scrip, commit batches %d + %d, claim batches %d + %d%n",
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
