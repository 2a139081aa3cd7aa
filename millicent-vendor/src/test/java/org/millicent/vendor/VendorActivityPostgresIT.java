package org.millicent.vendor;

import org.millicent.storage.Database;
import org.millicent.storage.testing.TestDatabases;

/**
 * {@link VendorActivityTest} on PostgreSQL, in a fresh schema: the upsert and the dashboard's reads
 * of {@code vendor_activity} work alike on both databases. Skipped when PostgreSQL is unreachable,
 * unless MILLICENT_REQUIRE_POSTGRES=true.
 */
class VendorActivityPostgresIT extends VendorActivityTest {
  @Override
  Database openDatabase() {
    return TestDatabases.postgres();
  }
}
