package org.millicent.bench.storage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Comparator;
import java.util.UUID;
import java.util.stream.Stream;
import org.millicent.storage.Database;
import org.millicent.storage.DatabaseConfig;

/**
 * Throw-away databases for the storage benchmarks: an SQLite file in a fresh folder under {@code
 * java.io.tmpdir} (override with {@code -Dmillicent.bench.dir=...} to measure another disk), or a
 * fresh schema in the PostgreSQL of {@code MILLICENT_BENCH_POSTGRES_URL} (default the local test
 * database). Both are removed by {@link #drop}. Not thread-safe; used from JMH setup methods.
 */
final class BenchDatabases {
  static final String DEFAULT_POSTGRES_URL = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres";

  private BenchDatabases() {}

  /** A fresh SQLite database, WAL and synchronous=FULL as in production. */
  static Database sqlite() throws IOException {
    Path base =
        Path.of(System.getProperty("millicent.bench.dir", System.getProperty("java.io.tmpdir")));
    Path dir = Files.createTempDirectory(base, "millicent-bench-");
    return Database.open(new DatabaseConfig.Sqlite(dir.resolve("bench.db")));
  }

  /** A fresh schema on the benchmark PostgreSQL, with a pool of {@code poolSize}. */
  static Database postgres(int poolSize) {
    String schema = "bench_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    return Database.open(new DatabaseConfig.Postgres(postgresUrl(), schema, poolSize));
  }

  static String postgresUrl() {
    String url = System.getenv("MILLICENT_BENCH_POSTGRES_URL");
    return url == null || url.isBlank() ? DEFAULT_POSTGRES_URL : url;
  }

  /** Closes {@code db} and deletes its file or drops its schema. */
  static void drop(Database db) throws IOException, SQLException {
    DatabaseConfig config = db.config();
    db.close();
    switch (config) {
      case DatabaseConfig.Sqlite s -> {
        try (Stream<Path> files = Files.walk(s.file().getParent())) {
          for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
            Files.deleteIfExists(p);
          }
        }
      }
      case DatabaseConfig.Postgres p -> {
        try (Connection c = DriverManager.getConnection(p.jdbcUrl());
            Statement st = c.createStatement()) {
          st.execute("DROP SCHEMA IF EXISTS \"" + p.schema() + "\" CASCADE");
        }
      }
    }
  }
}
