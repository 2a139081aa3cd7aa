package org.millicent.storage;

import java.util.regex.Pattern;

/**
 * Where one service keeps its key vectors ({@link KeyVectorStore}): the vendor's tables, or the
 * broker's, in the shape of the vendor's (docs/STORAGE.md). Immutable.
 *
 * @param masters the table of master scrip secrets
 * @param customers the table of customer master secrets
 * @param lock the name of the secrets lock (on PostgreSQL, per schema)
 */
public record KeyVectorTables(String masters, String customers, String lock) {
  private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]*");

  /**
   * @throws IllegalArgumentException when a table name is not a plain lower-case SQL name
   */
  public KeyVectorTables {
    if (!NAME.matcher(masters).matches() || !NAME.matcher(customers).matches()) {
      throw new IllegalArgumentException("table names must match " + NAME);
    }
    if (!NAME.matcher(lock.replace('-', '_')).matches()) {
      throw new IllegalArgumentException("the lock name must match " + NAME + " (or '-')");
    }
  }
}
