package org.millicent.broker;

import org.millicent.storage.Database;
import org.millicent.storage.testing.TestDatabases;

/**
 * Every {@link BrokerTest} case on PostgreSQL, each in a fresh schema: the broker's books, sales,
 * settlements, statements and restart behave alike on both databases. Skipped when PostgreSQL is
 * unreachable, unless MILLICENT_REQUIRE_POSTGRES=true.
 */
class BrokerPostgresIT extends BrokerTest {
  @Override
  Database openDatabase() {
    return TestDatabases.postgres();
  }
}
