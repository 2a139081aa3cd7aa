package org.millicent.broker;

import org.millicent.storage.Database;
import org.millicent.storage.testing.TestDatabases;

/**
 * Every {@link BrokerExchangeTest} case on PostgreSQL, each in a fresh schema. Skipped when
 * PostgreSQL is unreachable, unless MILLICENT_REQUIRE_POSTGRES=true.
 */
class BrokerExchangePostgresIT extends BrokerExchangeTest {
  @Override
  Database openDatabase() {
    return TestDatabases.postgres();
  }
}
