package org.millicent.storage;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.sqlite.SQLiteDataSource;

/**
 * What {@link Database#open} checks before its pool opens: the SQLite file (folder and file
 * permissions, the SQLite header, a readable catalogue in WAL mode) and, on either dialect, that
 * the tables found are a Millicent database's. Nothing is written to a file refused here.
 */
final class OpenChecks {
  private static final byte[] SQLITE_MAGIC =
      "SQLite format 3\0".getBytes(StandardCharsets.US_ASCII);

  private OpenChecks() {}

  /**
   * Opens the first connection, which turns a new file to WAL mode, and checks the content. Turning
   * a new file to WAL needs the file to itself, and SQLite answers busy at once, without waiting
   * for its busy timeout, when another process is opening the same new file at that moment (two
   * replicas starting together): that is retried until the busy timeout has passed.
   */
  static void firstSqliteConnection(SQLiteDataSource raw, String where) {
    long deadline = System.nanoTime() + Database.SQLITE_BUSY_TIMEOUT_MS * 1_000_000L;
    while (true) {
      try (Connection c = raw.getConnection()) {
        checkSqliteContent(c, where);
        return;
      } catch (SQLException e) {
        StorageException s = SqlErrors.translate(e, where);
        if (!StorageException.BUSY.equals(s.code()) || System.nanoTime() > deadline) {
          throw s;
        }
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new StorageException(StorageException.FAILED, where + ": interrupted while opening");
      }
    }
  }

  /**
   * Creates the folder (0700) and file (0600) if missing, tightens an existing file to 0600, and
   * refuses a file that does not start with SQLite's magic header.
   */
  static void prepareSqliteFile(Path file, String where) {
    boolean posix = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    Path dir = file.getParent();
    if (dir == null) { // the root of the file system
      throw new StorageException(
          StorageException.CONFIG, where + ": expected a file, found a folder");
    }
    try {
      if (!Files.exists(dir)) {
        if (posix) {
          Files.createDirectories(
              dir,
              PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } else {
          Files.createDirectories(dir);
        }
      } else if (!Files.isDirectory(dir)) {
        throw new StorageException(
            StorageException.CONFIG, where + ": " + dir + " is not a folder");
      }
      if (Files.isDirectory(file)) {
        throw new StorageException(
            StorageException.CONFIG, where + ": expected a file, found a folder");
      }
      if (!Files.exists(file)) {
        try {
          if (posix) {
            Files.createFile(
                file,
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
          } else {
            Files.createFile(file);
          }
          return;
        } catch (java.nio.file.FileAlreadyExistsException e) {
          // Another process created it at the same moment: check it as an existing file.
        }
      }
      if (posix) {
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
      }
      if (Files.size(file) == 0) {
        return; // SQLite treats an empty file as a new database.
      }
      byte[] head = new byte[SQLITE_MAGIC.length];
      int n;
      try (InputStream in = Files.newInputStream(file)) {
        n = in.readNBytes(head, 0, head.length);
      }
      if (n < head.length || !Arrays.equals(head, SQLITE_MAGIC)) {
        throw new StorageException(
            StorageException.CORRUPT,
            where
                + ": expected an SQLite 3 database, found a file of "
                + Files.size(file)
                + " bytes without the SQLite header (not a database, or damaged); move it away or"
                + " point the configuration at another file");
      }
    } catch (java.nio.file.AccessDeniedException e) {
      throw new StorageException(
          StorageException.READ_ONLY, where + ": permission denied on " + e.getFile(), e);
    } catch (IOException e) {
      throw new StorageException(StorageException.IO, where + ": " + e, e);
    }
  }

  /** Reads the schema (which touches page 1 and the catalogue) and refuses tables not ours. */
  static void checkSqliteContent(Connection c, String where) throws SQLException {
    List<String> tables = new ArrayList<>();
    try (Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%'"
                    + " ESCAPE '\\' ORDER BY name")) {
      while (rs.next()) {
        tables.add(rs.getString(1));
      }
    }
    refuseForeign(tables, where);
    try (Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("PRAGMA journal_mode")) {
      String mode = rs.next() ? rs.getString(1) : "?";
      if (!"wal".equalsIgnoreCase(mode)) {
        throw new StorageException(
            StorageException.FAILED, where + ": expected journal mode wal, found " + mode);
      }
    }
  }

  static void refuseForeign(List<String> tables, String where) {
    if (tables.isEmpty()
        || tables.stream().anyMatch(t -> t.startsWith(Migrations.HISTORY_PREFIX))) {
      return;
    }
    throw new StorageException(
        StorageException.FOREIGN,
        where
            + ": expected a Millicent database (tables flyway_<component>), found other tables "
            + tables.subList(0, Math.min(5, tables.size()))
            + (tables.size() > 5 ? " and " + (tables.size() - 5) + " more" : "")
            + "; point the configuration at another file or schema");
  }
}
