package org.millicent.vendor;

import org.millicent.storage.testing.TestDatabases;

/**
 * {@link VendorDashboardIT} on PostgreSQL, in a fresh schema (the restart reopens the same one):
 * the dashboard's counts and reads work alike on both databases. Skipped when PostgreSQL is
 * unreachable, unless MILLICENT_REQUIRE_POSTGRES=true.
 */
class VendorDashboardPostgresIT extends VendorDashboardIT {
  private String url;

  @Override
  String database() {
    if (url == null) {
      url = TestDatabases.freshSchemaUrl();
    }
    return url;
  }
}
