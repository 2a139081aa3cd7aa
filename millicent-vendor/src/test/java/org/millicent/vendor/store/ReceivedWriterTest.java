package org.millicent.vendor.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.millicent.storage.Database;
import org.millicent.storage.testing.TestDatabases;

class ReceivedWriterTest {
  @TempDir Path dir;

  private static long rows(Database db) {
    return db.withHandle(
        h -> h.createQuery("SELECT count(*) FROM gateway_received").mapTo(Long.class).one());
  }

  private static ReceivedWriter.Pending pending(long scripId) {
    return new ReceivedWriter.Pending("bob", "lic-1", scripId, 500, 1_800_000_000L);
  }

  @Test
  void recordsOfferedConcurrently_areAllWrittenBy_flush() throws Exception {
    try (Database db = TestDatabases.sqlite(dir)) {
      GatewayStore store = new GatewayStore(db);
      AtomicInteger lost = new AtomicInteger();
      try (ReceivedWriter w = new ReceivedWriter(store, lost::incrementAndGet)) {
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
          int first = t * 1_000;
          threads.add(
              Thread.ofVirtual()
                  .start(
                      () -> {
                        for (int i = 0; i < 1_000; i++) {
                          w.offer(pending(first + i));
                        }
                      }));
        }
        for (Thread t : threads) {
          t.join();
        }
        w.offer(pending(5)); // a second record of one scrip is ignored
        assertThat(w.flush(Duration.ofSeconds(30))).isTrue();
        assertThat(rows(db)).isEqualTo(8_000);
        assertThat(lost).hasValue(0);
      }
    }
  }

  @Test
  void aBatchThatCannotBeWritten_isGivenUpToTheRepair_andFlushDoesNotHang() throws Exception {
    try (Database db = TestDatabases.sqlite(dir)) {
      GatewayStore store = new GatewayStore(db);
      db.withHandle(
          h ->
              h.execute(
                  "CREATE TRIGGER received_fails BEFORE INSERT ON gateway_received"
                      + " BEGIN SELECT RAISE(ABORT, 'simulated disk trouble'); END"));
      AtomicInteger lost = new AtomicInteger();
      try (ReceivedWriter w = new ReceivedWriter(store, lost::incrementAndGet)) {
        w.offer(pending(1));
        assertThat(w.flush(Duration.ofSeconds(30))).isTrue();
        assertThat(lost.get()).isPositive();
        assertThat(rows(db)).isZero();
      }
    }
  }

  @Test
  void offersAfterClose_areGivenUpToTheRepair() throws Exception {
    try (Database db = TestDatabases.sqlite(dir)) {
      GatewayStore store = new GatewayStore(db);
      AtomicInteger lost = new AtomicInteger();
      ReceivedWriter w = new ReceivedWriter(store, lost::incrementAndGet);
      w.offer(pending(1));
      w.close();
      assertThat(rows(db)).as("what was queued is written at close").isEqualTo(1);
      w.offer(pending(2));
      assertThat(lost).hasValue(1);
    }
  }
}
