package org.millicent.vendor.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.EnumSet;
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
import org.millicent.failure.SpentException;
import org.millicent.keys.CustomerSecret;
import org.millicent.keys.CustomerSecrets;
import org.millicent.keys.MasterSecrets;
import org.millicent.protocol.Authority;
import org.millicent.protocol.Nonce;
import org.millicent.protocol.Payer;
import org.millicent.protocol.Payment;
import org.millicent.protocol.RequestDescriptor;
import org.millicent.protocol.Variant;
import org.millicent.purchase.InMemorySerialAllocator;
import org.millicent.purchase.Pricer;
import org.millicent.purchase.Purchase;
import org.millicent.purchase.PurchaseService;
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
  void claim_heldByTheSameRequest_isInProgress_thenReplayedOnceCommitted() {
    ScripId id = new ScripId(1, 14);
    Scrip change = change(900);
    assertThat(recorder.claim(id, EXPIRES, fp(3))).isInstanceOf(SpendRecorder.Claimed.class);

    assertThat(recorder.claim(id, EXPIRES, fp(3))).isInstanceOf(SpendRecorder.InProgress.class);
    assertThat(recorder.claim(id, EXPIRES, fp(4))).isInstanceOf(SpendRecorder.AlreadySpent.class);

    recorder.commit(record(id, 3, 100, Optional.of(change)));
    assertThat(recorder.claim(id, EXPIRES, fp(3)))
        .isEqualTo(new SpendRecorder.Replayed(100, Optional.of(change)));
  }

  @Test
  void claim_heldByTheSameRequest_isInProgress_thenClaimedOnceReleased() {
    ScripId id = new ScripId(1, 15);
    recorder.claim(id, EXPIRES, fp(3));
    assertThat(recorder.claim(id, EXPIRES, fp(3))).isInstanceOf(SpendRecorder.InProgress.class);

    recorder.release(id);

    assertThat(recorder.claim(id, EXPIRES, fp(3))).isInstanceOf(SpendRecorder.Claimed.class);
    assertThat(recorder.claim(id, EXPIRES, fp(3))).isInstanceOf(SpendRecorder.InProgress.class);
  }

  @Test
  void begin_identicalRetryWhileTheFirstHoldsTheClaim_waitsAndGetsTheFirstChange()
      throws Exception {
    SecureRandom random = new SecureRandom();
    MasterSecrets masters = MasterSecrets.generate(1, random);
    CustomerSecrets customers = CustomerSecrets.generate(1, random);
    PurchaseService service =
        new PurchaseService(
            "shop.example",
            masters,
            customers,
            recorder,
            new InMemorySerialAllocator(),
            InstantSource.system(),
            Duration.ofHours(1),
            EnumSet.allOf(Variant.class),
            Duration.ofSeconds(30));
    long alice = 0x01_00_0000_0000_0001L;
    Scrip scrip = service.minter().mint(10_000, alice, EXPIRES, ScripProperties.NONE);
    RequestDescriptor get =
        RequestDescriptor.of(
            Authority.of("https", "shop.example", -1), "GET", "/slow", new byte[0]);
    CustomerSecret secret = customers.derive("shop.example", alice);
    Payment.Signed payment = Payer.signed(scrip, secret, Nonce.random(random), get);
    Purchase first = service.begin(payment, Pricer.fixed(100));

    try (ExecutorService pool = Executors.newSingleThreadExecutor()) {
      Future<Purchase> retry = pool.submit(() -> service.begin(payment, Pricer.fixed(100)));
      Thread.sleep(200); // not needed for correctness: the retry is then most likely waiting
      first.commit();
      Purchase again = retry.get(30, java.util.concurrent.TimeUnit.SECONDS);

      assertThat(again.isReplay()).isTrue();
      assertThat(again.change()).isEqualTo(first.change());
      assertThat(again.change().orElseThrow().valueMillicents()).isEqualTo(9_900);
    }
  }

  @Test
  void begin_identicalRetryWhileClaimed_withoutWaiting_isInProgressNotSpent() {
    SecureRandom random = new SecureRandom();
    MasterSecrets masters = MasterSecrets.generate(1, random);
    CustomerSecrets customers = CustomerSecrets.generate(1, random);
    PurchaseService service =
        new PurchaseService(
            "shop.example",
            masters,
            customers,
            recorder,
            new InMemorySerialAllocator(),
            InstantSource.system(),
            Duration.ofHours(1),
            EnumSet.allOf(Variant.class),
            Duration.ZERO);
    long alice = 0x01_00_0000_0000_0001L;
    Scrip scrip = service.minter().mint(10_000, alice, EXPIRES, ScripProperties.NONE);
    RequestDescriptor get =
        RequestDescriptor.of(
            Authority.of("https", "shop.example", -1), "GET", "/slow", new byte[0]);
    CustomerSecret secret = customers.derive("shop.example", alice);
    Payment.Signed payment = Payer.signed(scrip, secret, Nonce.random(random), get);
    Purchase first = service.begin(payment, Pricer.fixed(100));

    assertThatThrownBy(() -> service.begin(payment, Pricer.fixed(100)))
        .isInstanceOf(org.millicent.failure.InProgressException.class);
    first.release();
    assertThat(service.begin(payment, Pricer.fixed(100)).isReplay()).isFalse();
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
        .isInstanceOf(org.millicent.storage.StorageException.class)
        .hasMessageContaining("storage-closed");
    recorder = open(db);
  }

  // ------------------------------------------------------------------ spend

  @Test
  void spend_freshScrip_isClaimedAndDurable() {
    ScripId id = new ScripId(10, 1);
    Scrip change = change(900);

    assertThat(recorder.spend(record(id, 1, 100, Optional.of(change))))
        .isInstanceOf(SpendRecorder.Claimed.class);

    reopen();
    assertThat(recorder.claim(id, EXPIRES, fp(1)))
        .isEqualTo(new SpendRecorder.Replayed(100, Optional.of(change)));
    assertThat(recorder.claim(id, EXPIRES, fp(2))).isInstanceOf(SpendRecorder.AlreadySpent.class);
  }

  @Test
  void spend_identicalRetry_isReplayedWithTheFirstChange_andChangesNothing() {
    ScripId id = new ScripId(10, 2);
    Scrip first = change(900);
    recorder.spend(record(id, 3, 100, Optional.of(first)));

    // The retry minted other change (its serial is skipped); the first is what counts.
    SpendRecorder.Claim again = recorder.spend(record(id, 3, 100, Optional.of(change(900))));

    assertThat(again).isEqualTo(new SpendRecorder.Replayed(100, Optional.of(first)));
    reopen();
    assertThat(recorder.spend(record(id, 3, 100, Optional.empty())))
        .isEqualTo(new SpendRecorder.Replayed(100, Optional.of(first)));
  }

  @Test
  void spend_byAnotherRequest_isAlreadySpent_andTheFirstSpendStays() {
    ScripId id = new ScripId(10, 3);
    recorder.spend(record(id, 1, 5, Optional.empty()));

    assertThat(recorder.spend(record(id, 2, 7, Optional.of(change(1)))))
        .isInstanceOf(SpendRecorder.AlreadySpent.class);

    assertThat(recorder.claim(id, EXPIRES, fp(1)))
        .isEqualTo(new SpendRecorder.Replayed(5, Optional.empty()));
  }

  @Test
  void spend_ofAScripClaimedAndNotCommitted_isSpentForOthers_inProgressForTheSameRequest() {
    ScripId id = new ScripId(10, 4);
    assertThat(recorder.claim(id, EXPIRES, fp(1))).isInstanceOf(SpendRecorder.Claimed.class);

    assertThat(recorder.spend(record(id, 2, 5, Optional.empty())))
        .isInstanceOf(SpendRecorder.AlreadySpent.class);
    assertThat(recorder.spend(record(id, 1, 5, Optional.empty())))
        .as("the same request: its claim is not committed yet, but it is not spent by another")
        .isInstanceOf(SpendRecorder.InProgress.class);

    recorder.commit(record(id, 1, 9, Optional.empty()));
    assertThat(recorder.claim(id, EXPIRES, fp(1)))
        .isEqualTo(new SpendRecorder.Replayed(9, Optional.empty()));
  }

  @Test
  void spend_committedThroughClaimAndCommit_isReplayedForTheSameRequest() {
    ScripId id = new ScripId(10, 5);
    Scrip change = change(70);
    recorder.claim(id, EXPIRES, fp(4));
    recorder.commit(record(id, 4, 30, Optional.of(change)));

    assertThat(recorder.spend(record(id, 4, 30, Optional.empty())))
        .isEqualTo(new SpendRecorder.Replayed(30, Optional.of(change)));
    assertThat(recorder.spend(record(id, 5, 30, Optional.empty())))
        .isInstanceOf(SpendRecorder.AlreadySpent.class);
  }

  @Test
  void concurrentSpends_ofTheSameScripByDifferentRequests_exactlyOneWinsEach() throws Exception {
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
                    ScripId id = new ScripId(11, i);
                    SpendRecorder.Claim c = recorder.spend(record(id, thread, 1, Optional.empty()));
                    if (c instanceof SpendRecorder.Claimed) {
                      wins.computeIfAbsent(id.toLong(), k -> new AtomicInteger()).incrementAndGet();
                    } else {
                      assertThat(c).isInstanceOf(SpendRecorder.AlreadySpent.class);
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
  void concurrentSpends_ofTheSameRequest_oneIsClaimed_theOthersReplayItsChange() throws Exception {
    int ids = 100;
    int threads = 8;
    ConcurrentHashMap<Long, AtomicInteger> claimed = new ConcurrentHashMap<>();
    ConcurrentHashMap<Long, Scrip> firstChange = new ConcurrentHashMap<>();
    List<SpendRecorder.Replayed> replays =
        java.util.Collections.synchronizedList(new ArrayList<>());
    try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
      List<Future<?>> fs = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        fs.add(
            pool.submit(
                () -> {
                  for (int i = 0; i < ids; i++) {
                    ScripId id = new ScripId(12, i);
                    Scrip mine = change(10 + i);
                    SpendRecorder.Claim c = recorder.spend(record(id, 6, 1, Optional.of(mine)));
                    switch (c) {
                      case SpendRecorder.Claimed x -> {
                        claimed
                            .computeIfAbsent(id.toLong(), k -> new AtomicInteger())
                            .incrementAndGet();
                        firstChange.put(id.toLong(), mine);
                      }
                      case SpendRecorder.Replayed r -> replays.add(r);
                      case SpendRecorder.InProgress p ->
                          throw new AssertionError("a committed spend was in progress: " + id);
                      case SpendRecorder.AlreadySpent a ->
                          throw new AssertionError("the same request was refused: " + id);
                    }
                  }
                }));
      }
      for (Future<?> f : fs) {
        f.get();
      }
    }
    assertThat(claimed).hasSize(ids);
    assertThat(claimed.values()).allSatisfy(n -> assertThat(n.get()).isEqualTo(1));
    assertThat(replays).hasSize(ids * (threads - 1));
    for (int i = 0; i < ids; i++) {
      assertThat(recorder.spend(record(new ScripId(12, i), 6, 1, Optional.empty())))
          .isEqualTo(
              new SpendRecorder.Replayed(
                  1, Optional.of(firstChange.get(new ScripId(12, i).toLong()))));
    }
  }

  @Test
  void spendAsync_completesOnceDurable() {
    ScripId id = new ScripId(13, 1);
    assertThat(recorder.spendAsync(record(id, 1, 3, Optional.empty())).join())
        .isInstanceOf(SpendRecorder.Claimed.class);
    assertThat(recorder.spendAsync(record(id, 2, 3, Optional.empty())).join())
        .isInstanceOf(SpendRecorder.AlreadySpent.class);
    reopen();
    assertThat(recorder.claim(id, EXPIRES, fp(1)))
        .isEqualTo(new SpendRecorder.Replayed(3, Optional.empty()));
  }

  @Test
  void spend_afterClose_failsAsClosed_andNothingIsSpent() {
    ScripId id = new ScripId(13, 2);
    recorder.close();
    assertThatThrownBy(() -> recorder.spend(record(id, 1, 1, Optional.empty())))
        .isInstanceOf(org.millicent.storage.StorageException.class)
        .hasMessageContaining("storage-closed");
    recorder = open(db);
    assertThat(recorder.claim(id, EXPIRES, fp(1))).isInstanceOf(SpendRecorder.Claimed.class);
  }

  @Test
  void pay_identicalRetry_getsTheChangeOfTheFirstPayment() {
    SecureRandom random = new SecureRandom();
    MasterSecrets masters = MasterSecrets.generate(1, random);
    CustomerSecrets customers = CustomerSecrets.generate(1, random);
    PurchaseService service =
        new PurchaseService(
            "shop.example",
            masters,
            customers,
            recorder,
            new InMemorySerialAllocator(),
            InstantSource.system(),
            Duration.ofHours(1),
            EnumSet.allOf(Variant.class));
    long alice = 0x01_00_0000_0000_0001L;
    Scrip scrip = service.minter().mint(1000, alice, EXPIRES, ScripProperties.NONE);
    RequestDescriptor get =
        RequestDescriptor.of(
            Authority.of("https", "shop.example", -1), "GET", "/pages/1", new byte[0]);
    CustomerSecret secret = customers.derive("shop.example", alice);
    Payment.Signed payment = Payer.signed(scrip, secret, Nonce.random(random), get);

    Purchase first = service.pay(payment, Pricer.fixed(100));
    Purchase again = service.pay(payment, Pricer.fixed(100));

    assertThat(first.isReplay()).isFalse();
    assertThat(first.change().orElseThrow().valueMillicents()).isEqualTo(900);
    assertThat(again.isReplay()).isTrue();
    assertThat(again.change()).isEqualTo(first.change());
    assertThat(again.changeBytes()).isEqualTo(first.changeBytes());
    Payment.Signed other = Payer.signed(scrip, secret, Nonce.random(random), get);
    assertThatThrownBy(() -> service.pay(other, Pricer.fixed(100)))
        .isInstanceOf(SpentException.class);
  }

  long rowCount() {
    return db.withHandle(
        h -> h.createQuery("SELECT count(*) FROM vendor_spends").mapTo(Long.class).one());
  }
}
