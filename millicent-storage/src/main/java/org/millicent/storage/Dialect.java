package org.millicent.storage;

/** The SQL dialect of an open {@link Database}, for the few statements that differ. */
public enum Dialect {
  /** SQLite 3, embedded, one file in WAL mode. */
  SQLITE,
  /** PostgreSQL, shared by several processes. */
  POSTGRESQL;

  /** The folder name of this dialect's migrations: {@code sqlite} or {@code postgresql}. */
  public String folderName() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
