package org.millicent.broker;

import org.millicent.storage.Database;
import org.millicent.storage.testing.TestDatabases;

/**
 * {@link BrokerDashboardTest} on PostgreSQL, in a fresh schema: the dashboard's aggregate queries
 * read alike on both databases. Skipped when PostgreSQL is unreachable, unless
 * MILLICENT_REQUIRE_POSTGRES=true.
 */
class BrokerDashboardPostgresIT extends BrokerDashboardTest {
  @Override
  Database openDatabase() {
    return TestDatabases.postgres();
  }
}
