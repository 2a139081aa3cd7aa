package org.millicent.vendor.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.millicent.purchase.SpendRecorder;
import org.millicent.scrip.ScripId;
import org.millicent.storage.Database;
import org.millicent.storage.DatabaseConfig;

/**
 * Kills a spending child JVM with SIGKILL at random moments and checks, after each kill, that the
 * store opens cleanly, every spend the child acknowledged is still spent (an identical retry is
 * replayed), and the allocator never hands out a serial the child had been issued.
 */
class SpendCrashIT {
  static final int ROUNDS = 24;
  static final int THREADS = 32;

  @TempDir Path tmp;

  @Test
  void sigkillAtRandomMoments_losesNoAcknowledgedSpendAndReusesNoSerial() throws Exception {
    Path file = tmp.resolve("vendor.db");
    Random random = new Random(20261123L);
    Set<Long> acknowledgedEver = new HashSet<>();
    long maxIssuedEver = -1;
    long acknowledgedTotal = 0;

    for (int round = 0; round < ROUNDS; round++) {
      Child child = Child.start(file, THREADS);
      assertThat(child.spending.await(60, TimeUnit.SECONDS))
          .as("round %d: child acknowledged a first spend; its stderr: %s", round, child.errors)
          .isTrue();
      Thread.sleep(random.nextInt(1000));
      child.process.destroyForcibly(); // SIGKILL on Linux
      assertThat(child.process.waitFor(30, TimeUnit.SECONDS)).isTrue();
      child.reader.join();

      assertThat(child.anomalies).as("round %d anomalies", round).isEmpty();
      for (long s : child.issued) {
        assertThat(s)
            .as("round %d: serial %d was issued in an earlier round", round, s)
            .isGreaterThan(maxIssuedEver);
      }

      try (Database db = Database.open(new DatabaseConfig.Sqlite(file));
          DurableSpendRecorder recorder = DurableSpendRecorder.open(db)) {
        for (long s : child.acknowledged) {
          ScripId id = new ScripId(CrashChild.KEY_ID, s);
          assertThat(recorder.claim(id, CrashChild.EXPIRES, CrashChild.fingerprint(s)))
              .as("round %d: acknowledged spend %s", round, id)
              .isInstanceOf(SpendRecorder.Replayed.class);
        }
        acknowledgedEver.addAll(child.acknowledged);
        for (long s : acknowledgedEver) {
          assertThat(recorder.spentSet().contains(new ScripId(CrashChild.KEY_ID, s)))
              .as("round %d: spend %d of an earlier round", round, s)
              .isTrue();
        }
        maxIssuedEver =
            Math.max(maxIssuedEver, child.issued.stream().mapToLong(x -> x).max().orElse(-1));
        DurableSerialAllocator serials = DurableSerialAllocator.open(db, 97);
        // The parent's own look at the allocator: beyond everything issued. Not closed, so the
        // block stays reserved (as after a crash) and the next child starts above it.
        long next = serials.next(CrashChild.KEY_ID);
        assertThat(next).as("round %d: next serial", round).isGreaterThan(maxIssuedEver);
        maxIssuedEver = next;
      }
      acknowledgedTotal += child.acknowledged.size();
    }
    System.out.printf(
        "crash test: %d rounds, %d acknowledged spends, all present after SIGKILL%n",
        ROUNDS, acknowledgedTotal);
  }

  /** A running child and what it printed. */
  static final class Child {
    final Process process;
    final CountDownLatch spending = new CountDownLatch(1);
    final List<Long> issued = new ArrayList<>();
    final Set<Long> acknowledged = new HashSet<>();
    final List<String> anomalies = new ArrayList<>();
    final StringBuilder errors = new StringBuilder();
    final Thread reader;

    private Child(Process process) {
      this.process = process;
      this.reader = Thread.ofPlatform().start(this::read);
      Thread.ofPlatform()
          .start(
              () -> {
                try (BufferedReader r =
                    new BufferedReader(
                        new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
                  String line;
                  while ((line = r.readLine()) != null) {
                    synchronized (errors) {
                      if (errors.length() < 20_000) {
                        errors.append(line).append('\n');
                      }
                    }
                  }
                } catch (java.io.IOException e) {
                  // The child was killed.
                }
              });
    }

    static Child start(Path file, int threads) throws java.io.IOException {
      String java = ProcessHandle.current().info().command().orElse("java");
      ProcessBuilder pb =
          new ProcessBuilder(
              java,
              "-cp",
              System.getProperty("java.class.path"),
              "-Xmx256m",
              CrashChild.class.getName(),
              file.toString(),
              Integer.toString(threads));
      return new Child(pb.start());
    }

    private void read() {
      try (BufferedReader r =
          new BufferedReader(
              new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = r.readLine()) != null) {
          if (line.startsWith("I ")) {
            issued.add(Long.parseLong(line.substring(2)));
          } else if (line.startsWith("A ")) {
            acknowledged.add(Long.parseLong(line.substring(2)));
            spending.countDown();
          } else if (line.startsWith("X ")) {
            anomalies.add(line);
          }
          // Anything else (a line cut by the kill, log output) is ignored.
        }
      } catch (java.io.IOException | NumberFormatException e) {
        // A line cut short by SIGKILL ends the stream.
      }
    }
  }
}
