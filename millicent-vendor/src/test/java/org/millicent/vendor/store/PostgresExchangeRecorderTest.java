package org.millicent.vendor.store;

import org.millicent.storage.Database;
import org.millicent.storage.testing.TestDatabases;

class PostgresExchangeRecorderTest extends VendorExchangeRecorderContract {
  @Override
  Database newDatabase() {
    return Database.open(TestDatabases.postgresConfig(4));
  }
}
