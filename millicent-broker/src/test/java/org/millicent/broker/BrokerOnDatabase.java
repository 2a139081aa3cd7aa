package org.millicent.broker;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.millicent.storage.Database;
import org.millicent.storage.testing.TestDatabases;
import org.millicent.testing.MutableClock;

/**
 * What the broker's tests that drive a {@link Broker} directly share: a database (SQLite in a
 * temporary folder here, PostgreSQL where a {@code *PostgresIT} subclass overrides {@link
 * #openDatabase}), a clock the test moves, and a broker opened on them before each test and closed
 * after it. Not thread-safe, as a test is not.
 */
abstract class BrokerOnDatabase {
  @TempDir Path dir;

  final SecureRandom random = new SecureRandom();
  final MutableClock clock;
  Database db;
  Broker broker;

  BrokerOnDatabase(Instant start) {
    this.clock = new MutableClock(start);
  }

  /** The configuration the broker opens with (and reopens with). */
  abstract BrokerConfig config();

  /** The database the broker runs on: SQLite here, PostgreSQL in the subclasses' ITs. */
  Database openDatabase() {
    return TestDatabases.sqlite(dir);
  }

  @BeforeEach
  final void openBroker() {
    db = openDatabase();
    broker = Broker.open(config(), db, clock, random, new SimpleMeterRegistry());
  }

  @AfterEach
  final void closeBroker() {
    broker.close();
    db.close();
  }

  /** Closes the broker and opens it again on the same database, as a restart does. */
  final void reopen() {
    reopen(config());
  }

  /** As {@link #reopen()}, with another configuration. */
  final void reopen(BrokerConfig config) {
    broker.close();
    broker = Broker.open(config, db, clock, random, new SimpleMeterRegistry());
  }

  /**
   * Broker "bob" with aggregating accounts (a credit limit of 100 000 millicents), selling vendor
   * "venetia"'s scrip under a licence at a 5% (500 basis points) discount.
   */
  static BrokerConfig sellingVenetia() {
    return BrokerConfig.defaults()
        .withBrokerId("bob")
        .withAccounts(BrokerConfig.AGGREGATING, 100_000)
        .withVendor(
            VendorConfig.licensed("venetia", URI.create("http://127.0.0.1:1"), "t", null, 500));
  }
}
