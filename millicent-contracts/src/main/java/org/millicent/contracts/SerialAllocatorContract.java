package org.millicent.contracts;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.millicent.purchase.SerialAllocator;
import org.millicent.testing.SeededRandom;

/**
 * What every {@link SerialAllocator} must do: each key id counts from 0 on a fresh store, its
 * serials increase and are never handed out twice (also to concurrent threads), and key ids do not
 * share a counter. Durable allocators extend {@link DurableSerialAllocatorContract}.
 *
 * @param <A> the allocator under test
 */
public abstract class SerialAllocatorContract<A extends SerialAllocator> {
  /** The allocator under test, opened before each test. */
  protected A allocator;

  /** Creates a contract test. */
  protected SerialAllocatorContract() {}

  /**
   * Opens the allocator under test. The first call of a test creates an empty store; later calls
   * open another allocator on the same store.
   *
   * @return an allocator over the test's store
   */
  protected abstract A open();

  /**
   * Closes {@code a}, as a shutdown would; the default closes it when it is {@link AutoCloseable}.
   *
   * @param a an allocator {@link #open} returned
   * @throws Exception when closing fails
   */
  protected void close(A a) throws Exception {
    if (a instanceof AutoCloseable c) {
      c.close();
    }
  }

  /**
   * Frees what the test's store holds (its database), after the allocator is closed.
   *
   * @throws Exception when closing fails
   */
  protected void closeStore() throws Exception {}

  @BeforeEach
  final void openAllocator() {
    allocator = open();
  }

  @AfterEach
  final void closeAllocator() throws Exception {
    try {
      close(allocator);
    } finally {
      closeStore();
    }
  }

  @Test
  void next_onAFreshStore_startsEveryKeyIdAtZero() {
    assertThat(allocator.next(0)).isZero();
    assertThat(allocator.next(5)).isZero();
    assertThat(allocator.next(255)).isZero();
  }

  @Test
  void next_issuesIncreasingSerialsPerKeyId_andKeyIdsAreIndependent() {
    List<Long> s = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      s.add(allocator.next(5));
    }
    assertThat(s).isSorted().doesNotHaveDuplicates();
    assertThat(allocator.next(6)).isZero();
    assertThat(allocator.next(5)).isGreaterThan(s.getLast());
  }

  /** Interleavings of key ids chosen by a seeded generator: each key id's serials increase. */
  @Test
  void next_inAnyInterleavingOfKeyIds_increasesPerKeyId() {
    Map<Integer, Long> last = new HashMap<>();
    SeededRandom.seeds(20)
        .forEach(
            seed -> {
              SeededRandom random = new SeededRandom(seed);
              List<Integer> keyIds = new ArrayList<>();
              for (int i = random.intBetween(1, 200); i > 0; i--) {
                keyIds.add(random.oneOf(0, 1, 60, 255));
              }
              SeededRandom.check(
                  seed,
                  keyIds,
                  () -> {
                    for (int keyId : keyIds) {
                      long serial = allocator.next(keyId);
                      Long before = last.put(keyId, serial);
                      if (before != null) {
                        assertThat(serial).as("key id %d", keyId).isGreaterThan(before);
                      }
                    }
                  });
            });
  }

  @Test
  void concurrentThreads_getDistinctSerials() throws Exception {
    Set<Long> all = ConcurrentHashMap.newKeySet();
    SpendClaimContract.concurrently(
        8,
        thread -> {
          for (int i = 0; i < 500; i++) {
            assertThat(all.add(allocator.next(9))).isTrue();
          }
        });
    assertThat(all).hasSize(4000);
  }
}
