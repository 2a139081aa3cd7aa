package org.millicent.vendor.store;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import org.millicent.purchase.SpendRecorder;
import org.millicent.purchase.SpendRecorder.SpendRecord;
import org.millicent.scrip.ScripId;
import org.millicent.storage.Database;
import org.millicent.storage.DatabaseConfig;

/**
 * The child JVM of {@link SpendCrashIT}: spends under load until killed. Each spend takes a fresh
 * serial from the durable allocator ("I serial" once issued), claims it, and commits it (or, one
 * time in ten, releases it); "A serial" is printed, and flushed, only after commit returned.
 */
public final class CrashChild {
  static final Instant EXPIRES = Instant.parse("2035-01-01T00:00:00Z");
  static final int KEY_ID = 1;

  private CrashChild() {}

  /** The fingerprint the child uses for {@code serial}, so the parent can replay it. */
  static byte[] fingerprint(long serial) {
    byte[] fp = new byte[16];
    for (int i = 0; i < 8; i++) {
      fp[i] = (byte) (serial >>> (8 * i));
    }
    fp[15] = 0x5a;
    return fp;
  }

  /** Args: database file, number of spender threads. */
  public static void main(String[] args) throws Exception {
    Path file = Path.of(args[0]);
    int threads = Integer.parseInt(args[1]);
    PrintStream out = System.out;
    Database db = Database.open(new DatabaseConfig.Sqlite(file));
    DurableSerialAllocator serials = DurableSerialAllocator.open(db, 97);
    DurableSpendRecorder recorder = DurableSpendRecorder.open(db);
    synchronized (out) {
      out.println("READY");
      out.flush();
    }
    for (int t = 0; t < threads; t++) {
      Thread.ofPlatform()
          .name("spender-" + t)
          .start(
              () -> {
                while (true) {
                  long serial = serials.next(KEY_ID);
                  synchronized (out) {
                    out.println("I " + serial);
                    out.flush();
                  }
                  ScripId id = new ScripId(KEY_ID, serial);
                  byte[] fp = fingerprint(serial);
                  if (!(recorder.claim(id, EXPIRES, fp) instanceof SpendRecorder.Claimed)) {
                    synchronized (out) {
                      out.println("X fresh serial " + serial + " was not claimable");
                      out.flush();
                    }
                    continue;
                  }
                  if (ThreadLocalRandom.current().nextInt(10) == 0) {
                    recorder.release(id);
                    continue;
                  }
                  recorder.commit(
                      new SpendRecord(id, EXPIRES, fp, serial % 1000, Optional.empty()));
                  synchronized (out) {
                    out.println("A " + serial);
                    out.flush();
                  }
                }
              });
    }
    Thread.sleep(Long.MAX_VALUE);
  }
}
