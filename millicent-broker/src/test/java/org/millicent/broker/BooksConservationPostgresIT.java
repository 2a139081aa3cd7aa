package org.millicent.broker;

import java.nio.file.Path;
import org.millicent.storage.Database;
import org.millicent.storage.testing.TestDatabases;

/**
 * The conservation property of {@link BooksConservationTest} on PostgreSQL, a fresh schema per try.
 * Skipped when PostgreSQL is unreachable, unless MILLICENT_REQUIRE_POSTGRES=true.
 */
class BooksConservationPostgresIT extends BooksConservationTest {
  @Override
  Database openDatabase(Path dir) {
    return TestDatabases.postgres();
  }
}
