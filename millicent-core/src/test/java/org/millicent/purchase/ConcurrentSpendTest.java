package org.millicent.purchase;

import static org.assertj.core.api.Assertions.assertThat;
import static org.millicent.purchase.TestVendor.ALICE;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.millicent.failure.SpentException;
import org.millicent.protocol.Payment;
import org.millicent.scrip.Scrip;

/** Many threads spending one scrip at once: exactly one wins (docs/PROTOCOL.md, "Spent list"). */
class ConcurrentSpendTest {
  private static final int THREADS = 12;
  private static final int ROUNDS = 50;

  @Test
  void manyThreadsSpendingOneScrip_exactlyOneSucceedsAndTheRestAreSpent() throws Exception {
    TestVendor v = new TestVendor();
    try (ExecutorService pool = Executors.newFixedThreadPool(THREADS)) {
      for (int round = 0; round < ROUNDS; round++) {
        Scrip scrip = v.mint(1000, ALICE);
        List<Payment.Signed> payments = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
          payments.add(v.signed(scrip)); // different nonces: different requests
        }
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Object>> results = new ArrayList<>();
        for (Payment.Signed payment : payments) {
          results.add(
              pool.submit(
                  () -> {
                    start.await();
                    try {
                      return v.service.pay(payment, Pricer.fixed(100));
                    } catch (SpentException e) {
                      return e;
                    }
                  }));
        }
        start.countDown();

        int won = 0;
        int spent = 0;
        for (Future<Object> f : results) {
          Object r = f.get();
          if (r instanceof Purchase) {
            won++;
          } else if (r instanceof SpentException) {
            spent++;
          }
        }
        assertThat(won).as("round %d winners", round).isEqualTo(1);
        assertThat(spent).as("round %d refused as spent", round).isEqualTo(THREADS - 1);
      }
    }
    assertThat(v.spentCount()).isEqualTo(ROUNDS);
  }
}
