package org.millicent.vendor.store;

import org.millicent.storage.Database;
import org.millicent.storage.testing.TestDatabases;

class PostgresSerialAllocatorTest extends VendorSerialAllocatorContract {

  @Override
  Database newDatabase() {
    return Database.open(TestDatabases.postgresConfig(4));
  }

  @Override
  Database sameDatabaseAgain(Database db) {
    return Database.open(db.config());
  }
}
