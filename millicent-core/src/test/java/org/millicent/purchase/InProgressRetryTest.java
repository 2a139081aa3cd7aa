package org.millicent.purchase;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.millicent.purchase.TestVendor.ALICE;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.millicent.failure.InProgressException;
import org.millicent.failure.SpentException;
import org.millicent.protocol.Nonce;
import org.millicent.protocol.Payer;
import org.millicent.protocol.Payment;
import org.millicent.protocol.RequestDescriptor;
import org.millicent.protocol.Variant;
import org.millicent.scrip.Scrip;
import org.millicent.scrip.ScripCodec;

/**
 * A retry of a payment whose first attempt still holds its claim is never answered {@code spent}
 * (issue 12, part 1): it waits for the first attempt's outcome and replays it, or answers {@code
 * in-progress} when the wait runs out; another request with the same scrip stays {@code spent}.
 */
class InProgressRetryTest {
  private static final Duration LONG_WAIT = Duration.ofSeconds(30);

  private final TestVendor v = new TestVendor();

  private PurchaseService service(Duration wait) {
    return new PurchaseService(
        TestVendor.VENDOR,
        v.masters,
        v.customers,
        v.recorder,
        v.serials,
        v.clock,
        TestVendor.CHANGE_LIFETIME,
        EnumSet.allOf(Variant.class),
        wait);
  }

  /**
   * Begins an identical retry of {@code payment} in another thread while its first purchase holds
   * the claim, waits until the retry blocks on it, ends the first purchase with {@code end} (commit
   * or release), and returns what the retry got.
   */
  private static Purchase retryWhileClaimed(
      PurchaseService service, Payment.Signed payment, Runnable end) throws InterruptedException {
    Purchase[] retry = new Purchase[1];
    Thread t =
        Thread.ofPlatform().start(() -> retry[0] = service.begin(payment, Pricer.fixed(100)));
    awaitBlocked(t);
    end.run();
    t.join(LONG_WAIT.toMillis());
    return retry[0];
  }

  /** Waits until {@code t} is blocked (waiting for the first attempt), so the test is not racy. */
  private static void awaitBlocked(Thread t) throws InterruptedException {
    while (t.getState() != Thread.State.TIMED_WAITING && t.getState() != Thread.State.WAITING) {
      if (!t.isAlive()) {
        return;
      }
      Thread.sleep(1);
    }
  }

  @Test
  void begin_identicalRetryWhileClaimed_isInProgressNotSpent() {
    PurchaseService service = service(Duration.ZERO);
    Scrip scrip = v.mint(10_000, ALICE);
    Payment.Signed payment = v.signed(scrip);
    Purchase first = service.begin(payment, Pricer.fixed(100));

    assertThatThrownBy(() -> service.begin(payment, Pricer.fixed(100)))
        .isInstanceOf(InProgressException.class)
        .hasMessageContaining("not lost");

    first.commit();
    Purchase retry = service.begin(payment, Pricer.fixed(100));
    assertThat(retry.isReplay()).isTrue();
    assertThat(retry.change()).isEqualTo(first.change());
  }

  @Test
  void begin_identicalRetryWaits_thenReplaysTheCommittedChange() throws Exception {
    PurchaseService service = service(LONG_WAIT);
    Scrip scrip = v.mint(10_000, ALICE);
    Payment.Signed payment = v.signed(scrip);
    Purchase first = service.begin(payment, Pricer.fixed(100));

    Purchase retry = retryWhileClaimed(service, payment, first::commit);

    assertThat(retry.isReplay()).isTrue();
    assertThat(retry.priceMillicents()).isEqualTo(100);
    assertThat(retry.change().orElseThrow().valueMillicents()).isEqualTo(9_900);
    assertThat(retry.change()).isEqualTo(first.change());
  }

  @Test
  void begin_identicalRetryWaits_thenRedoesAReleasedClaim() throws Exception {
    PurchaseService service = service(LONG_WAIT);
    Scrip scrip = v.mint(10_000, ALICE);
    Payment.Signed payment = v.signed(scrip);
    Purchase first = service.begin(payment, Pricer.fixed(100));

    Purchase retry = retryWhileClaimed(service, payment, first::release);

    assertThat(retry.isReplay()).isFalse();
    retry.commit();
    assertThat(service.begin(payment, Pricer.fixed(100)).change()).isEqualTo(retry.change());
  }

  @Test
  void begin_anotherRequestWhileClaimed_isSpentAtOnce() {
    PurchaseService service = service(LONG_WAIT);
    Scrip scrip = v.mint(10_000, ALICE);
    service.begin(v.signed(scrip), Pricer.fixed(100));

    assertThatThrownBy(() -> service.begin(v.signed(scrip), Pricer.fixed(100)))
        .isInstanceOf(SpentException.class);
  }

  @Test
  void pay_eightIdenticalAtOnce_allGetTheSameChange_oneCharge() throws Exception {
    PurchaseService service = service(LONG_WAIT);
    Scrip scrip = v.mint(10_000, ALICE);
    Payment.Signed payment = v.signed(scrip);
    CountDownLatch go = new CountDownLatch(1);
    List<Future<Purchase>> answers = new ArrayList<>();
    try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
      for (int i = 0; i < 8; i++) {
        answers.add(
            pool.submit(
                () -> {
                  go.await();
                  return service.pay(payment, Pricer.fixed(100));
                }));
      }
      go.countDown();
      List<Purchase> done = new ArrayList<>();
      for (Future<Purchase> f : answers) {
        done.add(f.get(30, TimeUnit.SECONDS));
      }
      assertThat(done.stream().filter(p -> !p.isReplay())).hasSize(1);
      assertThat(done).allSatisfy(p -> assertThat(p.change()).isEqualTo(done.getFirst().change()));
    }
  }

  @Test
  void exchange_identicalRenewWhileTheFirstIsRecording_getsTheSameOutputs() throws Exception {
    CountDownLatch recording = new CountDownLatch(1);
    CountDownLatch proceed = new CountDownLatch(1);
    InMemoryExchangeRecorder inner = new InMemoryExchangeRecorder();
    ExchangeRecorder slow =
        new ExchangeRecorder() {
          @Override
          public java.util.Optional<List<Scrip>> find(byte[] fingerprint) {
            return inner.find(fingerprint);
          }

          @Override
          public void record(byte[] fingerprint, Instant forgetAfter, List<Scrip> outputs) {
            recording.countDown();
            try {
              proceed.await();
            } catch (InterruptedException e) {
              throw new IllegalStateException(e);
            }
            inner.record(fingerprint, forgetAfter, outputs);
          }

          @Override
          public int dropExpiredBefore(Instant horizon) {
            return inner.dropExpiredBefore(horizon);
          }
        };
    ExchangeService exchanges = new ExchangeService(service(LONG_WAIT), slow, Duration.ofDays(2));
    Scrip old = v.mint(500, ALICE);
    byte[] body = "renew".getBytes(StandardCharsets.UTF_8);
    Payment payment =
        Payer.signed(
            old,
            v.secretOf(ALICE),
            Nonce.random(v.random),
            RequestDescriptor.of(TestVendor.ORIGIN, "POST", "/millicent/exchange", body));
    List<byte[]> inputs = List.of(ScripCodec.encode(old));

    Exchange[] first = new Exchange[1];
    Thread a =
        Thread.ofPlatform()
            .start(
                () -> first[0] = exchanges.exchange(payment, inputs, new ExchangeService.Renew()));
    recording.await();
    Exchange[] second = new Exchange[1];
    Thread b =
        Thread.ofPlatform()
            .start(
                () -> second[0] = exchanges.exchange(payment, inputs, new ExchangeService.Renew()));
    awaitBlocked(b);
    proceed.countDown();
    a.join(LONG_WAIT.toMillis());
    b.join(LONG_WAIT.toMillis());

    assertThat(first[0].isReplay()).isFalse();
    assertThat(second[0].isReplay()).isTrue();
    assertThat(second[0].outputs()).isEqualTo(first[0].outputs());
  }
}
