package org.millicent.servlet;

import org.millicent.storage.testing.TestDatabases;

/**
 * The filter in Tomcat with the vendor's state in PostgreSQL (the shared spent list). Skips when
 * PostgreSQL is unreachable (fails instead when MILLICENT_REQUIRE_POSTGRES=true).
 */
class TomcatPostgresFilterIT extends TomcatFilterIT {
  @Override
  String database() {
    String schema = TestDatabases.postgresConfig(8).schema();
    String base = TestDatabases.postgresUrl();
    return base + (base.contains("?") ? "&" : "?") + "currentSchema=" + schema;
  }
}
