package org.millicent.broker.store;

import java.time.InstantSource;
import org.millicent.storage.Database;
import org.millicent.storage.KeyVectorStore;
import org.millicent.storage.KeyVectorTables;

/**
 * Where the broker keeps its own key vectors: {@code broker_master_secrets} and {@code
 * broker_customer_secrets}, shaped like the vendor's tables and kept by the same {@link
 * KeyVectorStore} (a broker is a vendor of broker scrip).
 */
public final class BrokerKeyStore {
  /** The broker's key vector tables and secrets lock. */
  public static final KeyVectorTables TABLES =
      new KeyVectorTables(
          "broker_master_secrets", "broker_customer_secrets", "millicent-broker-secrets");

  private BrokerKeyStore() {}

  /** The key vectors of {@code db}, whose {@code broker} migrations have run. */
  public static KeyVectorStore open(Database db, InstantSource clock) {
    return new KeyVectorStore(db, TABLES, clock);
  }
}
