package org.millicent.storage;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.millicent.failure.Causes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Flyway migrations of one database ({@link Database#migrate}, {@link Database#retireHistory}):
 * one chain per component, history table {@code flyway_<component>}, serialised across threads and
 * processes by a {@link MigrationLock}. Thread-safe.
 */
final class Migrations {
  private static final Logger log = LoggerFactory.getLogger(Migrations.class);

  static final String HISTORY_PREFIX = "flyway_";

  /**
   * Where each component's chains are. Not a package name (the hyphen): in a named module a
   * package's resources are hidden from other modules, Flyway included.
   */
  static final String FOLDER = "db-migrations/";

  private static final Pattern COMPONENT = Pattern.compile("[a-z][a-z0-9_]{0,30}");
  private static final Pattern LOCATION = Pattern.compile("[a-z][a-z0-9_-]*(/[a-z][a-z0-9_-]*)*");

  private final DataSource pool;
  private final DatabaseConfig config;
  private final Dialect dialect;
  private final String description;

  Migrations(DataSource pool, DatabaseConfig config, Dialect dialect, String description) {
    this.pool = pool;
    this.config = config;
    this.dialect = dialect;
    this.description = description;
  }

  void migrate(String component) {
    checkComponent(component);
    try (var _ = MigrationLock.acquire(config, description)) {
      run(component, FOLDER + component);
    }
  }

  boolean retireHistory(String component, String location) {
    checkComponent(component);
    if (location == null || !LOCATION.matcher(location).matches()) {
      throw new IllegalArgumentException("location must be a classpath folder, was " + location);
    }
    String table = HISTORY_PREFIX + component;
    try (var _ = MigrationLock.acquire(config, description)) {
      if (!historyExists(table)) {
        return false;
      }
      run(component, location);
      try (Connection c = pool.getConnection();
          Statement st = c.createStatement()) {
        st.execute("DROP TABLE " + table);
      } catch (SQLException e) {
        throw SqlErrors.translate(e, description);
      }
      log.info("Retired the {} migration history in {}", component, description);
      return true;
    }
  }

  private boolean historyExists(String table) {
    String schema = config instanceof DatabaseConfig.Postgres p ? p.schema() : null;
    try (Connection c = pool.getConnection();
        ResultSet rs = c.getMetaData().getTables(null, schema, table, new String[] {"TABLE"})) {
      while (rs.next()) {
        if (table.equals(rs.getString("TABLE_NAME"))) {
          return true;
        }
      }
      return false;
    } catch (SQLException e) {
      throw SqlErrors.translate(e, description);
    }
  }

  /** Applies {@code classpath:<location>/<dialect>} with history {@code flyway_<component>}. */
  private void run(String component, String location) {
    FluentConfiguration fc =
        Flyway.configure(Database.class.getClassLoader())
            .dataSource(pool)
            .table(HISTORY_PREFIX + component)
            .locations("classpath:" + location + "/" + dialect.folderName())
            .failOnMissingLocations(true)
            // Other components' tables make the schema non-empty: start this component's
            // history at version 0 so that its V1 still runs.
            .baselineOnMigrate(true)
            .baselineVersion("0")
            .baselineDescription("<< " + component + " >>");
    if (config instanceof DatabaseConfig.Postgres p) {
      fc = fc.schemas(p.schema()).defaultSchema(p.schema()).createSchemas(false);
    }
    try {
      var result = fc.load().migrate();
      if (result.migrationsExecuted > 0) {
        log.info(
            "Migrated {} in {} to version {}", component, description, result.targetSchemaVersion);
      }
    } catch (FlywayException e) {
      StorageException cause = SqlErrors.translate(e, description);
      if (!cause.code().equals(StorageException.FAILED)) {
        throw cause;
      }
      throw new StorageException(
          StorageException.MIGRATION,
          "migrating " + component + " in " + description + " failed: " + Causes.describe(e),
          e);
    }
  }

  private static void checkComponent(String component) {
    if (component == null || !COMPONENT.matcher(component).matches()) {
      throw new IllegalArgumentException(
          "component must match [a-z][a-z0-9_]{0,30}, was " + component);
    }
  }
}
