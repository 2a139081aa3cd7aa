package org.millicent.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.millicent.storage.testing.TestDatabases;

class DatabaseTest {
  @TempDir Path tmp;

  @Test
  void open_newSqliteFile_createsPrivateFolderAndFileInWalMode() throws Exception {
    Path dir = tmp.resolve("data/vendor");
    try (Database db = Database.open(DatabaseConfig.sqliteIn(dir, "vendor.db"))) {
      assertThat(db.dialect()).isEqualTo(Dialect.SQLITE);
      String mode =
          db.withHandle(h -> h.createQuery("PRAGMA journal_mode").mapTo(String.class).one());
      int sync = db.withHandle(h -> h.createQuery("PRAGMA synchronous").mapTo(Integer.class).one());
      int fk = db.withHandle(h -> h.createQuery("PRAGMA foreign_keys").mapTo(Integer.class).one());
      assertThat(mode).isEqualTo("wal");
      assertThat(sync).as("synchronous=FULL").isEqualTo(2);
      assertThat(fk).isEqualTo(1);
    }
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)))
        .isEqualTo("rwx------");
    assertThat(
            PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("vendor.db"))))
        .isEqualTo("rw-------");
  }

  @Test
  void open_existingLooseFile_isTightenedTo0600() throws Exception {
    Path file = tmp.resolve("loose.db");
    Database.open(new DatabaseConfig.Sqlite(file)).close();
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
    Database.open(new DatabaseConfig.Sqlite(file)).close();
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");
  }

  @Test
  void migrate_twoComponentsInOneFile_eachKeepsItsOwnHistory() {
    Path file = tmp.resolve("two.db");
    try (Database db = Database.open(new DatabaseConfig.Sqlite(file))) {
      db.migrate("sample");
      db.migrate("other");
      db.migrate("sample"); // idempotent
      db.withHandle(
          h ->
              h.execute(
                  "INSERT INTO sample_items (id, name, price_millicents) VALUES (1, 'a', 5)"));
    }
    try (Database db = Database.open(new DatabaseConfig.Sqlite(file))) {
      db.migrate("sample");
      int applied =
          db.withHandle(
              h ->
                  h.createQuery("SELECT count(*) FROM flyway_sample WHERE success = 1")
                      .mapTo(Integer.class)
                      .one());
      long price =
          db.withHandle(
              h ->
                  h.createQuery("SELECT price_millicents FROM sample_items WHERE id = 1")
                      .mapTo(Long.class)
                      .one());
      assertThat(applied).isEqualTo(2);
      assertThat(price).isEqualTo(5);
    }
  }

  @Test
  void migrate_unknownComponent_isAMigrationError() {
    try (Database db = TestDatabases.sqlite(tmp)) {
      assertThatThrownBy(() -> db.migrate("nosuchcomponent"))
          .isInstanceOf(StorageException.class)
          .extracting(e -> ((StorageException) e).code())
          .isEqualTo(StorageException.MIGRATION);
    }
  }

  @Test
  void open_fileThatIsNotSqlite_isRefusedAsCorruptNamingThePath() throws Exception {
    Path file = tmp.resolve("notes.db");
    Files.writeString(file, "these are my notes, not a database\n".repeat(200));
    assertThatThrownBy(() -> Database.open(new DatabaseConfig.Sqlite(file)))
        .isInstanceOf(StorageException.class)
        .hasMessageContaining(file.toString())
        .hasMessageContaining("SQLite header")
        .extracting(e -> ((StorageException) e).code())
        .isEqualTo(StorageException.CORRUPT);
  }

  @Test
  void open_sqliteFileWithDamagedPages_isRefusedAsCorrupt() throws Exception {
    Path file = tmp.resolve("damaged.db");
    try (Database db = Database.open(new DatabaseConfig.Sqlite(file))) {
      db.migrate("sample");
      db.withHandle(h -> h.execute("INSERT INTO sample_items (id, name) VALUES (1, 'x')"));
    }
    // Keep the header, destroy the rest of page 1 (the schema catalogue).
    byte[] bytes = Files.readAllBytes(file);
    for (int i = 100; i < Math.min(bytes.length, 4096); i++) {
      bytes[i] = (byte) 0xA5;
    }
    Files.write(file, bytes);
    assertThatThrownBy(() -> Database.open(new DatabaseConfig.Sqlite(file)))
        .isInstanceOf(StorageException.class)
        .hasMessageContaining(file.toString())
        .extracting(e -> ((StorageException) e).code())
        .isEqualTo(StorageException.CORRUPT);
  }

  @Test
  void open_sqliteFileOfAnotherProgram_isRefusedAsForeign() throws Exception {
    Path file = tmp.resolve("other-app.db");
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
        Statement st = c.createStatement()) {
      st.execute("CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT)");
    }
    assertThatThrownBy(() -> Database.open(new DatabaseConfig.Sqlite(file)))
        .isInstanceOf(StorageException.class)
        .hasMessageContaining(file.toString())
        .hasMessageContaining("customers")
        .extracting(e -> ((StorageException) e).code())
        .isEqualTo(StorageException.FOREIGN);
  }

  @Test
  void open_folderInsteadOfFile_isAConfigError() throws Exception {
    Files.createDirectories(tmp.resolve("adir"));
    assertThatThrownBy(() -> Database.open(new DatabaseConfig.Sqlite(tmp.resolve("adir"))))
        .isInstanceOf(StorageException.class)
        .extracting(e -> ((StorageException) e).code())
        .isEqualTo(StorageException.CONFIG);
  }

  @Test
  void open_quotaExceeded_writesFailAsStorageFull() {
    Path file = tmp.resolve("small.db");
    try (Database db = Database.openSqliteWithQuota(new DatabaseConfig.Sqlite(file), 128 * 1024)) {
      db.migrate("sample");
      String blob = "x".repeat(4000);
      assertThatThrownBy(
              () -> {
                for (int i = 0; i < 1000; i++) {
                  int id = i;
                  db.withHandle(
                      h ->
                          h.createUpdate("INSERT INTO sample_items (id, name) VALUES (:id, :n)")
                              .bind("id", id)
                              .bind("n", blob)
                              .execute());
                }
              })
          .isInstanceOf(StorageException.class)
          .extracting(e -> ((StorageException) e).code())
          .isEqualTo(StorageException.FULL);
    }
  }

  @Test
  void parse_postgresUrl_takesSchemaFromCurrentSchema() {
    DatabaseConfig c =
        DatabaseConfig.parse(
            "jdbc:postgresql://db:5432/m?user=u&password=hunter2&currentSchema=shop",
            tmp,
            "vendor.db");
    assertThat(c).isInstanceOf(DatabaseConfig.Postgres.class);
    assertThat(((DatabaseConfig.Postgres) c).schema()).isEqualTo("shop");
    assertThat(c.toString()).doesNotContain("hunter2");
  }

  @Test
  void parse_blankOrRelativeOrFolder_resolvesToSqliteFileInDataDir() throws Exception {
    Files.createDirectories(tmp.resolve("sub"));
    assertThat(DatabaseConfig.parse(null, tmp, "v.db"))
        .isEqualTo(new DatabaseConfig.Sqlite(tmp.resolve("v.db")));
    assertThat(DatabaseConfig.parse("x/y.db", tmp, "v.db"))
        .isEqualTo(new DatabaseConfig.Sqlite(tmp.resolve("x/y.db")));
    assertThat(DatabaseConfig.parse("sub", tmp, "v.db"))
        .isEqualTo(new DatabaseConfig.Sqlite(tmp.resolve("sub/v.db")));
    assertThat(DatabaseConfig.parse("jdbc:sqlite:/abs/z.db", tmp, "v.db"))
        .isEqualTo(new DatabaseConfig.Sqlite(Path.of("/abs/z.db")));
  }

  @Test
  void postgresConfig_badSchemaName_isRejected() {
    assertThatThrownBy(
            () -> new DatabaseConfig.Postgres("jdbc:postgresql://h/d", "Robert'); DROP", 4))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("schema must match");
  }

  @Test
  void postgres_migrateTwoComponents_thenReopen() {
    DatabaseConfig.Postgres config = TestDatabases.postgresConfig(4);
    try (Database db = Database.open(config)) {
      assertThat(db.dialect()).isEqualTo(Dialect.POSTGRESQL);
      db.migrate("sample");
      db.migrate("other");
      db.withHandle(h -> h.execute("INSERT INTO sample_items (id, name) VALUES (1, 'a')"));
    }
    try (Database db = Database.open(config)) {
      db.migrate("sample");
      String name =
          db.withHandle(
              h -> h.createQuery("SELECT name FROM sample_items").mapTo(String.class).one());
      assertThat(name).isEqualTo("a");
    }
  }

  @Test
  void postgres_schemaOfAnotherProgram_isRefusedAsForeign() throws Exception {
    DatabaseConfig.Postgres config = TestDatabases.postgresConfig(2);
    try (Connection c = TestDatabases.adminConnection();
        Statement st = c.createStatement()) {
      st.execute("CREATE SCHEMA " + config.schema());
      st.execute("CREATE TABLE " + config.schema() + ".invoices (id bigint primary key)");
    }
    assertThatThrownBy(() -> Database.open(config))
        .isInstanceOf(StorageException.class)
        .hasMessageContaining("invoices")
        .extracting(e -> ((StorageException) e).code())
        .isEqualTo(StorageException.FOREIGN);
  }

  @Test
  void postgres_unreachableServer_isUnavailableWithoutPassword() {
    DatabaseConfig.Postgres config =
        new DatabaseConfig.Postgres(
            "jdbc:postgresql://127.0.0.1:1/none?user=u&password=hunter2&connectTimeout=2", "x", 1);
    assertThatThrownBy(() -> Database.open(config))
        .isInstanceOf(StorageException.class)
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("hunter2"))
        .extracting(e -> ((StorageException) e).code())
        .isEqualTo(StorageException.UNAVAILABLE);
  }

  @Test
  void closed_database_translatesFailuresAsClosed() {
    Database db = TestDatabases.sqlite(tmp);
    db.close();
    assertThat(db.isClosed()).isTrue();
    assertThat(db.translate(new java.sql.SQLException("x")).code())
        .isEqualTo(StorageException.CLOSED);
    assertThat("done".getBytes(StandardCharsets.US_ASCII)).hasSize(4);
  }

  @Test
  void heldHandle_runsTransactions_andFailuresAreTranslated() {
    Database db = TestDatabases.sqlite(tmp);
    try (org.jdbi.v3.core.Handle h = db.openHandle()) {
      db.inTransaction(h, t -> t.execute("CREATE TABLE held (id INTEGER PRIMARY KEY)"));
      long rows =
          db.inTransaction(
              h,
              t -> {
                t.execute("INSERT INTO held (id) VALUES (1)");
                return t.createQuery("SELECT COUNT(*) FROM held").mapTo(Long.class).one();
              });
      assertThat(rows).isEqualTo(1L);
      assertThatThrownBy(
              () -> db.inTransaction(h, t -> t.execute("INSERT INTO held (id) VALUES (1)")))
          .isInstanceOf(StorageException.class);
    }
    db.close();
    assertThatThrownBy(db::openHandle)
        .isInstanceOf(StorageException.class)
        .extracting(e -> ((StorageException) e).code())
        .isEqualTo(StorageException.CLOSED);
  }
}
