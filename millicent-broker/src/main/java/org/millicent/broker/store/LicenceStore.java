package org.millicent.broker.store;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiConsumer;
import org.jdbi.v3.core.Handle;
import org.millicent.broker.supply.Licence;
import org.millicent.keys.SecretBytes;
import org.millicent.storage.Database;

/**
 * The licences the broker obtained from licensed vendors ({@code licences}, {@code licence_keys})
 * and the customer IDs it allocated at them ({@code vendor_customers}). Reads go through {@link
 * Database}'s error translation; the inserts take the books' batch transaction. Thread-safe.
 */
public final class LicenceStore {
  private final Database db;

  /** A store over {@code db}, whose {@code broker} migrations have run. */
  public LicenceStore(Database db) {
    this.db = db;
  }

  /**
   * The licences of {@code vendor} not revoked, oldest first, as issued to {@code broker}. A stored
   * licence that is not usable fails as {@link Licence}'s constructor does.
   */
  public List<Licence> licences(String vendor, String broker) {
    return db.withHandle(
        h ->
            read(
                h,
                "vendor = ? AND revoked_at IS NULL ORDER BY obtained_at, licence_id",
                vendor,
                broker));
  }

  /**
   * The licence stored under {@code licenceId}, revoked or not, as issued to {@code broker}; empty
   * when no licence has that ID. A stored licence that is not usable fails as {@link Licence}'s
   * constructor does.
   */
  public Optional<Licence> licence(String licenceId, String broker) {
    return db.withHandle(h -> read(h, "licence_id = ?", licenceId, broker).stream().findFirst());
  }

  /** The licences the condition {@code where} (one parameter, {@code param}) selects. */
  private static List<Licence> read(Handle h, String where, String param, String broker) {
    // Read the rows first: each licence's keys are another query on the same handle.
    var rows =
        h.createQuery(
                "SELECT licence_id, vendor, customer_selector, customer_master_secret,"
                    + " discount_bps, scrip_lifetime_seconds FROM licences WHERE "
                    + where)
            .bind(0, param)
            .map(
                (rs, ctx) ->
                    new Object[] {
                      rs.getString(1),
                      rs.getString(2),
                      rs.getInt(3),
                      rs.getBytes(4),
                      rs.getInt(5),
                      rs.getLong(6)
                    })
            .list();
    List<Licence> out = new ArrayList<>();
    for (Object[] r : rows) {
      out.add(
          new Licence(
              (String) r[0],
              (String) r[1],
              broker,
              keys(h, (String) r[0]),
              (Integer) r[2],
              SecretBytes.copyOf((byte[]) r[3]),
              (Integer) r[4],
              (Long) r[5]));
    }
    return out;
  }

  private static Map<Integer, SecretBytes> keys(Handle h, String licenceId) {
    Map<Integer, SecretBytes> ks = new LinkedHashMap<>();
    h.createQuery("SELECT key_id, master_secret FROM licence_keys WHERE licence_id = ?")
        .bind(0, licenceId)
        .map((rs, ctx) -> Map.entry(rs.getInt(1), rs.getBytes(2)))
        .forEach(e -> ks.put(e.getKey(), SecretBytes.copyOf(e.getValue())));
    return ks;
  }

  /** Whether the licence {@code licenceId} is stored. */
  public boolean known(String licenceId) {
    return db.withHandle(
        h ->
            h.createQuery("SELECT COUNT(*) FROM licences WHERE licence_id = ?")
                    .bind(0, licenceId)
                    .mapTo(Long.class)
                    .one()
                > 0);
  }

  /** Stores {@code l}, obtained at {@code obtainedAtMillis}, in the batch's transaction. */
  public static void insert(Handle h, Licence l, long obtainedAtMillis) {
    h.createUpdate(
            "INSERT INTO licences (licence_id, vendor, customer_selector,"
                + " customer_master_secret, discount_bps, scrip_lifetime_seconds,"
                + " obtained_at) VALUES (?, ?, ?, ?, ?, ?, ?)")
        .bind(0, l.licenceId())
        .bind(1, l.vendor())
        .bind(2, l.customerSelector())
        .bind(3, l.customerMasterSecret().toByteArray())
        .bind(4, l.discountBps())
        .bind(5, l.scripLifetimeSeconds())
        .bind(6, obtainedAtMillis)
        .execute();
    for (var k : l.keys().entrySet()) {
      h.createUpdate(
              "INSERT INTO licence_keys (licence_id, key_id, master_secret)" + " VALUES (?, ?, ?)")
          .bind(0, l.licenceId())
          .bind(1, k.getKey())
          .bind(2, k.getValue().toByteArray())
          .execute();
    }
  }

  /** Calls {@code action} with each broker customer ID and its ID at {@code vendor}. */
  public void forEachVendorCustomer(String vendor, BiConsumer<Long, Long> action) {
    db.withHandle(
        h -> {
          h.createQuery(
                  "SELECT customer_id, vendor_customer_id FROM vendor_customers"
                      + " WHERE vendor = ?")
              .bind(0, vendor)
              .map((rs, ctx) -> new long[] {rs.getLong(1), rs.getLong(2)})
              .forEach(r -> action.accept(r[0], r[1]));
          return null;
        });
  }

  /** Records a customer's ID at {@code vendor} in the batch's transaction. */
  public static void insertVendorCustomer(
      Handle h, String vendor, long customerId, long vendorCustomerId) {
    h.createUpdate(
            "INSERT INTO vendor_customers (vendor, customer_id, vendor_customer_id)"
                + " VALUES (?, ?, ?)")
        .bind(0, vendor)
        .bind(1, customerId)
        .bind(2, vendorCustomerId)
        .execute();
  }
}
