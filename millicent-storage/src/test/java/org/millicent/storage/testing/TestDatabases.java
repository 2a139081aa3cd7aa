package org.millicent.storage.testing;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.millicent.storage.Database;
import org.millicent.storage.DatabaseConfig;

/**
 * Fresh databases for tests: a new SQLite file in a temporary folder, or a new uniquely named
 * schema in the PostgreSQL test database (dropped when the JVM exits). Tests that need PostgreSQL
 * are skipped, with the reason, when it cannot be reached, unless the environment variable {@code
 * MILLICENT_REQUIRE_POSTGRES=true}, when they fail instead (as in CI). Thread-safe.
 */
public final class TestDatabases {
  /** Environment variable holding the PostgreSQL test URL. */
  public static final String URL_VARIABLE = "MILLICENT_TEST_POSTGRES_URL";

  /** Environment variable that turns a missing PostgreSQL from a skip into a failure. */
  public static final String REQUIRE_VARIABLE = "MILLICENT_REQUIRE_POSTGRES";

  /** The PostgreSQL URL used when {@value #URL_VARIABLE} is not set. */
  public static final String DEFAULT_URL = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres";

  private static final List<String> createdSchemas = new ArrayList<>();
  private static volatile String unreachable;
  private static volatile boolean probed;

  private TestDatabases() {}

  /** A fresh SQLite database file in {@code tempDir} (a JUnit {@code @TempDir}). */
  public static Database sqlite(Path tempDir) {
    return Database.open(DatabaseConfig.sqliteIn(tempDir, "test-" + shortId() + ".db"));
  }

  /**
   * A fresh, empty schema in the PostgreSQL test database, with a pool of 16 connections.
   *
   * @throws org.opentest4j.TestAbortedException (a skip) when PostgreSQL is unreachable and not
   *     required
   */
  public static Database postgres() {
    return Database.open(postgresConfig(16));
  }

  /**
   * The configuration of a fresh schema (created on first open) in the PostgreSQL test database;
   * open it several times to get several pools on one schema, as replicas do.
   */
  public static DatabaseConfig.Postgres postgresConfig(int maxPoolSize) {
    requirePostgres();
    String schema = "t_" + shortId();
    synchronized (createdSchemas) {
      if (createdSchemas.isEmpty()) {
        Runtime.getRuntime()
            .addShutdownHook(new Thread(TestDatabases::dropCreatedSchemas, "drop-test-schemas"));
      }
      createdSchemas.add(schema);
    }
    return new DatabaseConfig.Postgres(postgresUrl(), schema, maxPoolSize);
  }

  /**
   * The JDBC URL of a fresh schema in the PostgreSQL test database, for a server a test starts from
   * its own configuration ({@code database} in docs/CONFIG.md); servers given the same URL share
   * the schema, as replicas do. Dropped at exit, as {@link #postgresConfig}'s are.
   */
  public static String freshSchemaUrl() {
    return postgresUrl(postgresConfig(1).schema());
  }

  /** The test database's URL with {@code schema} as the connections' current schema. */
  public static String postgresUrl(String schema) {
    String base = postgresUrl();
    return base + (base.contains("?") ? "&" : "?") + "currentSchema=" + schema;
  }

  /** {@value #URL_VARIABLE}, or {@value #DEFAULT_URL}. */
  public static String postgresUrl() {
    String url = System.getenv(URL_VARIABLE);
    return url == null || url.isBlank() ? DEFAULT_URL : url;
  }

  /**
   * Skips the calling test when PostgreSQL is unreachable, or fails it when it is required.
   *
   * @throws org.opentest4j.TestAbortedException when unreachable and not required
   */
  public static void requirePostgres() {
    if (!probed) {
      synchronized (TestDatabases.class) {
        if (!probed) {
          unreachable = probe();
          probed = true;
        }
      }
    }
    String why = unreachable;
    if (why == null) {
      return;
    }
    String message =
        "PostgreSQL is not reachable at "
            + postgresUrl()
            + " ("
            + why
            + "); set "
            + URL_VARIABLE
            + " to test against PostgreSQL";
    if ("true".equalsIgnoreCase(System.getenv(REQUIRE_VARIABLE))) {
      Assertions.fail(message + " — required because " + REQUIRE_VARIABLE + "=true");
    }
    Assumptions.abort(message);
  }

  /** A plain connection to the test database (no schema), for tests that act on the server. */
  public static Connection adminConnection() throws SQLException {
    requirePostgres();
    return DriverManager.getConnection(postgresUrl());
  }

  private static String probe() {
    DriverManager.setLoginTimeout(5);
    try (Connection c = DriverManager.getConnection(postgresUrl());
        Statement st = c.createStatement()) {
      st.execute("SELECT 1");
      return null;
    } catch (SQLException e) {
      return e.getMessage();
    }
  }

  private static void dropCreatedSchemas() {
    List<String> schemas;
    synchronized (createdSchemas) {
      schemas = List.copyOf(createdSchemas);
    }
    try (Connection c = DriverManager.getConnection(postgresUrl());
        Statement st = c.createStatement()) {
      for (String s : schemas) {
        st.execute("DROP SCHEMA IF EXISTS \"" + s + "\" CASCADE");
      }
    } catch (SQLException e) {
      System.err.println("could not drop test schemas " + schemas + ": " + e.getMessage());
    }
  }

  private static String shortId() {
    return UUID.randomUUID().toString().replace("-", "").substring(0, 16).toLowerCase(Locale.ROOT);
  }
}
