package org.millicent.broker.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiConsumer;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.StatementContext;
import org.millicent.scrip.ScripId;
import org.millicent.storage.Database;

/**
 * The {@code issued_scrip} table read outside the books' writer: sales and their replays, spends,
 * exchanges, serials, breakage, settlement state and statements. The writes here are static and
 * take the books' batch transaction; the reads go through {@link Database}'s error translation.
 * Thread-safe.
 */
public final class IssuedScripStore {
  private final Database db;

  /** A store over {@code db}, whose {@code broker} migrations have run. */
  public IssuedScripStore(Database db) {
    this.db = db;
  }

  /** Calls {@code action} with the customer and request key of every recorded charging request. */
  public void forEachRequestKey(BiConsumer<Long, byte[]> action) {
    db.withHandle(
        h -> {
          h.createQuery(
                  "SELECT customer_id, request_key FROM issued_scrip"
                      + " WHERE request_key IS NOT NULL")
              .map((rs, ctx) -> Map.entry(rs.getLong(1), rs.getBytes(2)))
              .forEach(e -> action.accept(e.getKey(), e.getValue()));
          return null;
        });
  }

  /** The highest serial {@code issuer} used per key id. */
  public Map<Integer, Long> maxSerials(String issuer) {
    return db.withHandle(
        h -> {
          Map<Integer, Long> out = new HashMap<>();
          h.createQuery(
                  "SELECT key_id, MAX(serial) FROM issued_scrip WHERE issuer = ?"
                      + " GROUP BY key_id")
              .bind(0, issuer)
              .map((rs, ctx) -> Map.entry(rs.getInt(1), rs.getLong(2)))
              .forEach(e -> out.put(e.getKey(), e.getValue()));
          return out;
        });
  }

  /** The spent scrip of {@code issuer} not expired at {@code nowMillis}, with its expiry. */
  public Map<ScripId, Instant> spentUnexpired(String issuer, long nowMillis) {
    return db.withHandle(
        h -> {
          Map<ScripId, Instant> out = new LinkedHashMap<>();
          h.createQuery(
                  "SELECT key_id, serial, expires_at FROM issued_scrip WHERE issuer = ?"
                      + " AND state = 1 AND expires_at > ?")
              .bind(0, issuer)
              .bind(1, nowMillis)
              .map(
                  (rs, ctx) ->
                      Map.entry(
                          new ScripId(rs.getInt(1), rs.getLong(2)),
                          Instant.ofEpochMilli(rs.getLong(3))))
              .forEach(e -> out.put(e.getKey(), e.getValue()));
          return out;
        });
  }

  /** The recorded spend of {@code issuer}'s scrip {@code id}, if spent. */
  public Optional<RecordedSpend> spend(String issuer, ScripId id) {
    return db.withHandle(
        h ->
            h.createQuery(
                    "SELECT spend_fingerprint, spend_price FROM issued_scrip"
                        + " WHERE issuer = ? AND key_id = ? AND serial = ? AND state = 1")
                .bind(0, issuer)
                .bind(1, id.keyId())
                .bind(2, id.serial())
                .map((rs, ctx) -> new RecordedSpend(rs.getBytes(1), rs.getLong(2)))
                .findOne());
  }

  /** The token of the change {@code issuer} gave for spending the scrip {@code paidBy}. */
  public Optional<byte[]> changeToken(String issuer, long paidBy) {
    return db.withHandle(
        h ->
            h.createQuery(
                    "SELECT token FROM issued_scrip WHERE issuer = ? AND paid_by = ?"
                        + " AND kind = 'change'")
                .bind(0, issuer)
                .bind(1, paidBy)
                .mapTo(byte[].class)
                .findOne());
  }

  /** The latest sale recorded for {@code customerId}'s request key. */
  public Optional<RecordedSale> saleByRequest(long customerId, byte[] requestKey) {
    return db.withHandle(
        h ->
            h.createQuery(
                    "SELECT "
                        + RECORDED_SALE
                        + " FROM issued_scrip WHERE customer_id = ? AND request_key = ?"
                        + " ORDER BY issued_at DESC LIMIT 1")
                .bind(0, customerId)
                .bind(1, requestKey)
                .map(IssuedScripStore::recordedSale)
                .findOne());
  }

  /** The vendor scrip bought by spending the broker scrip {@code paidBy}. */
  public Optional<RecordedSale> purchasePaidBy(long paidBy) {
    return db.withHandle(
        h ->
            h.createQuery(
                    "SELECT "
                        + RECORDED_SALE
                        + " FROM issued_scrip WHERE paid_by = ? AND kind = 'purchase'")
                .bind(0, paidBy)
                .map(IssuedScripStore::recordedSale)
                .findOne());
  }

  /** The columns of a {@link RecordedSale}, in the order {@link #recordedSale} reads them. */
  private static final String RECORDED_SALE = "issuer, token, supply, sealed_secret, customer_id";

  private static RecordedSale recordedSale(ResultSet rs, StatementContext ctx) throws SQLException {
    return new RecordedSale(
        rs.getString(1), rs.getBytes(2), rs.getString(3), rs.getBytes(4), rs.getLong(5));
  }

  /** The tokens {@code issuer} issued of {@code kind} for a customer's request key, in id order. */
  public List<byte[]> tokensByRequest(
      String issuer, String kind, long customerId, byte[] requestKey) {
    return db.withHandle(
        h ->
            h.createQuery(
                    "SELECT token FROM issued_scrip WHERE issuer = ? AND kind = ?"
                        + " AND customer_id = ? AND request_key = ?"
                        + " ORDER BY key_id, serial")
                .bind(0, issuer)
                .bind(1, kind)
                .bind(2, customerId)
                .bind(3, requestKey)
                .mapTo(byte[].class)
                .list());
  }

  /** Up to {@code limit} outstanding pieces of {@code issuer} expired at {@code horizonMillis}. */
  public List<IssuedValue> expiredOutstanding(String issuer, long horizonMillis, int limit) {
    return db.withHandle(
        h ->
            h.createQuery(
                    "SELECT key_id, serial, value FROM issued_scrip WHERE issuer = ?"
                        + " AND state = 0 AND expires_at <= ? ORDER BY expires_at"
                        + " LIMIT "
                        + limit)
                .bind(0, issuer)
                .bind(1, horizonMillis)
                .map(
                    (rs, ctx) ->
                        new IssuedValue(new ScripId(rs.getInt(1), rs.getLong(2)), rs.getLong(3)))
                .list());
  }

  /** The value of {@code issuer}'s scrip in {@code state}, per day of expiry (epoch days). */
  public Map<Long, Long> valueByExpiryDay(String issuer, int state) {
    return db.withHandle(
        h -> {
          Map<Long, Long> out = new LinkedHashMap<>();
          h.createQuery(
                  "SELECT expires_at / 86400000, SUM(value) FROM issued_scrip WHERE issuer = ?"
                      + " AND state = "
                      + state
                      + " GROUP BY expires_at / 86400000")
              .bind(0, issuer)
              .map((rs, ctx) -> Map.entry(rs.getLong(1), rs.getLong(2)))
              .forEach(e -> out.put(e.getKey(), e.getValue()));
          return out;
        });
  }

  /** The value and state of each of {@code ids} issued by {@code issuer} as licensed scrip. */
  public Map<Long, long[]> licensedState(String issuer, List<Long> ids) {
    Map<Long, long[]> out = new HashMap<>();
    if (ids.isEmpty()) {
      return out;
    }
    db.withHandle(
        h -> {
          var q =
              h.createQuery(
                  "SELECT value, state FROM issued_scrip WHERE issuer = :issuer"
                      + " AND key_id = :key AND serial = :serial AND supply = 'licensed'");
          for (long id : new HashSet<>(ids)) {
            ScripId sid = ScripId.fromLong(id);
            q.bind("issuer", issuer)
                .bind("key", sid.keyId())
                .bind("serial", sid.serial())
                .map((rs, ctx) -> new long[] {rs.getLong(1), rs.getInt(2)})
                .findOne()
                .ifPresent(v -> out.put(id, v));
          }
          return null;
        });
    return out;
  }

  /**
   * The number and value of the sales and purchases of {@code issuer}'s scrip issued in [{@code
   * from}, {@code to}), as {count, value}.
   */
  public long[] sold(String issuer, long from, long to) {
    return db.withHandle(
        h ->
            h.createQuery(
                    "SELECT COUNT(*), COALESCE(SUM(value), 0) FROM issued_scrip WHERE issuer = ?"
                        + " AND kind IN ('sale', 'purchase') AND issued_at >= ? AND issued_at < ?")
                .bind(0, issuer)
                .bind(1, from)
                .bind(2, to)
                .map((rs, ctx) -> new long[] {rs.getLong(1), rs.getLong(2)})
                .findOne()
                .orElse(new long[2]));
  }

  /**
   * Closes outstanding pieces of {@code issuer} in the batch's transaction: sets {@code state},
   * when and in which entry.
   *
   * @return the rows changed per piece (1 each when all were outstanding)
   */
  public static int[] closeOutstanding(
      Handle h, String issuer, List<ScripId> ids, int state, long atMillis, long entryId) {
    return closeEach(
        h,
        "state = " + state + ", closed_at = ?, closed_entry = ?",
        issuer,
        ids,
        atMillis,
        entryId);
  }

  /**
   * Marks outstanding pieces of {@code issuer} spent, with the spend's fingerprint and price (0 for
   * the inputs of an exchange).
   *
   * @return the rows changed per piece (1 each when all were outstanding)
   */
  public static int[] markSpent(
      Handle h,
      String issuer,
      List<ScripId> ids,
      long atMillis,
      long entryId,
      byte[] fingerprint,
      long price) {
    return closeEach(
        h,
        "state = 1, closed_at = ?, closed_entry = ?, spend_fingerprint = ?, spend_price = ?",
        issuer,
        ids,
        atMillis,
        entryId,
        fingerprint,
        price);
  }

  /**
   * Applies {@code set} (its parameters bound from {@code values}, in order) to each of {@code ids}
   * that is still outstanding, in one batch.
   */
  private static int[] closeEach(
      Handle h, String set, String issuer, List<ScripId> ids, Object... values) {
    var b =
        h.prepareBatch(
            "UPDATE issued_scrip SET "
                + set
                + " WHERE issuer = ? AND key_id = ? AND serial = ? AND state = 0");
    for (ScripId id : ids) {
      for (int i = 0; i < values.length; i++) {
        b.bind(i, values[i]);
      }
      b.bind(values.length, issuer)
          .bind(values.length + 1, id.keyId())
          .bind(values.length + 2, id.serial())
          .add();
    }
    return b.execute();
  }
}
