package org.millicent.vendor.store;

import org.millicent.storage.Database;

/** The vendor's migrations component: {@code db/vendor/<dialect>/}. */
public final class VendorSchema {
  /** The component name, also the suffix of its history table {@code flyway_vendor}. */
  public static final String COMPONENT = "vendor";

  private VendorSchema() {}

  /**
   * Brings the vendor tables of {@code db} up to date. Idempotent; every vendor store calls it.
   *
   * @throws org.millicent.storage.StorageException when a migration fails
   */
  public static void migrate(Database db) {
    db.migrate(COMPONENT);
  }
}
