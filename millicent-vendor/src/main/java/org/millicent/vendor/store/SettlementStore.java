package org.millicent.vendor.store;

import java.time.Instant;
import java.util.List;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.HandleCallback;
import org.jdbi.v3.core.statement.PreparedBatch;
import org.jdbi.v3.core.transaction.TransactionIsolationLevel;
import org.millicent.scrip.ScripCodec;
import org.millicent.scrip.ScripId;
import org.millicent.storage.Database;
import org.millicent.storage.Dialect;

/**
 * The gateway's settlement tables: licensed scrip received from brokers ({@code gateway_received}),
 * the marks that settle them ({@code gateway_settlements}) and warehouse sales ({@code
 * gateway_sales}). Every method is one transaction. Thread-safe.
 */
public final class SettlementStore {
  /** One licensed scrip received. */
  public record Received(long seq, long scripId, long valueMillicents) {}

  /** A received report: the records since the last settlement and the mark that settles them. */
  public record Report(List<Received> received, long upto) {}

  /**
   * What one broker owes the vendor, as far as the vendor knows: the licensed scrip it received and
   * has not yet reported to the broker ({@code pieces}, their face {@code value}, and {@code due} =
   * each piece's value less the licence's discount, rounded down, as the broker pays it), and the
   * warehouse lots sold to it ({@code lots}, {@code lotPieces}, their {@code lotsDue}; the vendor
   * keeps no record of their payment).
   */
  public record Receivable(
      String broker, long pieces, long value, long due, long lots, long lotPieces, long lotsDue) {}

  /** The key of the received lock on PostgreSQL (see {@link #receivedReport}). */
  private static final String RECEIVED_LOCK =
      "hashtextextended('millicent-gateway-received/' || current_schema(), 0)";

  private static final String INSERT_RECEIVED =
      "INSERT INTO gateway_received (broker, licence_id, scrip_id, value_millicents, received_at)";

  private final Database db;
  private final String recordReceivedSql;

  SettlementStore(Database db) {
    this.db = db;
    // On PostgreSQL the lock is taken in the insert's own statement (its CTE is evaluated before
    // the row, and so before the identity's nextval): no extra round trip on the payment path.
    this.recordReceivedSql =
        db.dialect() == Dialect.POSTGRESQL
            ? "WITH held AS (SELECT pg_advisory_xact_lock_shared("
                + RECEIVED_LOCK
                + ")) "
                + INSERT_RECEIVED
                + " SELECT :b, :l, :s, :v, :t FROM held ON CONFLICT (scrip_id) DO NOTHING"
            : INSERT_RECEIVED + " VALUES (:b, :l, :s, :v, :t) ON CONFLICT (scrip_id) DO NOTHING";
  }

  // --------------------------------------------------------------- received

  /**
   * Records a batch of licensed scrip received in one transaction; a second record of one scrip ID
   * is ignored. On PostgreSQL every insert holds the received lock shared until the commit (see
   * {@link #receivedReport}).
   */
  public void recordReceived(List<ReceivedWriter.Pending> batch) {
    db.inTransaction(
        h -> {
          PreparedBatch b = h.prepareBatch(recordReceivedSql);
          for (ReceivedWriter.Pending p : batch) {
            b.bind("b", p.broker())
                .bind("l", p.licenceId())
                .bind("s", p.scripId())
                .bind("v", p.valueMillicents())
                .bind("t", p.at())
                .add();
          }
          b.execute();
          return null;
        });
  }

  /**
   * Records from the spent list every committed spend of scrip minted under {@code licence}'s key
   * ids that has no received record: the repair for a record lost between a committed spend and its
   * {@link #recordReceived} (a database failure, a crash). The scrip's value is what the spend
   * record keeps: the price plus the change issued (an exchange input is recorded at its whole
   * value). One range scan of the spent list's primary key per key id.
   *
   * @return how many records were added
   */
  public int recordMissingReceived(GatewayStore.Licence licence, Instant at) {
    int added = 0;
    for (int keyId : licence.keyIds()) {
      long first = new ScripId(keyId, 0).toLong();
      long last = new ScripId(keyId, ScripId.MAX_SERIAL).toLong();
      added +=
          db.inTransaction(
              h -> {
                lockReceived(h, "pg_advisory_xact_lock_shared");
                record Missing(long scripId, long price, byte[] change) {}
                List<Missing> missing =
                    h.createQuery(
                            "SELECT s.scrip_id, s.price_millicents, s.change FROM vendor_spends s"
                                + " WHERE s.scrip_id BETWEEN :first AND :last"
                                + " AND s.price_millicents IS NOT NULL AND NOT EXISTS"
                                + " (SELECT 1 FROM gateway_received r WHERE r.scrip_id = s.scrip_id)"
                                + " ORDER BY s.scrip_id")
                        .bind("first", first)
                        .bind("last", last)
                        .map((rs, ctx) -> new Missing(rs.getLong(1), rs.getLong(2), rs.getBytes(3)))
                        .list();
                for (Missing m : missing) {
                  long change =
                      m.change() == null || m.change().length == 0
                          ? 0
                          : ScripCodec.decode(m.change()).valueMillicents();
                  h.createUpdate(
                          INSERT_RECEIVED
                              + " VALUES (:b, :l, :s, :v, :t) ON CONFLICT (scrip_id) DO NOTHING")
                      .bind("b", licence.broker())
                      .bind("l", licence.licenceId())
                      .bind("s", m.scripId())
                      .bind("v", m.price() + change)
                      .bind("t", at.getEpochSecond())
                      .execute();
                }
                return missing.size();
              });
    }
    return added;
  }

  /**
   * The licensed scrip received from {@code broker} since its last settlement, in order, and the
   * mark that settles exactly them.
   *
   * <p>The mark is a high-water mark over {@code seq}, so the report must never pass a record that
   * is still to commit: one that took a lower {@code seq} than a committed record but commits after
   * the report was read would fall below the settled mark and never be reported. On SQLite this
   * cannot happen: one writer at a time, and an insert takes its {@code seq} and commits while it
   * holds the write lock (also the repair's transaction), so committed records always form a prefix
   * of the sequence. On PostgreSQL writers run concurrently, so every transaction that inserts a
   * received record holds the received lock (a transaction-scoped advisory lock keyed by the
   * schema) shared before it takes a {@code seq}, and the report takes it exclusively, which waits
   * until every transaction that took a {@code seq} so far has ended, then reads the high-water
   * mark under it, in READ COMMITTED so that the read sees those commits. Any later insert takes a
   * higher {@code seq} (the identity's cache is 1, as created). The lock is held for that one read,
   * not while the records are listed.
   */
  public Report receivedReport(String broker) {
    long highWater = highWater();
    return db.inTransaction(
        h -> {
          long settled =
              h.createQuery("SELECT settled_upto FROM gateway_settlements WHERE broker = :b")
                  .bind("b", broker)
                  .mapTo(Long.class)
                  .findOne()
                  .orElse(0L);
          List<Received> received =
              h.createQuery(
                      "SELECT seq, scrip_id, value_millicents FROM gateway_received"
                          + " WHERE broker = :b AND seq > :settled AND seq <= :high ORDER BY seq")
                  .bind("b", broker)
                  .bind("settled", settled)
                  .bind("high", highWater)
                  .map(
                      (rs, ctx) ->
                          new Received(rs.getLong("seq"), rs.getLong("scrip_id"), rs.getLong(3)))
                  .list();
          long upto = received.isEmpty() ? settled : received.getLast().seq();
          return new Report(received, upto);
        });
  }

  /** The highest {@code seq} below which every received record has committed (see above). */
  private long highWater() {
    HandleCallback<Long, RuntimeException> readHighWater =
        h -> {
          lockReceived(h, "pg_advisory_xact_lock");
          return h.createQuery("SELECT COALESCE(MAX(seq), 0) FROM gateway_received")
              .mapTo(Long.class)
              .one();
        };
    return db.dialect() == Dialect.POSTGRESQL
        ? db.withHandle(
            h -> h.inTransaction(TransactionIsolationLevel.READ_COMMITTED, readHighWater))
        : db.withHandle(readHighWater);
  }

  /**
   * The highest mark a report could give {@code broker} now: the last of its records below the
   * high-water mark, or its settled mark. Settling beyond it would hide records that no report has
   * shown yet, and the broker would never be billed for them.
   */
  public long reportableUpto(String broker) {
    long high = highWater();
    long last =
        db.withHandle(
            h ->
                h.createQuery(
                        "SELECT COALESCE(MAX(seq), 0) FROM gateway_received"
                            + " WHERE broker = :b AND seq <= :high")
                    .bind("b", broker)
                    .bind("high", high)
                    .mapTo(Long.class)
                    .one());
    return Math.max(last, settledUpto(broker));
  }

  /**
   * On PostgreSQL, takes the received lock for the rest of the transaction with {@code function}
   * ({@code pg_advisory_xact_lock} or {@code pg_advisory_xact_lock_shared}); on SQLite a no-op.
   */
  private void lockReceived(Handle h, String function) {
    if (db.dialect() == Dialect.POSTGRESQL) {
      h.createQuery("SELECT 1 FROM (SELECT " + function + "(" + RECEIVED_LOCK + ")) AS locked")
          .mapTo(Integer.class)
          .one();
    }
  }

  /** The highest sequence settled for {@code broker}, 0 when none. */
  public long settledUpto(String broker) {
    return db.withHandle(
        h ->
            h.createQuery("SELECT settled_upto FROM gateway_settlements WHERE broker = :b")
                .bind("b", broker)
                .mapTo(Long.class)
                .findOne()
                .orElse(0L));
  }

  /** Marks everything up to {@code upto} settled for {@code broker} (never moves backwards). */
  public void settle(String broker, long upto) {
    db.withHandle(
        h ->
            h.createUpdate(
                    "INSERT INTO gateway_settlements (broker, settled_upto) VALUES (:b, :u)"
                        + " ON CONFLICT (broker) DO UPDATE SET settled_upto ="
                        + " CASE WHEN excluded.settled_upto > gateway_settlements.settled_upto"
                        + " THEN excluded.settled_upto ELSE gateway_settlements.settled_upto END")
                .bind("b", broker)
                .bind("u", upto)
                .execute());
  }

  // ------------------------------------------------------------------ sales

  /** Records a warehouse sale. */
  public void recordSale(String broker, int count, long value, long amountDue, Instant at) {
    db.withHandle(
        h ->
            h.createUpdate(
                    "INSERT INTO gateway_sales (broker, count, value_millicents,"
                        + " amount_due_millicents, sold_at) VALUES (:b, :c, :v, :a, :t)")
                .bind("b", broker)
                .bind("c", count)
                .bind("v", value)
                .bind("a", amountDue)
                .bind("t", at.getEpochSecond())
                .execute());
  }

  /**
   * Per broker with received scrip not yet reported or a warehouse lot: what it owes (see {@link
   * Receivable}), by broker name.
   */
  public List<Receivable> receivables() {
    return db.withHandle(
        h -> {
          java.util.Map<String, long[]> by = new java.util.TreeMap<>();
          h.createQuery(
                  "SELECT r.broker, COUNT(*), SUM(r.value_millicents),"
                      + " SUM(r.value_millicents * (10000 - l.discount_bps) / 10000)"
                      + " FROM gateway_received r"
                      + " JOIN gateway_licences l ON l.licence_id = r.licence_id"
                      + " LEFT JOIN gateway_settlements s ON s.broker = r.broker"
                      + " WHERE r.seq > COALESCE(s.settled_upto, 0) GROUP BY r.broker")
              .map(
                  (rs, ctx) ->
                      java.util.Map.entry(
                          rs.getString(1),
                          new long[] {rs.getLong(2), rs.getLong(3), rs.getLong(4), 0, 0, 0}))
              .forEach(e -> by.put(e.getKey(), e.getValue()));
          h.createQuery(
                  "SELECT broker, COUNT(*), SUM(count), SUM(amount_due_millicents)"
                      + " FROM gateway_sales GROUP BY broker")
              .map(
                  (rs, ctx) ->
                      java.util.Map.entry(
                          rs.getString(1),
                          new long[] {rs.getLong(2), rs.getLong(3), rs.getLong(4)}))
              .forEach(
                  e -> {
                    long[] v = by.computeIfAbsent(e.getKey(), k -> new long[6]);
                    System.arraycopy(e.getValue(), 0, v, 3, 3);
                  });
          List<Receivable> out = new java.util.ArrayList<>();
          by.forEach((b, v) -> out.add(new Receivable(b, v[0], v[1], v[2], v[3], v[4], v[5])));
          return List.copyOf(out);
        });
  }
}
