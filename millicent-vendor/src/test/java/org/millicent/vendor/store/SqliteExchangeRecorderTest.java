package org.millicent.vendor.store;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.millicent.storage.Database;
import org.millicent.storage.testing.TestDatabases;

class SqliteExchangeRecorderTest extends VendorExchangeRecorderContract {
  @TempDir Path tmp;

  @Override
  Database newDatabase() {
    return TestDatabases.sqlite(tmp);
  }
}
