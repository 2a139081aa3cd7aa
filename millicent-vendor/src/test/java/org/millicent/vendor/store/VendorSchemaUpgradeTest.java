package org.millicent.vendor.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.millicent.storage.Database;
import org.millicent.storage.DatabaseConfig;
import org.millicent.storage.Dialect;
import org.millicent.storage.testing.TestDatabases;
import org.millicent.vendor.config.VendorConfig;

/**
 * A database made before the gateway's tables joined the vendor's migrations chain (two chains:
 * {@code flyway_vendor} and {@code flyway_gateway}) opens with the one chain, keeps its data and
 * ends with the gateway's history retired. The old database is made by the old migrations
 * themselves: the vendor chain up to its last version then, and the gateway chain kept as {@value
 * VendorSchema#LEGACY_GATEWAY}.
 */
class VendorSchemaUpgradeTest {

  abstract static class Contract {
    abstract DatabaseConfig config();

    private Dialect dialect() {
      return config() instanceof DatabaseConfig.Postgres ? Dialect.POSTGRESQL : Dialect.SQLITE;
    }

    /** The last vendor version before the gateway tables joined it. */
    private String lastOldVendorVersion() {
      return dialect() == Dialect.SQLITE ? "4" : "3";
    }

    /** The vendor chain's last version (since the gateway tables joined: the activity table). */
    private String newVendorVersion() {
      return dialect() == Dialect.SQLITE ? "6" : "5";
    }

    private Flyway oldChain(String component, String location, String target) {
      FluentConfiguration fc =
          Flyway.configure(getClass().getClassLoader())
              .table("flyway_" + component)
              .locations("classpath:" + location + "/" + dialect().folderName())
              .baselineOnMigrate(true)
              .baselineVersion("0")
              .target(target);
      return switch (config()) {
        case DatabaseConfig.Postgres p ->
            fc.dataSource(p.jdbcUrl(), null, null)
                .schemas(p.schema())
                .defaultSchema(p.schema())
                .createSchemas(false)
                .load();
        case DatabaseConfig.Sqlite s -> fc.dataSource("jdbc:sqlite:" + s.file(), null, null).load();
      };
    }

    /** Makes the database as the old code did, with the gateway chain up to {@code gateway}. */
    private void makeOldDatabase(String gateway) {
      // Opening creates the file or schema (and checks it); the old chains then run as they did.
      Database.open(config()).close();
      oldChain("vendor", "db-migrations/vendor", lastOldVendorVersion()).migrate();
      oldChain("gateway", "db-migrations/legacy/gateway", gateway).migrate();
      try (Database db = Database.open(config())) {
        db.withHandle(
            h -> {
              h.execute("INSERT INTO vendor_serials (key_id, reserved_to) VALUES (9, 65536)");
              h.execute(
                  "INSERT INTO gateway_counters (name, value) VALUES ('licences', 3),"
                      + " ('own_customers', 7)");
              h.execute(
                  "INSERT INTO gateway_licences (licence_id, broker, customer_selector,"
                      + " discount_bps, issued_at) VALUES ('lic-1', 'bob', 5, 100, 1000)");
              h.execute(
                  "INSERT INTO gateway_licence_keys (key_id, licence_id) VALUES (9, 'lic-1')");
              h.execute(
                  "INSERT INTO gateway_received (broker, licence_id, scrip_id, value_millicents,"
                      + " received_at) VALUES ('bob', 'lic-1', 42, 500, 1000)");
              return null;
            });
      }
    }

    private static boolean tableExists(Database db, String table) {
      String sql =
          db.dialect() == Dialect.SQLITE
              ? "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = :t"
              : "SELECT count(*) FROM information_schema.tables"
                  + " WHERE table_schema = current_schema() AND table_name = :t";
      return db.<Long, RuntimeException>withHandle(
              h -> h.createQuery(sql).bind("t", table).mapTo(Long.class).one())
          > 0;
    }

    private void assertUpgraded(Database db, GatewayStore store) {
      assertThat(tableExists(db, "flyway_gateway")).as("gateway history retired").isFalse();
      assertThat(
              db.<String, RuntimeException>withHandle(
                  h ->
                      h.createQuery(
                              "SELECT version FROM flyway_vendor WHERE success"
                                  + " AND version IS NOT NULL ORDER BY installed_rank DESC")
                          .mapTo(String.class)
                          .first()))
          .isEqualTo(newVendorVersion());
      // Every row the old database held is still there.
      List<GatewayStore.Licence> licences = store.licences();
      assertThat(licences).hasSize(1);
      assertThat(licences.getFirst().licenceId()).isEqualTo("lic-1");
      assertThat(licences.getFirst().keyIds()).containsExactly(9);
      assertThat(licences.getFirst().discountBps()).isEqualTo(100);
      assertThat(store.keysVersion()).isEqualTo(3);
      assertThat(store.newOwnCustomerId())
          .isEqualTo(((long) VendorConfig.OWN_CUSTOMER_SELECTOR << 56) | 8);
      SettlementStore.Report report = store.settlement().receivedReport("bob");
      assertThat(report.received())
          .extracting(SettlementStore.Received::scripId)
          .containsExactly(42L);
      assertThat(
              db.<Long, RuntimeException>withHandle(
                  h ->
                      h.createQuery("SELECT reserved_to FROM vendor_serials WHERE key_id = 9")
                          .mapTo(Long.class)
                          .one()))
          .isEqualTo(65536L);
      // The old chain's last version is in place: the origin column and the settings table.
      store.recordLicenceOrigin("lic-1", "https://broker.example");
      assertThat(store.licenceOrigin("lic-1")).contains("https://broker.example");
      assertThat(store.raiseScripLifetimeMark(Duration.ofHours(2))).isEqualTo(Duration.ofHours(2));
      // New records continue the old sequence.
      store.settlement().recordMissingReceived(licences.getFirst(), Instant.ofEpochSecond(2000));
      store
          .settlement()
          .recordReceived(List.of(new ReceivedWriter.Pending("bob", "lic-1", 43, 600, 2000)));
      assertThat(store.settlement().receivedReport("bob").received())
          .extracting(SettlementStore.Received::seq)
          .containsExactly(
              report.received().getFirst().seq(), report.received().getFirst().seq() + 1);
    }

    @Test
    void databaseWithBothChainsEndsOnTheVendorChainWithItsData() {
      makeOldDatabase("2");
      try (Database db = Database.open(config())) {
        assertThat(tableExists(db, "flyway_gateway")).isTrue();
        assertUpgraded(db, new GatewayStore(db));
      }
      // Opening again changes nothing and still finds everything.
      try (Database db = Database.open(config())) {
        GatewayStore store = new GatewayStore(db);
        assertThat(store.licences()).hasSize(1);
        assertThat(store.licenceOrigin("lic-1")).contains("https://broker.example");
        assertThat(tableExists(db, "flyway_gateway")).isFalse();
      }
    }

    @Test
    void gatewayChainBehindItsLastVersionIsCompletedFirst() {
      makeOldDatabase("1");
      try (Database db = Database.open(config())) {
        assertThat(tableExists(db, "gateway_settings")).isFalse();
        assertUpgraded(db, new GatewayStore(db));
      }
    }

    @Test
    void storesOpenedBeforeTheGatewayRetireItToo() {
      makeOldDatabase("2");
      try (Database db = Database.open(config())) {
        // The spent list's store migrates first in a vendor's start.
        VendorSchema.migrate(db);
        assertThat(tableExists(db, "flyway_gateway")).isFalse();
        assertUpgraded(db, new GatewayStore(db));
      }
    }
  }

  @Nested
  class Sqlite extends Contract {
    @TempDir Path tmp;

    @Override
    DatabaseConfig config() {
      return DatabaseConfig.sqliteIn(tmp, "vendor.db");
    }
  }

  @Nested
  class Postgres extends Contract {
    private DatabaseConfig.Postgres config;

    @Override
    DatabaseConfig config() {
      if (config == null) {
        config = TestDatabases.postgresConfig(4);
      }
      return config;
    }
  }
}
