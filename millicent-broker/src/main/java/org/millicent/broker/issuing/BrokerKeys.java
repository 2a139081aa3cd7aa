package org.millicent.broker.issuing;

import java.security.SecureRandom;
import java.time.InstantSource;
import java.util.List;
import org.millicent.broker.store.BrokerKeyStore;
import org.millicent.keys.CustomerSecrets;
import org.millicent.keys.MasterSecrets;
import org.millicent.storage.Database;
import org.millicent.storage.KeyVectorStore;

/**
 * The broker's own key vectors, as a vendor of broker scrip: master scrip secrets (key id {@value
 * #SCRIP_KEY_ID} primary) and customer master secrets (selector {@value #CUSTOMER_SELECTOR}), from
 * which every broker customer secret is derived. Generated on first start and kept in {@code
 * broker_master_secrets} and {@code broker_customer_secrets}; never logged. Thread-safe (the
 * vectors are).
 *
 * @param masters the master scrip secrets of broker scrip
 * @param customers the customer master secrets of broker customers
 */
public record BrokerKeys(MasterSecrets masters, CustomerSecrets customers) {
  /** The key id broker scrip is minted under. */
  public static final int SCRIP_KEY_ID = 0;

  /** The customer-ID selector of broker customers: their IDs are {@code 0x01xxxxxxxxxxxxxx}. */
  public static final int CUSTOMER_SELECTOR = 1;

  /**
   * Loads the broker's keys from {@code db}, generating and storing on first use what is missing.
   * Race-free when several brokers start at once on one database: every one loads the same keys.
   */
  public static BrokerKeys loadOrCreate(Database db, InstantSource clock, SecureRandom random) {
    KeyVectorStore store = BrokerKeyStore.open(db, clock);
    store.createMissing(SCRIP_KEY_ID, List.of(CUSTOMER_SELECTOR), random);
    return new BrokerKeys(store.loadMasterSecrets(), store.loadCustomerSecrets());
  }

  /** Names the key ids only. */
  @Override
  public String toString() {
    return "BrokerKeys[" + masters + ", " + customers + "]";
  }
}
