package org.millicent.storage;

import java.io.IOException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import org.millicent.failure.Causes;
import org.sqlite.SQLiteException;

/**
 * Maps driver exceptions to {@link StorageException} codes, in one place. The message is the
 * innermost SQL error's own text (never Jdbi's statement dump, which lists bound arguments).
 */
final class SqlErrors {
  private SqlErrors() {}

  /** The storage failure behind {@code t}, described as happening at {@code where}. */
  static StorageException translate(Throwable t, String where) {
    SQLException sql = null;
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof StorageException s) {
        return s;
      }
      if (c instanceof SQLException e) {
        sql = e;
        break;
      }
      if (c instanceof IOException) {
        return new StorageException(StorageException.IO, where + ": " + Causes.describe(c), t);
      }
      if (c.getCause() == c) {
        break;
      }
    }
    if (sql == null) {
      return new StorageException(StorageException.FAILED, where + ": " + t, t);
    }
    StorageCode code = code(sql);
    return new StorageException(code, where + ": " + explain(code) + sql.getMessage(), t);
  }

  private static String explain(StorageCode code) {
    return switch (code) {
      case FULL -> "the disk or database is full; ";
      case CORRUPT -> "the database is damaged or not a database; ";
      case UNAVAILABLE -> "the database cannot be reached; ";
      case READ_ONLY -> "the database cannot be written; ";
      case BUSY -> "the database stayed locked; ";
      default -> "";
    };
  }

  /** The code of one SQL exception, from SQLite's result code or PostgreSQL's SQLSTATE. */
  static StorageCode code(SQLException e) {
    if (e instanceof SQLiteException s) {
      return sqliteCode(s.getResultCode().code);
    }
    if (e instanceof SQLTransientConnectionException) {
      return StorageException.UNAVAILABLE;
    }
    String state = e.getSQLState();
    if (state != null) {
      if (state.startsWith("08")
          || state.equals("57P01")
          || state.equals("57P02")
          || state.equals("57P03")) {
        return StorageException.UNAVAILABLE;
      }
      if (state.equals("53100")) {
        return StorageException.FULL;
      }
      if (state.equals("XX001") || state.equals("XX002")) {
        return StorageException.CORRUPT;
      }
      if (state.equals("40001") || state.equals("40P01") || state.equals("55P03")) {
        return StorageException.BUSY;
      }
      if (state.equals("25006")) {
        return StorageException.READ_ONLY;
      }
    }
    String m = String.valueOf(e.getMessage());
    if (m.startsWith("[SQLITE_")) {
      // Some sqlite-jdbc paths raise a plain SQLException whose vendor code is SQLite's.
      return sqliteCode(e.getErrorCode());
    }
    if (m.contains("has been closed") || m.contains("Connection is closed")) {
      return StorageException.UNAVAILABLE;
    }
    return StorageException.FAILED;
  }

  private static StorageCode sqliteCode(int resultCode) {
    return switch (resultCode & 0xff) {
      case 5, 6 -> StorageException.BUSY; // SQLITE_BUSY, SQLITE_LOCKED
      case 3, 8 -> StorageException.READ_ONLY; // SQLITE_PERM, SQLITE_READONLY
      case 10 -> StorageException.IO; // SQLITE_IOERR
      case 11, 26 -> StorageException.CORRUPT; // SQLITE_CORRUPT, SQLITE_NOTADB
      case 13 -> StorageException.FULL; // SQLITE_FULL
      case 14 -> StorageException.UNAVAILABLE; // SQLITE_CANTOPEN
      default -> StorageException.FAILED;
    };
  }
}
