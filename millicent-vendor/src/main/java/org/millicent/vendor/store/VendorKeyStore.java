package org.millicent.vendor.store;

import java.time.InstantSource;
import org.millicent.storage.Database;
import org.millicent.storage.KeyVectorStore;
import org.millicent.storage.KeyVectorTables;
import org.millicent.storage.StorageException;

/**
 * The vendor's secrets on disk: its key vectors in {@code vendor_master_secrets} and {@code
 * vendor_customer_secrets} ({@link KeyVectorStore}, the implementation the broker uses too), and
 * how much each key id was used. Thread-safe.
 */
public final class VendorKeyStore {
  /** The vendor's key vector tables and secrets lock. */
  public static final KeyVectorTables TABLES =
      new KeyVectorTables(
          "vendor_master_secrets", "vendor_customer_secrets", "millicent-vendor-secrets");

  private final Database db;
  private final KeyVectorStore vectors;

  private VendorKeyStore(Database db, InstantSource clock) {
    this.db = db;
    this.vectors = new KeyVectorStore(db, TABLES, clock);
  }

  /**
   * A key store over the vendor tables of {@code db} (migrated if needed), which dates what it
   * writes (a key's creation, demotion, retirement) by {@code clock}: the vendor's own clock.
   *
   * @throws StorageException when the database fails
   */
  public static VendorKeyStore open(Database db, InstantSource clock) {
    VendorSchema.migrate(db);
    return new VendorKeyStore(db, clock);
  }

  /** The vendor's master and customer secret vectors. */
  public KeyVectorStore vectors() {
    return vectors;
  }

  /**
   * How much one key id was used, as far as the vendor's tables tell: every serial issued under it
   * is below {@code serialsReservedTo} (a bound: serials are reserved in blocks), and {@code
   * spendsRecorded} of its scrip are on the spent list (spends of expired scrip are forgotten).
   */
  public record KeyUsage(long serialsReservedTo, long spendsRecorded) {}

  /**
   * The usage of {@code keyId}: one read of its serial mark and a range count of its spends.
   *
   * @throws IllegalArgumentException when the key id is not 0..255
   */
  public KeyUsage usage(int keyId) {
    if (keyId < 0 || keyId > 255) {
      throw new IllegalArgumentException("key id must be 0..255, was " + keyId);
    }
    long from = (long) keyId << 56;
    long to = from | 0x00FF_FFFF_FFFF_FFFFL; // inclusive: the signed 64-bit forms do not wrap
    return db.withHandle(
        h ->
            new KeyUsage(
                h.createQuery("SELECT reserved_to FROM vendor_serials WHERE key_id = :k")
                    .bind("k", keyId)
                    .mapTo(Long.class)
                    .findOne()
                    .orElse(0L),
                h.createQuery(
                        "SELECT count(*) FROM vendor_spends WHERE scrip_id >= :a AND scrip_id <= :b")
                    .bind("a", from)
                    .bind("b", to)
                    .mapTo(Long.class)
                    .one()));
  }
}
