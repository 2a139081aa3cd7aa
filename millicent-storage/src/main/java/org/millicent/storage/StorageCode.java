package org.millicent.storage;

import org.millicent.failure.ErrorCode;

/**
 * The stable codes of storage failures ({@link StorageException#code()}); the CLI and each server
 * map them in one place (a server answers every one {@code 503}). Codes never change once
 * published.
 */
public enum StorageCode implements ErrorCode {
  /** The database server or file cannot be reached or opened. */
  UNAVAILABLE("storage-unavailable"),
  /** The file is not a readable SQLite database, or its pages are damaged. */
  CORRUPT("storage-corrupt"),
  /** The database holds tables that are not ours (no Millicent schema history). */
  FOREIGN("storage-foreign"),
  /** The disk or database is full: nothing more can be written. */
  FULL("storage-full"),
  /** The database stayed locked by another writer for longer than the busy timeout. */
  BUSY("storage-busy"),
  /** The file or folder cannot be written (permissions, read-only file system). */
  READ_ONLY("storage-readonly"),
  /** A read or write failed at the operating-system level. */
  IO("storage-io"),
  /** The configuration is invalid (a bad schema name, a bad path). */
  CONFIG("storage-config"),
  /** A migration failed or the schema is newer than this program. */
  MIGRATION("storage-migration"),
  /** The store was closed, or stopped after an earlier failure. */
  CLOSED("storage-closed"),
  /** Any other database failure. */
  FAILED("storage-failed");

  private final String code;

  StorageCode(String code) {
    this.code = code;
  }

  @Override
  public String code() {
    return code;
  }

  /** The stable text form, as {@link #code()}, so that a code in a message reads as published. */
  @Override
  public String toString() {
    return code;
  }
}
