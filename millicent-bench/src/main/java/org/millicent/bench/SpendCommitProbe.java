package org.millicent.bench;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongFunction;
import java.util.function.LongSupplier;
import org.millicent.purchase.SpendRecorder.SpendRecord;
import org.millicent.storage.Database;
import org.millicent.storage.Dialect;
import org.millicent.storage.StorageException;
import org.millicent.vendor.store.DurableSpendRecorder;
import org.millicent.vendor.store.VendorSchema;

/**
 * What the embedded writer of the spent list could reach at best on one SQLite file: one thread
 * writes batches of a fixed size back to back with that writer's own statements (the batched insert
 * of committed spends, encoding each change, and the commit with its fsync), and nobody waits for
 * them. With {@code n} spenders that each keep one spend in flight no batch holds more than {@code
 * n} spends, and the commits on one file are serial (one write lock), so this writer, however the
 * spenders are scheduled, does not beat {@code n} spends per cycle measured here. A benchmark tool
 * ({@code millicent bench storage}), not a service path: it writes spends of its own, so it runs
 * only on a database whose spent table is empty. Stateless; each run uses one thread.
 */
public final class SpendCommitProbe {
  /** The largest batch, the most spends the spent list writes in one transaction. */
  public static final int MAX_BATCH_SIZE = DurableSpendRecorder.MAX_BATCH;

  /**
   * Batches written while measuring, and where their time went.
   *
   * @param elapsedNanos the measured wall time, all included (making the records, taking the
   *     connection, inserting, committing)
   */
  public record Result(
      int batchSize, long batches, long elapsedNanos, long insertNanos, long commitNanos) {
    /** Spends committed per second. */
    public double spendsPerSecond() {
      return elapsedNanos == 0 ? 0 : batches * (double) batchSize * 1e9 / elapsedNanos;
    }

    /** Mean wall time per batch, in us. */
    public double cycleMicros() {
      return perBatchMicros(elapsedNanos);
    }

    /** Mean time spent binding and inserting one batch's rows, in us. */
    public double insertMicros() {
      return perBatchMicros(insertNanos);
    }

    /** Mean time of one batch's commit (writing the WAL and the fsync), in us. */
    public double commitMicros() {
      return perBatchMicros(commitNanos);
    }

    private double perBatchMicros(long nanos) {
      return batches == 0 ? 0 : nanos / 1e3 / batches;
    }
  }

  private SpendCommitProbe() {}

  /**
   * Migrates the vendor schema of {@code db}, writes batches of {@code batchSize} spends made by
   * {@code record} (called with 0, 1, 2, ...; each must have a new scrip ID) for {@code warmup},
   * then measures for {@code measure}.
   *
   * @throws IllegalArgumentException when {@code db} is not SQLite or its spent table is not empty,
   *     or {@code batchSize} is not 1 .. {@value #MAX_BATCH_SIZE}
   * @throws StorageException when the database fails, or a row was not written (an ID used twice)
   */
  public static Result run(
      Database db,
      int batchSize,
      Duration warmup,
      Duration measure,
      LongFunction<SpendRecord> record) {
    return run(db, batchSize, warmup, measure, record, System::nanoTime);
  }

  /** {@link #run}, timed by {@code nanoTime}. */
  static Result run(
      Database db,
      int batchSize,
      Duration warmup,
      Duration measure,
      LongFunction<SpendRecord> record,
      LongSupplier nanoTime) {
    if (batchSize < 1 || batchSize > MAX_BATCH_SIZE) {
      throw new IllegalArgumentException(
          "batch size must be 1.." + MAX_BATCH_SIZE + ", was " + batchSize);
    }
    if (db.dialect() != Dialect.SQLITE) {
      throw new IllegalArgumentException("the probe measures the SQLite writer; " + db.describe());
    }
    VendorSchema.migrate(db);
    requireEmpty(db);
    long[] next = {0};
    write(db, batchSize, warmup.toNanos(), record, next, nanoTime);
    return write(db, batchSize, measure.toNanos(), record, next, nanoTime);
  }

  private static void requireEmpty(Database db) {
    boolean any =
        db.withConnection(
            c -> {
              try (PreparedStatement ps =
                      c.prepareStatement("SELECT 1 FROM vendor_spends LIMIT 1");
                  ResultSet rs = ps.executeQuery()) {
                return rs.next();
              }
            });
    if (any) {
      throw new IllegalArgumentException(
          "the probe writes spends of its own and runs only on a throw-away database; "
              + db.describe()
              + " already has spends");
    }
  }

  private static Result write(
      Database db,
      int batchSize,
      long nanos,
      LongFunction<SpendRecord> record,
      long[] next,
      LongSupplier nanoTime) {
    List<SpendRecord> batch = new ArrayList<>(batchSize);
    long batches = 0;
    long inserting = 0;
    long committing = 0;
    long start = nanoTime.getAsLong();
    long now = start;
    while (now - start < nanos) {
      batch.clear();
      for (int i = 0; i < batchSize; i++) {
        batch.add(record.apply(next[0]++));
      }
      long[] times =
          db.withConnection(
              c -> {
                c.setAutoCommit(false);
                long t0 = nanoTime.getAsLong();
                boolean[] written = DurableSpendRecorder.insertCommitted(c, db.dialect(), batch);
                long t1 = nanoTime.getAsLong();
                for (boolean w : written) {
                  if (!w) {
                    throw new StorageException(
                        StorageException.FAILED,
                        "a probe row was not written: its scrip ID was used");
                  }
                }
                c.commit();
                return new long[] {t0, t1, nanoTime.getAsLong()};
              });
      now = times[2];
      inserting += times[1] - times[0];
      committing += now - times[1];
      batches++;
    }
    return new Result(batchSize, batches, now - start, inserting, committing);
  }
}
