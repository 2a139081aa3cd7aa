package org.millicent.contracts;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.millicent.purchase.SpendRecorder;
import org.millicent.purchase.SpendRecorder.SpendRecord;
import org.millicent.scrip.Scrip;
import org.millicent.scrip.ScripId;

/**
 * What every {@link SpendRecorder} must do with claims: a free scrip is claimed, a claimed or
 * committed one is refused to another request and "in progress" to the same request, a release
 * makes it spendable again (but never undoes a commit), and of concurrent claims of one scrip
 * exactly one wins.
 *
 * <p>Every recorder passes this, including the broker's, whose commit only confirms a spend its
 * issuing batch already wrote to the books (so it cannot answer replays by itself): such an
 * implementation overrides {@link #commit} to do what its caller does first. Recorders that replay
 * committed spends extend {@link SpendRecorderContract} instead.
 *
 * @param <R> the recorder under test
 */
public abstract class SpendClaimContract<R extends SpendRecorder> {
  /** The expiry of the scrip the tests spend: far in the future. */
  public static final Instant EXPIRES = Instant.parse("2100-01-01T00:00:00Z");

  /** The recorder under test, opened before each test. */
  protected R recorder;

  /** Creates a contract test. */
  protected SpendClaimContract() {}

  /**
   * Opens the recorder under test. The first call of a test creates an empty store; later calls (by
   * {@link DurableSpendRecorderContract#reopen}) open the same store again.
   *
   * @return a recorder over the test's store
   */
  protected abstract R open();

  /**
   * Closes {@code r}, as a shutdown would; the default closes it when it is {@link AutoCloseable}.
   *
   * @param r a recorder {@link #open} returned
   * @throws Exception when closing fails
   */
  protected void close(R r) throws Exception {
    if (r instanceof AutoCloseable c) {
      c.close();
    }
  }

  /**
   * Frees what the test's store holds (its database), after the recorder is closed.
   *
   * @throws Exception when closing fails
   */
  protected void closeStore() throws Exception {}

  /**
   * Commits a claimed spend the way the recorder's caller does; the default is {@link
   * SpendRecorder#commit}.
   *
   * @param record the spend, claimed by the test before
   */
  protected void commit(SpendRecord record) {
    recorder.commit(record);
  }

  @BeforeEach
  final void openRecorder() {
    recorder = open();
  }

  @AfterEach
  final void closeRecorder() throws Exception {
    try {
      close(recorder);
    } finally {
      closeStore();
    }
  }

  /**
   * A 16-byte request fingerprint, distinct for each {@code n}.
   *
   * @param n which request
   * @return the fingerprint of request {@code n}
   */
  public static byte[] fp(int n) {
    byte[] b = new byte[16];
    b[0] = (byte) n;
    b[15] = (byte) (n >>> 8);
    b[7] = 42;
    return b;
  }

  /**
   * The spend of {@code id} by request {@code fp}, expiring at {@link #EXPIRES}.
   *
   * @param id the spent scrip
   * @param fp which request ({@link #fp})
   * @param price what was charged
   * @param change the change issued
   * @return the record
   */
  public static SpendRecord record(ScripId id, int fp, long price, Optional<Scrip> change) {
    return new SpendRecord(id, EXPIRES, fp(fp), price, change);
  }

  /**
   * Runs {@code task} on {@code threads} threads at once, each given its index, and returns once
   * all have finished; rethrows the first failure.
   *
   * @param threads how many threads
   * @param task what each thread does
   * @throws Exception what a thread threw
   */
  public static void concurrently(int threads, IntConsumer task) throws Exception {
    try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
      List<Future<?>> fs = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int thread = t;
        fs.add(pool.submit(() -> task.accept(thread)));
      }
      for (Future<?> f : fs) {
        f.get();
      }
    }
  }

  @Test
  void claim_freshScrip_isClaimed() {
    assertThat(recorder.claim(new ScripId(1, 10), EXPIRES, fp(1)))
        .isInstanceOf(SpendRecorder.Claimed.class);
  }

  @Test
  void claim_ofOtherScrip_isIndependent() {
    recorder.claim(new ScripId(1, 20), EXPIRES, fp(1));
    assertThat(recorder.claim(new ScripId(1, 21), EXPIRES, fp(1)))
        .isInstanceOf(SpendRecorder.Claimed.class);
    assertThat(recorder.claim(new ScripId(2, 20), EXPIRES, fp(1)))
        .isInstanceOf(SpendRecorder.Claimed.class);
  }

  @Test
  void claim_alreadyClaimedByAnotherRequest_isAlreadySpent() {
    ScripId id = new ScripId(1, 11);
    recorder.claim(id, EXPIRES, fp(1));
    assertThat(recorder.claim(id, EXPIRES, fp(2))).isInstanceOf(SpendRecorder.AlreadySpent.class);
  }

  @Test
  void claim_heldByTheSameRequest_isInProgress_thenClaimedOnceReleased() {
    ScripId id = new ScripId(1, 15);
    recorder.claim(id, EXPIRES, fp(3));
    assertThat(recorder.claim(id, EXPIRES, fp(3))).isInstanceOf(SpendRecorder.InProgress.class);
    assertThat(recorder.claim(id, EXPIRES, fp(4))).isInstanceOf(SpendRecorder.AlreadySpent.class);

    recorder.release(id);

    assertThat(recorder.claim(id, EXPIRES, fp(3))).isInstanceOf(SpendRecorder.Claimed.class);
    assertThat(recorder.claim(id, EXPIRES, fp(3))).isInstanceOf(SpendRecorder.InProgress.class);
  }

  @Test
  void claim_committedByAnotherRequest_isAlreadySpent() {
    ScripId id = new ScripId(1, 12);
    recorder.claim(id, EXPIRES, fp(1));
    commit(record(id, 1, 5, Optional.empty()));
    assertThat(recorder.claim(id, EXPIRES, fp(2))).isInstanceOf(SpendRecorder.AlreadySpent.class);
  }

  @Test
  void release_claimedScrip_isSpendableAgain_byAnyRequest() {
    ScripId id = new ScripId(1, 16);
    recorder.claim(id, EXPIRES, fp(1));
    recorder.release(id);
    assertThat(recorder.claim(id, EXPIRES, fp(2))).isInstanceOf(SpendRecorder.Claimed.class);
  }

  @Test
  void release_afterCommit_changesNothing() {
    ScripId id = new ScripId(1, 17);
    recorder.claim(id, EXPIRES, fp(1));
    commit(record(id, 1, 5, Optional.empty()));
    recorder.release(id);
    assertThat(recorder.claim(id, EXPIRES, fp(2))).isInstanceOf(SpendRecorder.AlreadySpent.class);
  }

  @Test
  void dropExpiredBefore_keepsTheSpendsOfUnexpiredScrip() {
    Instant soon = Instant.parse("2026-01-01T00:00:00Z");
    ScripId old = new ScripId(7, 1);
    ScripId current = new ScripId(7, 1L << 20);
    recorder.claim(old, soon, fp(1));
    commit(new SpendRecord(old, soon, fp(1), 1, Optional.empty()));
    recorder.claim(current, EXPIRES, fp(1));
    commit(record(current, 1, 1, Optional.empty()));

    recorder.dropExpiredBefore(soon.plusSeconds(1));

    assertThat(recorder.claim(current, EXPIRES, fp(2)))
        .isInstanceOf(SpendRecorder.AlreadySpent.class);
  }

  @Test
  void concurrentClaims_ofTheSameScrip_exactlyOneWinsEach() throws Exception {
    int ids = 300;
    int threads = 8;
    ConcurrentHashMap<Long, AtomicInteger> wins = new ConcurrentHashMap<>();
    concurrently(
        threads,
        thread -> {
          for (int i = 0; i < ids; i++) {
            ScripId id = new ScripId(4, i);
            if (recorder.claim(id, EXPIRES, fp(thread)) instanceof SpendRecorder.Claimed) {
              wins.computeIfAbsent(id.toLong(), k -> new AtomicInteger()).incrementAndGet();
              commit(record(id, thread, 1, Optional.empty()));
            }
          }
        });
    assertThat(wins).hasSize(ids);
    assertThat(wins.values()).allSatisfy(n -> assertThat(n.get()).isEqualTo(1));
  }
}
