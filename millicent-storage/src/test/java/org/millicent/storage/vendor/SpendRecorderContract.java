package org.millicent.storage.vendor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.millicent.keys.MasterSecrets;
import org.millicent.purchase.InMemorySerialAllocator;
import org.millicent.purchase.ScripMinter;
import org.millicent.purchase.SpendRecorder;
import org.millicent.purchase.SpendRecorder.SpendRecord;
import org.millicent.scrip.Scrip;
import org.millicent.scrip.ScripId;
import org.millicent.scrip.ScripProperties;
import org.millicent.storage.Database;

/** The behaviour every durable spend recorder must have, run against each database and mode. */
abstract class SpendRecorderContract {
  static final Instant EXPIRES = Instant.parse("2030-01-01T00:00:00Z");
  static final ScripMinter MINTER =
      new ScripMinter(
          "shop.example",
          MasterSecrets.generate(3, new SecureRandom()),
          new InMemorySerialAllocator());

  Database db;
  DurableSpendRecorder recorder;

  /** A fresh database with nothing in it. */
  abstract Database newDatabase();

  /** Opens the recorder under test on {@code db}. */
  abstract DurableSpendRecorder open(Database db);

  @BeforeEach
  void setUp() {
    db = newDatabase();
    recorder = open(db);
  }

  @AfterEach
  void tearDown() {
    recorder.close();
    db.close();
  }

  void reopen() {
    recorder.close();
    recorder = open(db);
  }

  static byte[] fp(int n) {
    byte[] b = new byte[16];
    b[0] = (byte) n;
    b[15] = (byte) (n >>> 8);
    b[7] = 42;
    return b;
  }

  static Scrip change(long value) {
    return MINTER.mint(value, 77L, EXPIRES, ScripProperties.of(java.util.Map.of("country", "NL")));
  }

  static SpendRecord record(ScripId id, int fp, long price, Optional<Scrip> change) {
    return new SpendRecord(id, EXPIRES, fp(fp), price, change);
  }

  @Test
  void claim_freshScrip_isClaimed() {
    assertThat(recorder.claim(new ScripId(1, 10), EXPIRES, fp(1)))
        .isInstanceOf(SpendRecorder.Claimed.class);
  }

  @Test
  void claim_alreadyClaimedByAnotherRequest_isAlreadySpent() {
    ScripId id = new ScripId(1, 11);
    recorder.claim(id, EXPIRES, fp(1));
    assertThat(recorder.claim(id, EXPIRES, fp(2))).isInstanceOf(SpendRecorder.AlreadySpent.class);
  }

  @Test
  void claim_committedByAnotherRequest_isAlreadySpent() {
    ScripId id = new ScripId(1, 12);
    recorder.claim(id, EXPIRES, fp(1));
    recorder.commit(record(id, 1, 5, Optional.empty()));
    assertThat(recorder.claim(id, EXPIRES, fp(2))).isInstanceOf(SpendRecorder.AlreadySpent.class);
  }

  @Test
  void claim_identicalRetryOfCommittedSpend_isReplayedWithTheSameChange() {
    ScripId id = new ScripId(1, 13);
    Scrip change = change(995);
    recorder.claim(id, EXPIRES, fp(7));
    recorder.commit(record(id, 7, 5, Optional.of(change)));

    SpendRecorder.Claim again = recorder.claim(id, EXPIRES, fp(7));

    assertThat(again).isInstanceOf(SpendRecorder.Replayed.class);
    SpendRecorder.Replayed r = (SpendRecorder.Replayed) again;
    assertThat(r.priceMillicents()).isEqualTo(5);
    assertThat(r.change()).contains(change);
  }

  @Test
  void claim_identicalRetryWithoutChange_isReplayedWithNoChange() {
    ScripId id = new ScripId(1, 14);
    recorder.claim(id, EXPIRES, fp(8));
    recorder.commit(record(id, 8, 1000, Optional.empty()));
    assertThat(recorder.claim(id, EXPIRES, fp(8)))
        .isEqualTo(new SpendRecorder.Replayed(1000, Optional.empty()));
  }

  @Test
  void release_claimedScrip_isSpendableAgain() {
    ScripId id = new ScripId(1, 15);
    recorder.claim(id, EXPIRES, fp(1));
    recorder.release(id);
    assertThat(recorder.claim(id, EXPIRES, fp(2))).isInstanceOf(SpendRecorder.Claimed.class);
  }

  @Test
  void release_afterCommit_changesNothing() {
    ScripId id = new ScripId(1, 16);
    recorder.claim(id, EXPIRES, fp(1));
    recorder.commit(record(id, 1, 5, Optional.empty()));
    recorder.release(id);
    assertThat(recorder.claim(id, EXPIRES, fp(2))).isInstanceOf(SpendRecorder.AlreadySpent.class);
  }

  @Test
  void reopen_committedSpendsStaySpentAndReplayable() {
    ScripId id = new ScripId(2, 1);
    Scrip change = change(10);
    recorder.claim(id, EXPIRES, fp(3));
    recorder.commit(record(id, 3, 90, Optional.of(change)));

    reopen();

    assertThat(recorder.claim(id, EXPIRES, fp(4))).isInstanceOf(SpendRecorder.AlreadySpent.class);
    assertThat(recorder.claim(id, EXPIRES, fp(3)))
        .isEqualTo(new SpendRecorder.Replayed(90, Optional.of(change)));
  }

  @Test
  void reopen_releasedClaimIsSpendable() {
    ScripId id = new ScripId(2, 2);
    recorder.claim(id, EXPIRES, fp(1));
    recorder.release(id);
    reopen();
    assertThat(recorder.claim(id, EXPIRES, fp(1))).isInstanceOf(SpendRecorder.Claimed.class);
  }

  @Test
  void concurrentClaims_ofTheSameScrip_exactlyOneWinsEach() throws Exception {
    int ids = 300;
    int threads = 8;
    ConcurrentHashMap<Long, AtomicInteger> wins = new ConcurrentHashMap<>();
    try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
      List<Future<?>> fs = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int thread = t;
        fs.add(
            pool.submit(
                () -> {
                  for (int i = 0; i < ids; i++) {
                    ScripId id = new ScripId(4, i);
                    if (recorder.claim(id, EXPIRES, fp(thread)) instanceof SpendRecorder.Claimed) {
                      wins.computeIfAbsent(id.toLong(), k -> new AtomicInteger()).incrementAndGet();
                      recorder.commit(record(id, thread, 1, Optional.empty()));
                    }
                  }
                }));
      }
      for (Future<?> f : fs) {
        f.get();
      }
    }
    assertThat(wins).hasSize(ids);
    assertThat(wins.values()).allSatisfy(n -> assertThat(n.get()).isEqualTo(1));
  }

  @Test
  void concurrentCommits_areAllDurableAfterReopen() throws Exception {
    int threads = 16;
    int each = 50;
    try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
      List<Future<?>> fs = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int thread = t;
        fs.add(
            pool.submit(
                () -> {
                  for (int i = 0; i < each; i++) {
                    ScripId id = new ScripId(5, thread * 1000L + i);
                    assertThat(recorder.claim(id, EXPIRES, fp(1)))
                        .isInstanceOf(SpendRecorder.Claimed.class);
                    recorder.commit(record(id, 1, i, Optional.empty()));
                  }
                }));
      }
      for (Future<?> f : fs) {
        f.get();
      }
    }
    assertThat(recorder.stats().commits()).isEqualTo((long) threads * each);
    reopen();
    for (int t = 0; t < threads; t++) {
      for (int i = 0; i < each; i++) {
        ScripId id = new ScripId(5, t * 1000L + i);
        assertThat(recorder.claim(id, EXPIRES, fp(1)))
            .isEqualTo(new SpendRecorder.Replayed(i, Optional.empty()));
      }
    }
  }

  @Test
  void commitAsync_completesOnceDurable() {
    ScripId id = new ScripId(6, 1);
    recorder.claim(id, EXPIRES, fp(1));
    recorder.commitAsync(record(id, 1, 3, Optional.empty())).join();
    reopen();
    assertThat(recorder.claim(id, EXPIRES, fp(2))).isInstanceOf(SpendRecorder.AlreadySpent.class);
  }

  @Test
  void dropExpiredBefore_deletesRowsOfExpiredScripOnly() {
    Instant soon = Instant.parse("2026-01-01T00:00:00Z");
    ScripId old = new ScripId(7, 1);
    ScripId current = new ScripId(7, 1L << 20);
    recorder.claim(old, soon, fp(1));
    recorder.commit(new SpendRecord(old, soon, fp(1), 1, Optional.empty()));
    recorder.claim(current, EXPIRES, fp(1));
    recorder.commit(record(current, 1, 1, Optional.empty()));

    recorder.dropExpiredBefore(soon.plusSeconds(1));

    assertThat(rowCount()).isEqualTo(1);
    reopen();
    assertThat(recorder.claim(current, EXPIRES, fp(2)))
        .isInstanceOf(SpendRecorder.AlreadySpent.class);
  }

  @Test
  void commit_afterClose_failsAsClosed() {
    ScripId id = new ScripId(8, 1);
    recorder.claim(id, EXPIRES, fp(1));
    recorder.close();
    assertThatThrownBy(() -> recorder.commit(record(id, 1, 1, Optional.empty())))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("storage-closed");
    recorder = open(db);
  }

  long rowCount() {
    return db.withHandle(
        h -> h.createQuery("SELECT count(*) FROM vendor_spends").mapTo(Long.class).one());
  }
}
