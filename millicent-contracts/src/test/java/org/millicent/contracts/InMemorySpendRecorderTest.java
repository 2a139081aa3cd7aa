package org.millicent.contracts;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.millicent.purchase.InMemorySpendRecorder;
import org.millicent.purchase.SpendRecorder;
import org.millicent.scrip.ScripId;

/** Core's in-memory spent list against the spend contract (not durable: lost on restart). */
class InMemorySpendRecorderTest extends SpendRecorderContract<InMemorySpendRecorder> {
  @Override
  protected InMemorySpendRecorder open() {
    return new InMemorySpendRecorder();
  }

  /**
   * The contract's concurrent identical spends, with three threads released together for each
   * scrip, many times: the window where one spend's record was kept but its scrip not yet marked
   * let a second claim it, and a third then saw that committed spend "in progress". Fast in memory
   * only, so here rather than in the contract.
   */
  @Test
  void identicalSpendsReleasedTogether_oneClaims_theOthersReplay_everyTime() throws Exception {
    int ids = 20_000;
    CyclicBarrier together = new CyclicBarrier(3);
    AtomicInteger claimed = new AtomicInteger();
    AtomicInteger replayed = new AtomicInteger();
    SpendRecorderContract.concurrently(
        3,
        thread -> {
          for (int i = 0; i < ids; i++) {
            SpendRecorder.SpendRecord r =
                new SpendRecorder.SpendRecord(
                    new ScripId(13, i),
                    Instant.parse("2099-01-01T00:00:00Z"),
                    SpendClaimContract.fp(7),
                    1,
                    Optional.empty());
            try {
              together.await(10, TimeUnit.SECONDS);
            } catch (BrokenBarrierException | TimeoutException e) {
              return; // another thread failed: its failure is the one reported
            } catch (InterruptedException e) {
              throw new IllegalStateException(e);
            }
            switch (recorder.spend(r)) {
              case SpendRecorder.Claimed c -> claimed.incrementAndGet();
              case SpendRecorder.Replayed p -> replayed.incrementAndGet();
              case SpendRecorder.InProgress p ->
                  throw new AssertionError("an identical one-step spend was in progress: " + i);
              case SpendRecorder.AlreadySpent a ->
                  throw new AssertionError("the same request was refused: " + i);
            }
          }
        });
    assertThat(claimed).hasValue(ids);
    assertThat(replayed).hasValue(2 * ids);
  }
}
