package org.millicent.broker;

import org.millicent.storage.testing.TestDatabases;

/**
 * Every {@link WarehouseExchangeIT} case with the broker's books in a fresh PostgreSQL schema.
 * Skipped when PostgreSQL is unreachable, unless MILLICENT_REQUIRE_POSTGRES=true.
 */
class WarehouseExchangePostgresIT extends WarehouseExchangeIT {
  @Override
  String database() {
    TestDatabases.requirePostgres();
    String url = TestDatabases.postgresUrl();
    return url
        + (url.contains("?") ? "&" : "?")
        + "currentSchema="
        + TestDatabases.postgresConfig(4).schema();
  }
}
