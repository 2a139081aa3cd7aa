package org.millicent.storage.vendor;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongFunction;
import org.millicent.purchase.SpendRecorder.SpendRecord;
import org.millicent.storage.Database;
import org.millicent.storage.StorageException;

/**
 * What the spent list's group commit could reach at best on one database: one thread writes batches
 * of a fixed size back to back with the embedded writer's own statements (the batched insert of
 * committed spends and the commit, with its fsync), and nobody waits for them. With {@code n}
 * spenders that each keep one spend in flight, no batch holds more than {@code n} spends, and the
 * commits on one SQLite file are serial (one write lock), so no way of batching them beats {@code
 * n} spends per cycle measured here. A benchmark tool ({@code millicent bench storage}), not a
 * service path: it writes rows of its own into the table of {@code db}, which should be a
 * throw-away database.
 */
public final class SpendCommitProbe {
  /** Batches written while measuring, and where their time went. */
  public record Result(
      int batchSize, long batches, long elapsedNanos, long insertNanos, long commitNanos) {
    /** Spends committed per second. */
    public double spendsPerSecond() {
      return elapsedNanos == 0 ? 0 : batches * (double) batchSize * 1e9 / elapsedNanos;
    }

    /** Mean time of one batch, from taking the connection to the end of its commit, in us. */
    public double cycleMicros() {
      return perBatchMicros(elapsedNanos);
    }

    /** Mean time spent binding and inserting one batch's rows, in us. */
    public double insertMicros() {
      return perBatchMicros(insertNanos);
    }

    /** Mean time of one batch's commit (writing the WAL and the fsync on SQLite), in us. */
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
   * @throws IllegalArgumentException when {@code batchSize} is not 1 .. {@value
   *     DurableSpendRecorder#MAX_BATCH}
   * @throws StorageException when the database fails, or a row was not written (an ID used twice)
   */
  public static Result run(
      Database db,
      int batchSize,
      Duration warmup,
      Duration measure,
      LongFunction<SpendRecord> record) {
    if (batchSize < 1 || batchSize > DurableSpendRecorder.MAX_BATCH) {
      throw new IllegalArgumentException(
          "batch size must be 1.." + DurableSpendRecorder.MAX_BATCH + ", was " + batchSize);
    }
    VendorSchema.migrate(db);
    long[] next = {0};
    write(db, batchSize, warmup.toNanos(), record, next);
    return write(db, batchSize, measure.toNanos(), record, next);
  }

  private static Result write(
      Database db, int batchSize, long nanos, LongFunction<SpendRecord> record, long[] next) {
    List<SpendRecord> batch = new ArrayList<>(batchSize);
    long batches = 0;
    long inserting = 0;
    long committing = 0;
    long start = System.nanoTime();
    long now = start;
    while (now - start < nanos) {
      batch.clear();
      for (int i = 0; i < batchSize; i++) {
        batch.add(record.apply(next[0]++));
      }
      try (Connection c = db.dataSource().getConnection()) {
        c.setAutoCommit(false);
        long t0 = System.nanoTime();
        boolean[] written = SpendTable.insertCommitted(c, db.dialect(), batch);
        long t1 = System.nanoTime();
        for (boolean w : written) {
          if (!w) {
            c.rollback();
            throw new StorageException(
                StorageException.FAILED, "a probe row was not written: its scrip ID was used");
          }
        }
        c.commit();
        now = System.nanoTime();
        inserting += t1 - t0;
        committing += now - t1;
      } catch (SQLException e) {
        throw db.translate(e);
      }
      batches++;
    }
    return new Result(batchSize, batches, now - start, inserting, committing);
  }
}
