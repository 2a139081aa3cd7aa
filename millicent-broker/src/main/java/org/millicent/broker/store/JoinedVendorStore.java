package org.millicent.broker.store;

import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.millicent.storage.Database;

/**
 * The {@code joined_vendors} table: licensed vendors that joined at run time. Reads go through
 * {@link Database}'s error translation; the writes take the books' batch transaction. Thread-safe.
 */
public final class JoinedVendorStore {
  private final Database db;

  /** A store over {@code db}, whose {@code broker} migrations have run. */
  public JoinedVendorStore(Database db) {
    this.db = db;
  }

  /** Every joined vendor, in the order they joined. */
  public List<JoinedVendor> all() {
    return db.withHandle(
        h ->
            h.createQuery(
                    "SELECT vendor, url, public_urls, token, discount_bps, licence_id"
                        + " FROM joined_vendors ORDER BY joined_at, vendor")
                .map(
                    (rs, ctx) ->
                        new JoinedVendor(
                            rs.getString(1),
                            rs.getString(2),
                            rs.getString(3),
                            rs.getString(4),
                            rs.getInt(5),
                            rs.getString(6)))
                .list());
  }

  /** The licence ID {@code vendor} joined with, if it joined. */
  public Optional<String> licenceId(String vendor) {
    return db.withHandle(
        h ->
            h.createQuery("SELECT licence_id FROM joined_vendors WHERE vendor = ?")
                .bind(0, vendor)
                .mapTo(String.class)
                .findOne());
  }

  /** How many vendors have joined. */
  public long count() {
    return db.withHandle(
        h -> h.createQuery("SELECT COUNT(*) FROM joined_vendors").mapTo(Long.class).one());
  }

  /** Records a new join in the batch's transaction. */
  public static void insert(Handle h, JoinedVendor v, long joinedAtMillis) {
    h.createUpdate(
            "INSERT INTO joined_vendors (vendor, url, public_urls, token,"
                + " discount_bps, licence_id, joined_at)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?)")
        .bind(0, v.vendor())
        .bind(1, v.url())
        .bind(2, v.publicUrls())
        .bind(3, v.token())
        .bind(4, v.discountBps())
        .bind(5, v.licenceId())
        .bind(6, joinedAtMillis)
        .execute();
  }

  /** Updates a vendor's join (same licence) in the batch's transaction. */
  public static void update(Handle h, JoinedVendor v) {
    h.createUpdate(
            "UPDATE joined_vendors SET url = ?, public_urls = ?, token = ?,"
                + " discount_bps = ? WHERE vendor = ?")
        .bind(0, v.url())
        .bind(1, v.publicUrls())
        .bind(2, v.token())
        .bind(3, v.discountBps())
        .bind(4, v.vendor())
        .execute();
  }
}
