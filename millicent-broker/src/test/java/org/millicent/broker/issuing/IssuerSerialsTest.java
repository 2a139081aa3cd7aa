package org.millicent.broker.issuing;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.millicent.broker.Broker;
import org.millicent.contracts.SerialAllocatorContract;
import org.millicent.storage.Database;
import org.millicent.storage.testing.TestDatabases;

/**
 * The serials of scrip the broker issues against the serial contract. Not the durable one: they
 * continue after the serials recorded in {@code issued_scrip}, so a serial whose scrip was never
 * recorded (nobody holds it) may be issued again, by design.
 */
class IssuerSerialsTest extends SerialAllocatorContract<IssuerSerials> {
  @TempDir Path dir;
  private Database db;

  @Override
  protected IssuerSerials open() {
    if (db == null) {
      db = TestDatabases.sqlite(dir);
      db.migrate(Broker.COMPONENT);
    }
    return new IssuerSerials(db, "bob");
  }

  @Override
  protected void closeStore() {
    db.close();
  }
}
