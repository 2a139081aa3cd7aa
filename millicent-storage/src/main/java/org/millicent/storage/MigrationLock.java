package org.millicent.storage;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * Serialises the migrations of one database across threads and processes. Flyway locks while it
 * applies migrations, but not while it creates its history table or baselines a non-empty schema,
 * so two processes starting together on an empty database failed ("unable to baseline ... already
 * exists, and is empty" on PostgreSQL, SQLITE_BUSY on SQLite; VendorFirstStartIT).
 *
 * <p>On PostgreSQL the lock is a session advisory lock keyed by the schema name, held on a
 * connection of its own (outside the pool, so a small pool cannot starve Flyway) and released when
 * it closes. On SQLite it is an OS lock on a sidecar file {@code <database>.migrate-lock} (never on
 * the database file itself: closing another descriptor of that file would drop SQLite's own POSIX
 * locks), together with a lock per file within this JVM, since OS file locks belong to the whole
 * process.
 *
 * <p>Not thread-safe: one instance per acquisition, closed by the thread that acquired it.
 */
final class MigrationLock implements AutoCloseable {
  private static final long WAIT_SECONDS = 120;
  private static final ConcurrentMap<Path, ReentrantLock> IN_JVM = new ConcurrentHashMap<>();

  /**
   * Releases what was acquired: closes the PostgreSQL session (its advisory lock goes with it), or
   * closes the sidecar file (releasing its OS lock) and then unlocks this JVM's lock of the file.
   */
  private final Runnable release;

  private MigrationLock(Runnable release) {
    this.release = release;
  }

  /**
   * Waits for the migration lock of the database of {@code config}.
   *
   * @throws StorageException {@code storage-busy} when it stays taken for two minutes, or the code
   *     of the database or file failure
   */
  static MigrationLock acquire(DatabaseConfig config, String where) {
    return switch (config) {
      case DatabaseConfig.Postgres p -> postgres(p, where);
      case DatabaseConfig.Sqlite s -> sqlite(s.file().toAbsolutePath().normalize(), where);
    };
  }

  private static MigrationLock postgres(DatabaseConfig.Postgres config, String where) {
    Connection c = null;
    try {
      Connection session = DriverManager.getConnection(config.jdbcUrl());
      c = session;
      try (Statement st = c.createStatement()) {
        st.execute("SET lock_timeout = '" + WAIT_SECONDS + "s'");
      }
      try (PreparedStatement ps =
          c.prepareStatement("SELECT pg_advisory_lock(hashtextextended(?, 0))")) {
        ps.setString(1, "millicent-migrate/" + config.schema());
        ps.execute();
      }
      return new MigrationLock(() -> closeQuietly(session));
    } catch (SQLException e) {
      closeQuietly(c);
      throw SqlErrors.translate(e, where + " (waiting for the migration lock)");
    }
  }

  private static MigrationLock sqlite(Path file, String where) {
    ReentrantLock inJvm = IN_JVM.computeIfAbsent(file, f -> new ReentrantLock());
    try {
      if (!inJvm.tryLock(WAIT_SECONDS, TimeUnit.SECONDS)) {
        throw new StorageException(
            StorageException.BUSY, where + ": another migration held the database too long");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StorageException(
          StorageException.BUSY, where + ": interrupted waiting for the migration lock", e);
    }
    Path lockFile = file.resolveSibling(file.getFileName() + ".migrate-lock");
    FileChannel ch = null;
    try {
      FileChannel locked = open(lockFile);
      ch = locked;
      // Blocks until the other process's migration is done; its lock goes when it exits.
      locked.lock();
      return new MigrationLock(
          () -> {
            try {
              closeQuietly(locked); // releases the file lock
            } finally {
              inJvm.unlock();
            }
          });
    } catch (IOException e) {
      inJvm.unlock();
      closeQuietly(ch);
      throw new StorageException(
          StorageException.IO, where + ": cannot lock " + lockFile + " for migrating: " + e, e);
    }
  }

  private static FileChannel open(Path lockFile) throws IOException {
    Set<StandardOpenOption> options = Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
      FileAttribute<?> owner =
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));
      return FileChannel.open(lockFile, options, owner);
    }
    return FileChannel.open(lockFile, options);
  }

  /** Releases the lock (closing its connection or file). */
  @Override
  public void close() {
    release.run();
  }

  private static void closeQuietly(@Nullable AutoCloseable c) {
    if (c == null) {
      return;
    }
    try {
      c.close();
    } catch (Exception e) {
      // Closing releases the lock on the server or in the OS; nothing else to do.
    }
  }
}
