package org.millicent.storage;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Where a service keeps its state: one SQLite file (the embedded default) or a schema of a
 * PostgreSQL database (shared by several processes). Values are validated when made; none holds a
 * secret other than a password a PostgreSQL URL may carry, which {@code toString} redacts.
 */
public sealed interface DatabaseConfig {

  /** Default size of the PostgreSQL connection pool. */
  int DEFAULT_POOL_SIZE = 16;

  /** Schema used when a PostgreSQL URL names none ({@code currentSchema}). */
  String DEFAULT_SCHEMA = "millicent";

  /**
   * One SQLite file in WAL mode, created if missing.
   *
   * @param file the database file
   */
  record Sqlite(Path file) implements DatabaseConfig {
    /** Requires a file. */
    public Sqlite {
      Objects.requireNonNull(file, "file");
    }
  }

  /**
   * A schema of a PostgreSQL database, created if missing.
   *
   * @param jdbcUrl a {@code jdbc:postgresql:} URL
   * @param schema the schema holding every table: lower-case letters, digits and underscores
   * @param maxPoolSize the most connections held open, at least 1
   */
  record Postgres(String jdbcUrl, String schema, int maxPoolSize) implements DatabaseConfig {
    private static final Pattern SCHEMA = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

    /** Validates the URL scheme, the schema name and the pool size. */
    public Postgres {
      Objects.requireNonNull(jdbcUrl, "jdbcUrl");
      if (!jdbcUrl.startsWith("jdbc:postgresql:")) {
        throw new IllegalArgumentException(
            "PostgreSQL URL must start with jdbc:postgresql:, was " + redact(jdbcUrl));
      }
      if (schema == null || !SCHEMA.matcher(schema).matches()) {
        throw new IllegalArgumentException(
            "schema must match [a-z_][a-z0-9_]{0,62}, was " + schema);
      }
      if (maxPoolSize < 1) {
        throw new IllegalArgumentException("pool size must be >= 1, was " + maxPoolSize);
      }
    }

    /** The URL with any password replaced by {@code ***}. */
    public String redactedUrl() {
      return redact(jdbcUrl);
    }

    /** Never prints a password. */
    @Override
    public String toString() {
      return "Postgres[" + redactedUrl() + " schema=" + schema + " pool=" + maxPoolSize + "]";
    }
  }

  /**
   * The SQLite file {@code dataDir/fileName}; {@link Database#open} creates the folder readable
   * only by its owner (0700) and the file 0600, where the file system has POSIX permissions.
   */
  static DatabaseConfig sqliteIn(Path dataDir, String fileName) {
    if (fileName == null || fileName.isBlank() || fileName.contains("/")) {
      throw new IllegalArgumentException("file name must be a plain name, was " + fileName);
    }
    return new Sqlite(dataDir.resolve(fileName));
  }

  /**
   * Reads a configured database: a {@code jdbc:postgresql:} URL (schema from its {@code
   * currentSchema} parameter, else {@value #DEFAULT_SCHEMA}), a {@code jdbc:sqlite:} URL, or a file
   * path (relative paths resolve against {@code dataDir}; a folder gets {@code defaultFileName} in
   * it). Null or blank means {@code dataDir/defaultFileName}.
   */
  static DatabaseConfig parse(@Nullable String urlOrPath, Path dataDir, String defaultFileName) {
    if (urlOrPath == null || urlOrPath.isBlank()) {
      return sqliteIn(dataDir, defaultFileName);
    }
    String s = urlOrPath.strip();
    if (s.startsWith("jdbc:postgresql:")) {
      Matcher m = Pattern.compile("[?&]currentSchema=([^&]+)").matcher(s);
      String schema = m.find() ? m.group(1) : DEFAULT_SCHEMA;
      return new Postgres(s, schema, DEFAULT_POOL_SIZE);
    }
    if (s.startsWith("jdbc:sqlite:")) {
      s = s.substring("jdbc:sqlite:".length());
    } else if (s.startsWith("jdbc:")) {
      throw new IllegalArgumentException(
          "database must be a jdbc:postgresql: or jdbc:sqlite: URL or a file path, was "
              + redact(s));
    }
    Path p = dataDir.resolve(s);
    if (Files.isDirectory(p)) {
      p = p.resolve(defaultFileName);
    }
    return new Sqlite(p);
  }

  /** {@code url} with the value of any {@code password} parameter or user-info replaced. */
  static String redact(String url) {
    String r = url.replaceAll("(?i)(password=)[^&]*", "$1***");
    return r.replaceAll("//([^/@:]*):[^/@]*@", "//$1:***@");
  }
}
