package org.millicent.vendor.store;

import org.millicent.storage.Database;

/**
 * The vendor's one migrations chain: {@code db/vendor/<dialect>/}, history {@code flyway_vendor}.
 * It holds every vendor table: spends, serials and secrets, and the gateway's customers, exchanges,
 * licences and settlement.
 *
 * <p>Until the gateway's tables joined it, they had a chain of their own ({@value #LEGACY_GATEWAY},
 * history {@code flyway_gateway}). {@link #migrate} first retires that chain on a database made
 * then: it applies whatever of it is missing, so the tables are in the shape the vendor chain
 * creates, and drops its history; the vendor chain's version that creates the gateway tables
 * ({@code IF NOT EXISTS}) then changes nothing there.
 */
public final class VendorSchema {
  /** The component name, also the suffix of its history table {@code flyway_vendor}. */
  public static final String COMPONENT = "vendor";

  /** The retired gateway chain's component: its history table was {@code flyway_gateway}. */
  static final String LEGACY_GATEWAY_COMPONENT = "gateway";

  /** Where the retired gateway chain's migrations stay, to complete a database made with it. */
  static final String LEGACY_GATEWAY = "db-migrations/legacy/gateway";

  private VendorSchema() {}

  /**
   * Brings the vendor tables of {@code db} up to date, retiring the old gateway chain first if the
   * database has it. Idempotent; every vendor store calls it.
   *
   * @throws org.millicent.storage.StorageException when a migration fails
   */
  public static void migrate(Database db) {
    db.retireHistory(LEGACY_GATEWAY_COMPONENT, LEGACY_GATEWAY);
    db.migrate(COMPONENT);
  }
}
