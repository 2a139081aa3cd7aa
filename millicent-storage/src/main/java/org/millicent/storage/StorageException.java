package org.millicent.storage;

import org.jspecify.annotations.Nullable;
import org.millicent.failure.MillicentException;

/**
 * Root of storage failures (a {@link MillicentException}), with a stable machine code that the CLI
 * and HTTP layers map in one place. It is deliberately not an {@link IllegalStateException}:
 * servers answer a storage failure with {@code 503 storage-*} and any other unexpected exception (a
 * bug) with {@code 500 internal}, so the two must not share a type. Messages name the file or
 * server and what was found (for logs and operators); they never carry a secret or a password. What
 * a client may be told is {@link #clientDetail()}: the code alone, without paths, SQL or driver
 * text.
 */
public class StorageException extends MillicentException {
  private static final long serialVersionUID = 1L;

  /** The database server or file cannot be reached or opened. */
  public static final StorageCode UNAVAILABLE = StorageCode.UNAVAILABLE;

  /** The file is not a readable SQLite database, or its pages are damaged. */
  public static final StorageCode CORRUPT = StorageCode.CORRUPT;

  /** The database holds tables that are not ours (no Millicent schema history). */
  public static final StorageCode FOREIGN = StorageCode.FOREIGN;

  /** The disk or database is full: nothing more can be written. */
  public static final StorageCode FULL = StorageCode.FULL;

  /** The database stayed locked by another writer for longer than the busy timeout. */
  public static final StorageCode BUSY = StorageCode.BUSY;

  /** The file or folder cannot be written (permissions, read-only file system). */
  public static final StorageCode READ_ONLY = StorageCode.READ_ONLY;

  /** A read or write failed at the operating-system level. */
  public static final StorageCode IO = StorageCode.IO;

  /** The configuration is invalid (a bad schema name, a bad path). */
  public static final StorageCode CONFIG = StorageCode.CONFIG;

  /** A migration failed or the schema is newer than this program. */
  public static final StorageCode MIGRATION = StorageCode.MIGRATION;

  /** The store was closed, or stopped after an earlier failure. */
  public static final StorageCode CLOSED = StorageCode.CLOSED;

  /** Any other database failure. */
  public static final StorageCode FAILED = StorageCode.FAILED;

  private final StorageCode code;

  /** A failure with a stable {@code code} and a message that says what was expected and found. */
  public StorageException(StorageCode code, String message) {
    super(code.code() + ": " + message, null);
    this.code = code;
  }

  /** A failure caused by {@code cause}. */
  public StorageException(StorageCode code, String message, Throwable cause) {
    super(code.code() + ": " + message, cause);
    this.code = code;
  }

  /** The stable machine code, such as {@code storage-full}. */
  @Override
  public StorageCode code() {
    return code;
  }

  /**
   * What a client may be told: {@code "storage failed (storage-busy)"}, from the code alone. The
   * message (with the file, server, SQL or driver text) is for the log only.
   */
  public String clientDetail() {
    return "storage failed (" + code.code() + ")";
  }

  /**
   * {@link #clientDetail()} of the first storage failure among {@code t} and its causes, else a
   * generic {@code "storage failed"}: never a path, SQL or driver text.
   */
  public static String clientDetail(@Nullable Throwable t) {
    int depth = 0;
    for (Throwable c = t; c != null && depth < 16; c = c.getCause(), depth++) {
      if (c instanceof StorageException s) {
        return s.clientDetail();
      }
    }
    return "storage failed";
  }
}
