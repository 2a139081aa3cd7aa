package org.millicent.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.millicent.storage.GroupCommitter.Outcome;

class GroupCommitterTest {
  @SuppressWarnings("UnnecessaryLambda") // one translator shared by every case
  private static final Function<Exception, StorageException> TRANSLATE =
      e -> new StorageException(StorageException.FAILED, "failed: " + e.getMessage(), e);

  @Test
  void eachItemGetsItsOwnOutcome_completedOffTheWriterThread() {
    List<String> writerThreads = new ArrayList<>();
    // Held until every item has its dependent stage, so that none completes on this thread.
    CountDownLatch submitted = new CountDownLatch(1);
    try (GroupCommitter<Integer, Integer> g =
        GroupCommitter.start(
            "t",
            1,
            64,
            true,
            batch -> {
              submitted.await(10, TimeUnit.SECONDS);
              writerThreads.add(Thread.currentThread().getName());
              List<Outcome<Integer>> out = new ArrayList<>();
              for (int i : batch) {
                out.add(
                    i % 2 == 0 ? Outcome.ok(i * 10) : Outcome.failed(new IllegalStateException()));
              }
              return out;
            },
            TRANSLATE)) {
      List<CompletableFuture<String>> seen = new ArrayList<>();
      for (int i = 0; i < 100; i++) {
        int item = i;
        seen.add(
            g.submit(i)
                .handle(
                    (v, e) ->
                        Thread.currentThread().getName()
                            + ":"
                            + (e == null ? v : e.getClass().getSimpleName())
                            + ":"
                            + item));
      }
      submitted.countDown();
      for (int i = 0; i < 100; i++) {
        String[] parts = seen.get(i).join().split(":", -1);
        assertThat(parts[0]).as("completed by").isEqualTo("t-done");
        assertThat(parts[1])
            .isEqualTo(i % 2 == 0 ? String.valueOf(i * 10) : "IllegalStateException");
      }
      assertThat(writerThreads).isNotEmpty().allMatch("t-0"::equals);
      assertThat(g.items()).isEqualTo(100);
    }
  }

  @Test
  void withoutACompleter_theWriterCompletesTheFutures() {
    CountDownLatch submitted = new CountDownLatch(1);
    try (GroupCommitter<Integer, Integer> g =
        GroupCommitter.start(
            "t",
            1,
            64,
            false,
            batch -> {
              submitted.await(10, TimeUnit.SECONDS);
              return batch.stream().map(Outcome::ok).toList();
            },
            TRANSLATE)) {
      CompletableFuture<String> by = g.submit(1).thenApply(v -> Thread.currentThread().getName());
      submitted.countDown();
      assertThat(by.join()).isEqualTo("t-0");
    }
  }

  @Test
  void aFailedBatch_failsEveryItemWithTheTranslatedError() {
    try (GroupCommitter<Integer, Integer> g =
        GroupCommitter.start(
            "t",
            1,
            64,
            true,
            batch -> {
              throw new SQLException("disk on fire", "58030");
            },
            TRANSLATE)) {
      CompletableFuture<Integer> f = g.submit(1);
      assertThatThrownBy(f::join)
          .isInstanceOf(CompletionException.class)
          .cause()
          .isInstanceOf(StorageException.class)
          .hasMessageContaining("disk on fire");
      assertThat(g.failedBatches()).isEqualTo(1);
    }
  }

  @Test
  void aBatchRolledBackForADeadlock_isWrittenAgain_upToThreeTimes() {
    AtomicInteger calls = new AtomicInteger();
    try (GroupCommitter<Integer, Integer> twice =
        GroupCommitter.start(
            "t",
            1,
            64,
            true,
            batch -> {
              if (calls.incrementAndGet() <= 2) {
                throw new SQLException("deadlock detected", "40P01");
              }
              return batch.stream().map(Outcome::ok).toList();
            },
            TRANSLATE)) {
      assertThat(twice.submit(7).join()).isEqualTo(7);
      assertThat(calls).hasValue(3);
    }
    AtomicInteger always = new AtomicInteger();
    try (GroupCommitter<Integer, Integer> never =
        GroupCommitter.start(
            "t",
            1,
            64,
            true,
            batch -> {
              always.incrementAndGet();
              throw new SQLException("could not serialize access", "40001");
            },
            TRANSLATE)) {
      assertThatThrownBy(never.submit(7)::join).cause().isInstanceOf(StorageException.class);
      assertThat(always).hasValue(4);
    }
  }

  @Test
  void close_completesEverythingQueued_thenRefusesNewItems() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    GroupCommitter<Integer, Integer> g =
        GroupCommitter.start(
            "t",
            1,
            4,
            true,
            batch -> {
              release.await(10, TimeUnit.SECONDS);
              return batch.stream().map(Outcome::ok).toList();
            },
            TRANSLATE);
    List<CompletableFuture<Integer>> queued = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      queued.add(g.submit(i));
    }
    release.countDown();
    g.close();
    for (int i = 0; i < 20; i++) {
      assertThat(queued.get(i)).as("item %d", i).isCompletedWithValue(i);
    }
    assertThatThrownBy(g.submit(99)::join)
        .cause()
        .isInstanceOf(StorageException.class)
        .extracting(e -> ((StorageException) e).code())
        .isEqualTo(StorageException.CLOSED);
  }
}
