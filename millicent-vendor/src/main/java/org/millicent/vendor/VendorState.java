package org.millicent.vendor;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import org.millicent.keys.CustomerSecrets;
import org.millicent.keys.MasterSecrets;
import org.millicent.purchase.ExchangeService;
import org.millicent.purchase.PurchaseService;
import org.millicent.storage.Database;
import org.millicent.storage.DatabaseConfig;
import org.millicent.vendor.config.VendorConfig;
import org.millicent.vendor.store.DurableSerialAllocator;
import org.millicent.vendor.store.DurableSpendRecorder;
import org.millicent.vendor.store.GatewayStore;
import org.millicent.vendor.store.VendorKeyStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The vendor's durable state, opened from its database: secrets (created at the first start, by
 * whichever replica commits first), the spent list, serials, the gateway's tables, licences and
 * their received records, and the purchase and exchange services over them. Thread-safe; {@link
 * #close()} flushes and closes everything.
 */
final class VendorState implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(VendorState.class);

  /** The key id of the vendor's first primary master secret. */
  static final int FIRST_KEY_ID = 0;

  final Database database;
  final GatewayStore store;
  final VendorKeyStore keyStore;
  final MasterSecrets masters;
  final CustomerSecrets customers;
  final DurableSpendRecorder spends;
  final DurableSerialAllocator serials;
  final PurchaseService purchases;
  final ExchangeService exchanges;
  final Licences licences;
  final ReceivedRecords received;

  /** The clock of expiry, licence and sale times (the system clock outside tests). */
  final InstantSource clock;

  private VendorState(VendorConfig config, Database db, SecureRandom random, InstantSource clock) {
    this.database = db;
    this.clock = clock;
    this.store = new GatewayStore(db);
    // Every start raises the mark: rotations take expires_by from the longest lifetime ever used.
    store.raiseScripLifetimeMark(config.scripLifetime());
    this.keyStore = VendorKeyStore.open(db, clock);
    // Replicas may start together on an empty database: create what is missing (the first to
    // commit wins), then use what the database holds, never the keys generated here.
    if (keyStore
        .vectors()
        .createMissing(
            FIRST_KEY_ID,
            List.of(VendorConfig.BROKER_CUSTOMER_SELECTOR, VendorConfig.OWN_CUSTOMER_SELECTOR),
            random)) {
      LOG.info(
          "generated the master scrip secret of vendor {} (key id {})",
          config.vendor(),
          FIRST_KEY_ID);
    }
    this.masters = keyStore.vectors().loadMasterSecrets();
    this.customers = keyStore.vectors().loadCustomerSecrets();
    if (masters.primaryKeyId().isEmpty()) {
      throw new IllegalStateException(
          "the stored master secrets of vendor " + config.vendor() + " have no primary key");
    }
    this.spends = DurableSpendRecorder.open(db);
    this.serials = DurableSerialAllocator.open(db);
    this.purchases =
        new PurchaseService(
            config.vendor(),
            masters,
            customers,
            spends,
            serials,
            clock,
            config.scripLifetime(),
            config.variants(),
            config.retryWait());
    this.exchanges = new ExchangeService(purchases, store.exchanges(), config.scripLifetime());
    this.licences = new Licences(config, store, keyStore, masters, customers, random, clock);
    this.received = new ReceivedRecords(store, licences, clock);
  }

  /**
   * Opens the state in the configured database ({@code vendor.db} in {@code dataDir} by default).
   *
   * @throws org.millicent.storage.StorageException when the database cannot be opened or migrated
   */
  static VendorState open(
      VendorConfig config, Path dataDir, SecureRandom random, InstantSource clock) {
    Database db =
        Database.open(DatabaseConfig.parse(config.database(), dataDir, VendorServer.DATABASE_FILE));
    try {
      return new VendorState(config, db, random, clock);
    } catch (RuntimeException e) {
      db.close();
      throw e;
    }
  }

  /**
   * Checks that the database answers and still holds the vendor's tables, as every payment needs:
   * {@code /health} is not "up" while payments would get 503.
   *
   * @throws org.millicent.storage.StorageException when it does not
   */
  void checkStorage() {
    database.withHandle(
        h -> h.createQuery("SELECT count(*) FROM vendor_master_secrets").mapTo(Long.class).one());
  }

  /** Spent IDs held in memory (0 in shared mode, where the database decides). */
  long spentListSize() {
    return spends.spentSet().markedCount();
  }

  /**
   * Forgets spends and exchange records of scrip that expired before {@code now}, after recording
   * any licensed spend whose received record is missing.
   */
  void sweep(Instant now) {
    received.recordMissing(); // first: the spent list is the record of a lost one
    spends.dropExpiredBefore(now);
    store.exchanges().dropExpiredBefore(now);
  }

  @Override
  public void close() {
    try {
      received.close();
      spends.close();
    } finally {
      try {
        serials.close();
      } finally {
        database.close();
      }
    }
  }
}
