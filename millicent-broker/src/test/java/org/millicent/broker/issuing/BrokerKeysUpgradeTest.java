package org.millicent.broker.issuing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.InstantSource;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.millicent.broker.Broker;
import org.millicent.keys.CustomerSecrets;
import org.millicent.keys.KeyState;
import org.millicent.keys.MasterSecrets;
import org.millicent.keys.SecretBytes;
import org.millicent.storage.Database;
import org.millicent.storage.DatabaseConfig;

/**
 * A broker database made before version 4 kept its keys in {@code broker_keys}; upgraded, it keeps
 * every one of them in the vendor-shaped tables, so scrip and customer secrets issued before still
 * verify, and no new key is generated in their place.
 */
class BrokerKeysUpgradeTest {
  private static final InstantSource CLOCK =
      InstantSource.fixed(Instant.ofEpochSecond(1_800_000_000));

  @Test
  void keysStoredByVersion3_surviveTheUpgrade(@TempDir Path dir) {
    SecureRandom random = new SecureRandom();
    Path file = dir.resolve("broker.db");
    Flyway.configure(Database.class.getClassLoader())
        .dataSource("jdbc:sqlite:" + file, null, null)
        .table("flyway_" + Broker.COMPONENT)
        .locations("classpath:db-migrations/broker/sqlite")
        .baselineOnMigrate(true)
        .baselineVersion("0")
        .target("3")
        .load()
        .migrate();
    byte[] master = new byte[MasterSecrets.SECRET_LENGTH];
    byte[] customer = new byte[CustomerSecrets.SECRET_LENGTH];
    random.nextBytes(master);
    random.nextBytes(customer);
    try (Database db = Database.open(DatabaseConfig.sqliteIn(dir, "broker.db"))) {
      db.withHandle(
          h -> {
            h.execute(
                "INSERT INTO broker_keys (kind, key_id, state, secret) VALUES (?, ?, ?, ?)",
                "scrip",
                BrokerKeys.SCRIP_KEY_ID,
                "PRIMARY",
                master);
            return h.execute(
                "INSERT INTO broker_keys (kind, key_id, state, secret) VALUES (?, ?, ?, ?)",
                "customer",
                BrokerKeys.CUSTOMER_SELECTOR,
                "ACTIVE",
                customer);
          });

      db.migrate(Broker.COMPONENT);
      BrokerKeys keys = BrokerKeys.loadOrCreate(db, CLOCK, random);

      assertThat(keys.masters().keys())
          .containsExactly(new MasterSecrets.KeyInfo(BrokerKeys.SCRIP_KEY_ID, KeyState.PRIMARY));
      assertThat(keys.masters().secret(BrokerKeys.SCRIP_KEY_ID).sameAs(SecretBytes.copyOf(master)))
          .isTrue();
      assertThat(keys.customers().selectors()).containsExactly(BrokerKeys.CUSTOMER_SELECTOR);
      assertThat(
              keys.customers()
                  .secret(BrokerKeys.CUSTOMER_SELECTOR)
                  .sameAs(SecretBytes.copyOf(customer)))
          .isTrue();
      // A second start loads the same keys: nothing is generated over them.
      BrokerKeys again = BrokerKeys.loadOrCreate(db, CLOCK, random);
      assertThat(again.masters().secret(0).sameAs(keys.masters().secret(0))).isTrue();
      long stored =
          db.withHandle(
              h ->
                  h.createQuery("SELECT count(*) FROM broker_master_secrets")
                      .mapTo(Long.class)
                      .one());
      assertThat(stored).isEqualTo(1L);
    }
  }

  @Test
  void aFreshBroker_generatesItsKeysOnce(@TempDir Path dir) {
    try (Database db = Database.open(DatabaseConfig.sqliteIn(dir, "broker.db"))) {
      db.migrate(Broker.COMPONENT);
      BrokerKeys first = BrokerKeys.loadOrCreate(db, CLOCK, new SecureRandom());
      BrokerKeys second = BrokerKeys.loadOrCreate(db, CLOCK, new SecureRandom());
      assertThat(first.masters().keys())
          .containsExactly(new MasterSecrets.KeyInfo(BrokerKeys.SCRIP_KEY_ID, KeyState.PRIMARY));
      assertThat(second.masters().secret(0).sameAs(first.masters().secret(0))).isTrue();
      assertThat(second.customers().secret(1).sameAs(first.customers().secret(1))).isTrue();
    }
  }
}
