package org.millicent.vendor.store;

import java.time.InstantSource;
import org.millicent.storage.Database;
import org.millicent.storage.testing.TestDatabases;

/** One vendor process alone on PostgreSQL: memory decides, the table makes it durable. */
class PostgresEmbeddedSpendRecorderTest extends VendorSpendRecorderContract {
  @Override
  Database newDatabase() {
    return Database.open(TestDatabases.postgresConfig(4));
  }

  @Override
  DurableSpendRecorder open(Database db) {
    return DurableSpendRecorder.open(
        db, DurableSpendRecorder.Mode.EMBEDDED, InstantSource.system());
  }
}
