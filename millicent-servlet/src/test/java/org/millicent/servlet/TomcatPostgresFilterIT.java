package org.millicent.servlet;

import org.jspecify.annotations.Nullable;
import org.millicent.storage.testing.TestDatabases;

/**
 * The filter in Tomcat with the vendor's state in PostgreSQL (the shared spent list). Skips when
 * PostgreSQL is unreachable (fails instead when MILLICENT_REQUIRE_POSTGRES=true).
 */
class TomcatPostgresFilterIT extends TomcatFilterIT {
  /** One fresh schema for the class: the vendor's, and the one a test reaches behind its back. */
  private @Nullable String url;

  @Override
  String database() {
    if (url == null) {
      url = TestDatabases.freshSchemaUrl();
    }
    return url;
  }
}
