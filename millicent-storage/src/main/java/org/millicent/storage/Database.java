package org.millicent.storage;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.pool.HikariPool;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.HandleCallback;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/**
 * One open database: a Jdbi over a pooled DataSource, with Flyway migrations per component.
 *
 * <p>SQLite runs in WAL mode with {@code synchronous=FULL} (a commit returns once the WAL is
 * fsync'd), a busy timeout and foreign keys on. Before the pool opens, the file is checked: a file
 * that is not SQLite is refused as {@code storage-corrupt}, an SQLite file with tables but no
 * Millicent schema history as {@code storage-foreign}. PostgreSQL runs in one schema (created if
 * missing) through a HikariCP pool.
 *
 * <p>Each component (vendor, broker, wallet) owns its migrations in {@code
 * classpath:db-migrations/<component>/<dialect>/} and its history table {@code flyway_<component>},
 * so components share a database without sharing a migration sequence.
 *
 * <p>Thread-safe.
 */
public final class Database implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Database.class);

  /** How long a SQLite connection waits for another writer before failing as busy. */
  static final int SQLITE_BUSY_TIMEOUT_MS = 30_000;

  private static final int SQLITE_POOL_SIZE = 8;

  private final DatabaseConfig config;
  private final Dialect dialect;
  private final HikariDataSource pool;
  private final Jdbi jdbi;
  private final String description;
  private final AtomicBoolean closed = new AtomicBoolean();
  private final Migrations migrations;

  private Database(
      DatabaseConfig config, Dialect dialect, HikariDataSource pool, String description) {
    this.config = config;
    this.dialect = dialect;
    this.pool = pool;
    this.jdbi = Jdbi.create(pool);
    this.description = description;
    this.migrations = new Migrations(pool, config, dialect, description);
  }

  /**
   * Opens (creating if needed) the database of {@code config}.
   *
   * @throws StorageException {@code storage-corrupt} when the file is not an SQLite database or is
   *     damaged, {@code storage-foreign} when it holds tables that are not ours, {@code
   *     storage-unavailable} when the server cannot be reached, {@code storage-readonly} when the
   *     file or folder cannot be written
   */
  public static Database open(DatabaseConfig config) {
    return switch (config) {
      case DatabaseConfig.Sqlite s -> openSqlite(s, 0);
      case DatabaseConfig.Postgres p -> openPostgres(p);
    };
  }

  /**
   * Opens an SQLite file that may grow to at most {@code maxBytes} (rounded down to whole pages):
   * past it every write fails as {@code storage-full}, as on a full disk. For quotas and for tests
   * of a full disk.
   *
   * @throws StorageException as {@link #open}
   */
  public static Database openSqliteWithQuota(DatabaseConfig.Sqlite config, long maxBytes) {
    if (maxBytes < 16 * 4096) {
      throw new IllegalArgumentException("quota must be >= 64 KiB, was " + maxBytes);
    }
    return openSqlite(config, (int) Math.min(Integer.MAX_VALUE, maxBytes / 4096));
  }

  /** Plain JDBC work on one connection (see {@link #withConnection}). */
  @FunctionalInterface
  public interface JdbcWork<R> {
    /** Runs on {@code connection}; commits itself when it turned autocommit off. */
    R run(Connection connection) throws SQLException;
  }

  /**
   * Runs {@code work} on a pooled connection, for hot paths that bind what Jdbi would box (the
   * spent list's primitive arrays) or batch with plain JDBC. A failure rolls the connection back
   * and {@linkplain #discard discards} it (no transaction state in doubt reaches the next user) and
   * is thrown translated, as by {@link #withHandle}; the original {@link SQLException} stays its
   * cause.
   *
   * @throws StorageException when the work or the database fails
   */
  public <R> R withConnection(JdbcWork<R> work) {
    Connection c = openConnection();
    R result;
    try {
      result = work.run(c);
    } catch (SQLException | RuntimeException e) {
      abandon(c);
      throw translate(e);
    }
    try {
      c.close();
    } catch (SQLException e) {
      throw translate(e);
    }
    return result;
  }

  /**
   * A pooled connection the caller keeps (a writer's, or one that holds a session lock), closed by
   * the caller, or {@linkplain #discard discarded} to end its session.
   *
   * @throws StorageException when the database cannot be reached
   */
  public Connection openConnection() {
    try {
      return pool.getConnection();
    } catch (SQLException e) {
      throw translate(e);
    }
  }

  private void abandon(Connection c) {
    try {
      if (!c.getAutoCommit()) {
        c.rollback();
      }
    } catch (SQLException ignored) {
      // The connection is broken or the transaction already gone; the first error is reported.
    }
    discard(c);
  }

  /**
   * Closes {@code connection} for good instead of returning it to the pool: for a connection whose
   * transaction state is in doubt after a failure (sqlite-jdbc, for one, does not notice when
   * SQLite rolls a transaction back by itself on a full disk). Quiet on failure.
   */
  public void discard(Connection connection) {
    try {
      pool.evictConnection(connection);
    } catch (RuntimeException e) {
      log.debug("Could not discard a connection of {}: {}", description, e.toString());
    }
  }

  /** The dialect, for the few statements that differ. */
  public Dialect dialect() {
    return dialect;
  }

  /** The configuration this database was opened with. */
  public DatabaseConfig config() {
    return config;
  }

  /** A readable name for messages: the SQLite path, or the redacted URL and schema. */
  public String describe() {
    return description;
  }

  /**
   * Runs {@code callback} in one transaction, mapping database failures to {@link
   * StorageException}.
   *
   * @throws StorageException when the database fails (the transaction is rolled back)
   * @throws X what the callback throws
   */
  public <R, X extends Exception> R inTransaction(HandleCallback<R, X> callback) throws X {
    try {
      return jdbi.inTransaction(callback);
    } catch (JdbiException e) {
      throw translate(e);
    }
  }

  /**
   * Runs {@code callback} with a handle (autocommit), mapping database failures to {@link
   * StorageException}.
   *
   * @throws StorageException when the database fails
   * @throws X what the callback throws
   */
  public <R, X extends Exception> R withHandle(HandleCallback<R, X> callback) throws X {
    try {
      return jdbi.withHandle(callback);
    } catch (JdbiException e) {
      throw translate(e);
    }
  }

  /**
   * Opens a handle that one owner keeps across transactions (a writer thread keeping its page cache
   * warm); run each transaction on it with {@link #inTransaction(Handle, HandleCallback)} and close
   * it when done.
   *
   * @throws StorageException when no connection can be had
   */
  public Handle openHandle() {
    try {
      return jdbi.open();
    } catch (JdbiException e) {
      throw translate(e);
    }
  }

  /**
   * Runs {@code callback} in one transaction on {@code handle} (from {@link #openHandle}), mapping
   * database failures to {@link StorageException}.
   *
   * @throws StorageException when the database fails (the transaction is rolled back)
   * @throws X what the callback throws
   */
  public <R, X extends Exception> R inTransaction(Handle handle, HandleCallback<R, X> callback)
      throws X {
    try {
      return handle.inTransaction(callback);
    } catch (JdbiException e) {
      throw translate(e);
    }
  }

  /** The storage failure behind a JDBC or Jdbi exception from this database, with a stable code. */
  public StorageException translate(Throwable e) {
    if (closed.get()) {
      return new StorageException(StorageException.CLOSED, description + " is closed", e);
    }
    return SqlErrors.translate(e, description);
  }

  /**
   * Applies the migrations in {@code classpath:db-migrations/<component>/<dialect>/} ({@code
   * V1__init.sql}, ...), recording them in the table {@code flyway_<component>}. Safe to call from
   * several threads and processes at once: the migrations of one database are serialised by a
   * {@link MigrationLock}.
   *
   * @throws StorageException {@code storage-migration} when a migration fails or the database was
   *     migrated by a newer program
   */
  public void migrate(String component) {
    migrations.migrate(component);
  }

  /**
   * Retires the migration chain of a component whose tables another component's chain now owns (the
   * other chain creates them if absent): when the history table {@code flyway_<component>} exists,
   * applies what that old chain still lacks from {@code classpath:<location>/<dialect>/}, then
   * drops the history. Call it before migrating the new owner. Under the same {@link MigrationLock}
   * as {@link #migrate}, so processes starting together retire it once.
   *
   * @return whether a history was found and retired
   * @throws StorageException {@code storage-migration} when a migration fails
   */
  public boolean retireHistory(String component, String location) {
    return migrations.retireHistory(component, location);
  }

  /** Closes the pool; on SQLite the last connection checkpoints the WAL. Idempotent. */
  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      pool.close();
    }
  }

  /** Whether {@link #close} was called. */
  public boolean isClosed() {
    return closed.get();
  }

  @Override
  public String toString() {
    return "Database[" + description + "]";
  }

  // ---------------------------------------------------------------- SQLite

  private static Database openSqlite(DatabaseConfig.Sqlite config, int maxPageCount) {
    Path file = config.file().toAbsolutePath().normalize();
    String where = "SQLite database " + file;
    OpenChecks.prepareSqliteFile(file, where);

    SQLiteConfig sc = new SQLiteConfig();
    sc.setJournalMode(SQLiteConfig.JournalMode.WAL);
    sc.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
    sc.setBusyTimeout(SQLITE_BUSY_TIMEOUT_MS);
    sc.enforceForeignKeys(true);
    if (maxPageCount > 0) {
      sc.setMaxPageCount(maxPageCount);
    }
    SQLiteDataSource raw = new SQLiteDataSource(sc);
    raw.setUrl("jdbc:sqlite:" + file);

    OpenChecks.firstSqliteConnection(raw, where);

    HikariConfig hc = new HikariConfig();
    hc.setDataSource(raw);
    hc.setPoolName("millicent-sqlite");
    hc.setMaximumPoolSize(SQLITE_POOL_SIZE);
    hc.setMinimumIdle(1);
    hc.setConnectionTimeout(SQLITE_BUSY_TIMEOUT_MS);
    return new Database(config, Dialect.SQLITE, openPool(hc, where), where);
  }

  // ------------------------------------------------------------ PostgreSQL

  private static Database openPostgres(DatabaseConfig.Postgres config) {
    String where = "PostgreSQL " + config.redactedUrl() + " schema " + config.schema();
    DriverManager.setLoginTimeout(10);
    try (Connection c = DriverManager.getConnection(config.jdbcUrl())) {
      try (Statement st = c.createStatement()) {
        st.execute("CREATE SCHEMA IF NOT EXISTS \"" + config.schema() + "\"");
      } catch (SQLException e) {
        // Two processes creating the schema at once: the loser sees a duplicate, which is fine.
        if (!"23505".equals(e.getSQLState()) && !"42P06".equals(e.getSQLState())) {
          throw e;
        }
      }
      List<String> tables = new ArrayList<>();
      try (var ps =
          c.prepareStatement(
              "SELECT table_name FROM information_schema.tables WHERE table_schema = ?"
                  + " ORDER BY table_name")) {
        ps.setString(1, config.schema());
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            tables.add(rs.getString(1));
          }
        }
      }
      OpenChecks.refuseForeign(tables, where);
    } catch (SQLException e) {
      throw SqlErrors.translate(e, where);
    }
    HikariConfig hc = new HikariConfig();
    hc.setJdbcUrl(config.jdbcUrl());
    hc.setSchema(config.schema());
    hc.setPoolName("millicent-pg-" + config.schema());
    hc.setMaximumPoolSize(config.maxPoolSize());
    hc.setMinimumIdle(Math.min(2, config.maxPoolSize()));
    hc.setConnectionTimeout(10_000);
    return new Database(config, Dialect.POSTGRESQL, openPool(hc, where), where);
  }

  private static HikariDataSource openPool(HikariConfig hc, String where) {
    try {
      return new HikariDataSource(hc);
    } catch (HikariPool.PoolInitializationException e) {
      throw SqlErrors.translate(e.getCause() == null ? e : e.getCause(), where);
    }
  }
}
