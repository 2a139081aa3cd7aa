package org.millicent.contracts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.millicent.failure.InProgressException;
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
import org.millicent.scrip.Scrip;
import org.millicent.scrip.ScripId;
import org.millicent.scrip.ScripProperties;

/**
 * What a {@link SpendRecorder} that keeps committed spends must do beyond {@link
 * SpendClaimContract}: an identical retry (same fingerprint) of a committed spend is replayed with
 * the first price and change, the one-step {@link SpendRecorder#spend} decides like a claim and a
 * commit, and a {@link PurchaseService} over the recorder pays once and replays retries.
 *
 * @param <R> the recorder under test
 */
public abstract class SpendRecorderContract<R extends SpendRecorder> extends SpendClaimContract<R> {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final ScripMinter MINTER =
      new ScripMinter(
          "shop.example", MasterSecrets.generate(3, RANDOM), new InMemorySerialAllocator());
  private static final long ALICE = 0x01_00_0000_0000_0001L;

  /** Creates a contract test. */
  protected SpendRecorderContract() {}

  /**
   * Change worth {@code value}, as a spend would issue.
   *
   * @param value millicents
   * @return freshly minted scrip
   */
  public static Scrip change(long value) {
    return MINTER.mint(value, 77L, EXPIRES, ScripProperties.of(Map.of("country", "NL")));
  }

  @Test
  void claim_heldByTheSameRequest_isInProgress_thenReplayedOnceCommitted() {
    ScripId id = new ScripId(1, 14);
    Scrip change = change(900);
    assertThat(recorder.claim(id, EXPIRES, fp(3))).isInstanceOf(SpendRecorder.Claimed.class);
    assertThat(recorder.claim(id, EXPIRES, fp(3))).isInstanceOf(SpendRecorder.InProgress.class);

    commit(record(id, 3, 100, Optional.of(change)));

    assertThat(recorder.claim(id, EXPIRES, fp(3)))
        .isEqualTo(new SpendRecorder.Replayed(100, Optional.of(change)));
  }

  @Test
  void claim_identicalRetryOfCommittedSpend_isReplayedWithTheSameChange() {
    ScripId id = new ScripId(1, 13);
    Scrip change = change(995);
    recorder.claim(id, EXPIRES, fp(7));
    commit(record(id, 7, 5, Optional.of(change)));

    assertThat(recorder.claim(id, EXPIRES, fp(7)))
        .isEqualTo(new SpendRecorder.Replayed(5, Optional.of(change)));
  }

  @Test
  void claim_identicalRetryWithoutChange_isReplayedWithNoChange() {
    ScripId id = new ScripId(1, 18);
    recorder.claim(id, EXPIRES, fp(8));
    commit(record(id, 8, 1000, Optional.empty()));
    assertThat(recorder.claim(id, EXPIRES, fp(8)))
        .isEqualTo(new SpendRecorder.Replayed(1000, Optional.empty()));
  }

  @Test
  void spend_freshScrip_isClaimed_thenReplayedForTheSameRequestOnly() {
    ScripId id = new ScripId(10, 1);
    Scrip change = change(900);

    assertThat(recorder.spend(record(id, 1, 100, Optional.of(change))))
        .isInstanceOf(SpendRecorder.Claimed.class);

    assertThat(recorder.claim(id, EXPIRES, fp(1)))
        .isEqualTo(new SpendRecorder.Replayed(100, Optional.of(change)));
    assertThat(recorder.claim(id, EXPIRES, fp(2))).isInstanceOf(SpendRecorder.AlreadySpent.class);
    recorder.release(id);
    assertThat(recorder.claim(id, EXPIRES, fp(2))).isInstanceOf(SpendRecorder.AlreadySpent.class);
  }

  @Test
  void spend_identicalRetry_isReplayedWithTheFirstChange_andChangesNothing() {
    ScripId id = new ScripId(10, 2);
    Scrip first = change(900);
    recorder.spend(record(id, 3, 100, Optional.of(first)));

    // The retry minted other change (its serial is skipped); the first is what counts.
    assertThat(recorder.spend(record(id, 3, 100, Optional.of(change(900)))))
        .isEqualTo(new SpendRecorder.Replayed(100, Optional.of(first)));
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

    commit(record(id, 1, 9, Optional.empty()));
    assertThat(recorder.claim(id, EXPIRES, fp(1)))
        .isEqualTo(new SpendRecorder.Replayed(9, Optional.empty()));
  }

  @Test
  void spend_refusedWhileAnotherHoldsTheClaim_leavesNothingBehind() {
    ScripId id = new ScripId(10, 6);
    recorder.claim(id, EXPIRES, fp(2));
    assertThat(recorder.spend(record(id, 1, 100, Optional.empty())))
        .isInstanceOf(SpendRecorder.AlreadySpent.class);

    recorder.release(id); // the holder gives up: the scrip is spendable again, by anyone

    assertThat(recorder.spend(record(id, 1, 100, Optional.empty())))
        .isInstanceOf(SpendRecorder.Claimed.class);
  }

  @Test
  void spend_committedThroughClaimAndCommit_isReplayedForTheSameRequest() {
    ScripId id = new ScripId(10, 5);
    Scrip change = change(70);
    recorder.claim(id, EXPIRES, fp(4));
    commit(record(id, 4, 30, Optional.of(change)));

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
    concurrently(
        threads,
        thread -> {
          for (int i = 0; i < ids; i++) {
            ScripId id = new ScripId(11, i);
            SpendRecorder.Claim c = recorder.spend(record(id, thread, 1, Optional.empty()));
            if (c instanceof SpendRecorder.Claimed) {
              wins.computeIfAbsent(id.toLong(), k -> new AtomicInteger()).incrementAndGet();
            } else {
              assertThat(c).isInstanceOf(SpendRecorder.AlreadySpent.class);
            }
          }
        });
    assertThat(wins).hasSize(ids);
    assertThat(wins.values()).allSatisfy(n -> assertThat(n.get()).isEqualTo(1));
  }

  @Test
  void concurrentSpends_ofTheSameRequest_oneIsClaimed_theOthersReplayItsChange() throws Exception {
    int ids = 100;
    int threads = 8;
    ConcurrentHashMap<Long, AtomicInteger> claimed = new ConcurrentHashMap<>();
    ConcurrentHashMap<Long, Scrip> firstChange = new ConcurrentHashMap<>();
    List<SpendRecorder.Replayed> replays = Collections.synchronizedList(new ArrayList<>());
    concurrently(
        threads,
        thread -> {
          for (int i = 0; i < ids; i++) {
            ScripId id = new ScripId(12, i);
            Scrip mine = change(10 + i);
            switch (recorder.spend(record(id, 6, 1, Optional.of(mine)))) {
              case SpendRecorder.Claimed x -> {
                claimed.computeIfAbsent(id.toLong(), k -> new AtomicInteger()).incrementAndGet();
                firstChange.put(id.toLong(), mine);
              }
              case SpendRecorder.Replayed r -> replays.add(r);
              case SpendRecorder.InProgress p ->
                  throw new AssertionError("a committed spend was in progress: " + id);
              case SpendRecorder.AlreadySpent a ->
                  throw new AssertionError("the same request was refused: " + id);
            }
          }
        });
    assertThat(claimed).hasSize(ids);
    assertThat(claimed.values()).allSatisfy(n -> assertThat(n.get()).isEqualTo(1));
    assertThat(replays).hasSize(ids * (threads - 1));
    for (int i = 0; i < ids; i++) {
      ScripId id = new ScripId(12, i);
      Scrip change =
          Objects.requireNonNull(firstChange.get(id.toLong()), () -> "no claim recorded for " + id);
      assertThat(recorder.spend(record(id, 6, 1, Optional.empty())))
          .isEqualTo(new SpendRecorder.Replayed(1, Optional.of(change)));
    }
  }

  // ------------------------------------------------- through the purchase service

  private PurchaseService service(Duration inProgressWait) {
    return new PurchaseService(
        "shop.example",
        MasterSecrets.generate(1, RANDOM),
        CUSTOMERS,
        recorder,
        new InMemorySerialAllocator(),
        InstantSource.system(),
        Duration.ofHours(1),
        EnumSet.allOf(Variant.class),
        inProgressWait);
  }

  private static final CustomerSecrets CUSTOMERS = CustomerSecrets.generate(1, RANDOM);

  private static Payment.Signed payment(PurchaseService service, long value, String path) {
    return signed(service.minter().mint(value, ALICE, EXPIRES, ScripProperties.NONE), path);
  }

  private static Payment.Signed signed(Scrip scrip, String path) {
    RequestDescriptor get =
        RequestDescriptor.of(Authority.of("https", "shop.example", -1), "GET", path, new byte[0]);
    CustomerSecret secret = CUSTOMERS.derive("shop.example", ALICE);
    return Payer.signed(scrip, secret, Nonce.random(RANDOM), get);
  }

  @Test
  void begin_identicalRetryWhileTheFirstHoldsTheClaim_waitsAndGetsTheFirstChange()
      throws Exception {
    PurchaseService service = service(Duration.ofSeconds(30));
    Payment.Signed payment = payment(service, 10_000, "/slow");
    Purchase first = service.begin(payment, Pricer.fixed(100));

    try (ExecutorService pool = Executors.newSingleThreadExecutor()) {
      Future<Purchase> retry = pool.submit(() -> service.begin(payment, Pricer.fixed(100)));
      Thread.sleep(200); // not needed for correctness: the retry is then most likely waiting
      first.commit();
      Purchase again = retry.get(30, TimeUnit.SECONDS);

      assertThat(again.isReplay()).isTrue();
      assertThat(again.change()).isEqualTo(first.change());
      assertThat(again.change().orElseThrow().valueMillicents()).isEqualTo(9_900);
    }
  }

  @Test
  void begin_identicalRetryWhileClaimed_withoutWaiting_isInProgressNotSpent() {
    PurchaseService service = service(Duration.ZERO);
    Payment.Signed payment = payment(service, 10_000, "/slow");
    Purchase first = service.begin(payment, Pricer.fixed(100));

    assertThatThrownBy(() -> service.begin(payment, Pricer.fixed(100)))
        .isInstanceOf(InProgressException.class);
    first.release();
    assertThat(service.begin(payment, Pricer.fixed(100)).isReplay()).isFalse();
  }

  @Test
  void pay_identicalRetry_getsTheChangeOfTheFirstPayment_anotherPaymentIsSpent() {
    PurchaseService service = service(Duration.ZERO);
    Scrip scrip = service.minter().mint(1000, ALICE, EXPIRES, ScripProperties.NONE);
    Payment.Signed payment = signed(scrip, "/pages/1");

    Purchase first = service.pay(payment, Pricer.fixed(100));
    Purchase again = service.pay(payment, Pricer.fixed(100));

    assertThat(first.isReplay()).isFalse();
    assertThat(first.change().orElseThrow().valueMillicents()).isEqualTo(900);
    assertThat(again.isReplay()).isTrue();
    assertThat(again.change()).isEqualTo(first.change());
    assertThat(again.changeBytes()).isEqualTo(first.changeBytes());
    Payment.Signed other = signed(scrip, "/pages/1"); // another nonce: another request
    assertThatThrownBy(() -> service.pay(other, Pricer.fixed(100)))
        .isInstanceOf(SpentException.class);
  }
}
