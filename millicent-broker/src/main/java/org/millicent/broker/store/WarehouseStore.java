package org.millicent.broker.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.millicent.broker.supply.ExchangeAnswer;
import org.millicent.broker.supply.RecordedExchange;
import org.millicent.scrip.ScripCodec;
import org.millicent.storage.Database;

/**
 * The warehouse: lots bought from warehouse vendors ({@code lots}), their pieces ({@code
 * warehouse_stock}) and the exchanges of pieces into customers' names ({@code
 * warehouse_exchanges}). Reads go through {@link Database}'s error translation; the writes take the
 * books' batch transaction. Stock states: 0 available, 1 sold, 2 written off, 3 held by an
 * exchange. Thread-safe.
 */
public final class WarehouseStore {
  private static final String EXCHANGE_COLUMNS =
      "SELECT id, customer_id, sale_key, amount, body, vendor_customer_id,"
          + " scrip, sealed_secret FROM warehouse_exchanges WHERE vendor = ?";

  private final Database db;

  /** A store over {@code db}, whose {@code broker} migrations have run. */
  public WarehouseStore(Database db) {
    this.db = db;
  }

  /** {@code vendor}'s available pieces, soonest expiry first. */
  public List<StockPiece> available(String vendor) {
    return db.withHandle(
        h ->
            h.createQuery(
                    "SELECT scrip_id, token, value, expires_at FROM warehouse_stock"
                        + " WHERE vendor = ? AND state = 0 ORDER BY expires_at, scrip_id")
                .bind(0, vendor)
                .map(
                    (rs, ctx) ->
                        new StockPiece(
                            rs.getLong(1),
                            ScripCodec.toToken(ScripCodec.decode(rs.getBytes(2))),
                            rs.getLong(3),
                            rs.getLong(4)))
                .list());
  }

  /** Records a lot and its pieces (with their encoded tokens) in the batch's transaction. */
  public static void insertLot(
      Handle h,
      long lotId,
      String vendor,
      long atMillis,
      List<StockPiece> pieces,
      List<byte[]> encodings,
      long faceMillicents,
      long dueMillicents,
      long entryId) {
    h.createUpdate(
            "INSERT INTO lots (id, vendor, at, pieces, value, amount_due,"
                + " entry_id) VALUES (?, ?, ?, ?, ?, ?, ?)")
        .bind(0, lotId)
        .bind(1, vendor)
        .bind(2, atMillis)
        .bind(3, pieces.size())
        .bind(4, faceMillicents)
        .bind(5, dueMillicents)
        .bind(6, entryId)
        .execute();
    var b =
        h.prepareBatch(
            "INSERT INTO warehouse_stock (vendor, scrip_id, value,"
                + " expires_at, token, lot_entry, state)"
                + " VALUES (?, ?, ?, ?, ?, ?, 0)");
    for (int i = 0; i < pieces.size(); i++) {
      StockPiece p = pieces.get(i);
      b.bind(0, vendor)
          .bind(1, p.scripId())
          .bind(2, p.valueMillicents())
          .bind(3, p.expiresAtMillis())
          .bind(4, encodings.get(i))
          .bind(5, entryId)
          .add();
    }
    b.execute();
  }

  /** Writes off available pieces in the batch's transaction. */
  public static void writeOff(Handle h, String vendor, List<StockPiece> pieces, long atMillis) {
    var b =
        h.prepareBatch(
            "UPDATE warehouse_stock SET state = 2, used_at = ?"
                + " WHERE vendor = ? AND scrip_id = ? AND state = 0");
    for (StockPiece p : pieces) {
      b.bind(0, atMillis).bind(1, vendor).bind(2, p.scripId()).add();
    }
    b.execute();
  }

  /** The open exchange (state 0 or 1) of a customer's request at {@code vendor}, the latest. */
  public Optional<RecordedExchange> openExchange(String vendor, long customerId, byte[] saleKey) {
    return db.withHandle(
        h ->
            h.createQuery(
                    EXCHANGE_COLUMNS
                        + " AND customer_id = ? AND sale_key = ? AND state IN (0, 1)"
                        + " ORDER BY id DESC LIMIT 1")
                .bind(0, vendor)
                .bind(1, customerId)
                .bind(2, saleKey)
                .map((rs, ctx) -> recorded(rs))
                .findFirst());
  }

  /** {@code vendor}'s exchanges whose answer is not known yet, oldest first. */
  public List<RecordedExchange> pendingExchanges(String vendor) {
    return db.withHandle(
        h ->
            h.createQuery(EXCHANGE_COLUMNS + " AND state = 0 ORDER BY id")
                .bind(0, vendor)
                .map((rs, ctx) -> recorded(rs))
                .list());
  }

  /**
   * The exchange a row of {@code warehouse_exchanges} holds, with the vendor's answer once it is
   * recorded (the vendor's customer ID, its scrip and the sealed customer secret).
   *
   * @throws IllegalStateException when the row has the vendor's scrip without its sealed secret
   */
  private static RecordedExchange recorded(ResultSet rs) throws SQLException {
    long id = rs.getLong(1);
    byte[] scrip = rs.getBytes(7);
    byte[] sealed = rs.getBytes(8);
    ExchangeAnswer answer = null;
    if (scrip != null) {
      if (sealed == null) {
        throw new IllegalStateException(
            "warehouse exchange " + id + " has the vendor's scrip without its sealed secret");
      }
      answer =
          new ExchangeAnswer(rs.getLong(6), ScripCodec.toToken(ScripCodec.decode(scrip)), sealed);
    }
    return new RecordedExchange(
        id, rs.getLong(2), rs.getBytes(3), rs.getLong(4), rs.getBytes(5), answer);
  }

  /**
   * Records an exchange and holds its pieces for it, in the batch's transaction.
   *
   * @return the rows changed per piece (1 each when all were available)
   */
  public static int[] insertExchange(
      Handle h,
      long id,
      String vendor,
      long customerId,
      byte[] saleKey,
      long amountMillicents,
      byte[] body,
      long atMillis,
      List<StockPiece> pieces) {
    h.createUpdate(
            "INSERT INTO warehouse_exchanges (id, vendor, customer_id, sale_key,"
                + " amount, body, state, created_at) VALUES (?, ?, ?, ?, ?, ?, 0,"
                + " ?)")
        .bind(0, id)
        .bind(1, vendor)
        .bind(2, customerId)
        .bind(3, saleKey)
        .bind(4, amountMillicents)
        .bind(5, body)
        .bind(6, atMillis)
        .execute();
    var b =
        h.prepareBatch(
            "UPDATE warehouse_stock SET state = 3, exchange_id = ?"
                + " WHERE vendor = ? AND scrip_id = ? AND state = 0");
    for (StockPiece p : pieces) {
      b.bind(0, id).bind(1, vendor).bind(2, p.scripId()).add();
    }
    return b.execute();
  }

  /** Records the vendor's answer to a pending exchange in the batch's transaction. */
  public static void recordAnswer(
      Handle h,
      long exchangeId,
      long atMillis,
      long vendorCustomerId,
      byte[] scrip,
      byte[] sealedSecret,
      long outputExpiresAtMillis) {
    h.createUpdate(
            "UPDATE warehouse_exchanges SET state = 1, answered_at = ?,"
                + " vendor_customer_id = ?, scrip = ?, sealed_secret = ?,"
                + " output_expires_at = ? WHERE id = ? AND state = 0")
        .bind(0, atMillis)
        .bind(1, vendorCustomerId)
        .bind(2, scrip)
        .bind(3, sealedSecret)
        .bind(4, outputExpiresAtMillis)
        .bind(5, exchangeId)
        .execute();
  }

  /** The value of the pieces {@code vendor}'s exchange holds. */
  public long heldValue(String vendor, long exchangeId) {
    return db.withHandle(
        h ->
            h.createQuery(
                    "SELECT COALESCE(SUM(value), 0) FROM warehouse_stock"
                        + " WHERE vendor = ? AND exchange_id = ? AND state = 3")
                .bind(0, vendor)
                .bind(1, exchangeId)
                .mapTo(Long.class)
                .one());
  }

  /**
   * Closes an exchange with {@code state} in the batch's transaction: its pieces are written off,
   * or go back to stock.
   */
  public static void closeExchange(
      Handle h, String vendor, long exchangeId, int state, boolean writeOff, long atMillis) {
    h.createUpdate(
            "UPDATE warehouse_stock SET state = ?, used_at = ?, exchange_id = ?"
                + " WHERE vendor = ? AND exchange_id = ? AND state = 3")
        .bind(0, writeOff ? 2 : 0)
        .bind(1, writeOff ? (Long) atMillis : null)
        .bind(2, writeOff ? (Long) exchangeId : null)
        .bind(3, vendor)
        .bind(4, exchangeId)
        .execute();
    h.createUpdate(
            "UPDATE warehouse_exchanges SET state = ?, answered_at = ? WHERE id = ?"
                + " AND state IN (0, 1)")
        .bind(0, state)
        .bind(1, atMillis)
        .bind(2, exchangeId)
        .execute();
  }

  /** {@code vendor}'s answered exchanges whose scrip expired by {@code nowMillis}. */
  public List<Long> unclaimed(String vendor, long nowMillis) {
    return db.withHandle(
        h ->
            h.createQuery(
                    "SELECT id FROM warehouse_exchanges WHERE vendor = ? AND state = 1"
                        + " AND output_expires_at <= ?")
                .bind(0, vendor)
                .bind(1, nowMillis)
                .mapTo(Long.class)
                .list());
  }

  /**
   * Books an exchange as sold in the batch's transaction: its pieces used, the exchange closed.
   *
   * @return whether both changed (false when the exchange was booked before)
   */
  public static boolean markSold(Handle h, String vendor, long exchangeId, long atMillis) {
    int pieces =
        h.createUpdate(
                "UPDATE warehouse_stock SET state = 1, used_at = ?"
                    + " WHERE vendor = ? AND exchange_id = ? AND state = 3")
            .bind(0, atMillis)
            .bind(1, vendor)
            .bind(2, exchangeId)
            .execute();
    int n =
        h.createUpdate("UPDATE warehouse_exchanges SET state = 2 WHERE id = ? AND state IN (0, 1)")
            .bind(0, exchangeId)
            .execute();
    return pieces != 0 && n == 1;
  }
}
