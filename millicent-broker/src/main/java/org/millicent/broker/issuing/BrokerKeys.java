package org.millicent.broker.issuing;

import java.security.SecureRandom;
import java.util.List;
import org.millicent.broker.store.BrokerKeyStore;
import org.millicent.broker.store.StoredKey;
import org.millicent.keys.CustomerSecrets;
import org.millicent.keys.KeyState;
import org.millicent.keys.MasterSecrets;
import org.millicent.keys.SecretBytes;
import org.millicent.storage.Database;

/**
 * The broker's own key vectors, as a vendor of broker scrip: master scrip secrets (key id {@value
 * #SCRIP_KEY_ID} primary) and customer master secrets (selector {@value #CUSTOMER_SELECTOR}), from
 * which every broker customer secret is derived. Generated on first start and kept in {@code
 * broker_keys}; never logged. Thread-safe (the vectors are).
 *
 * @param masters the master scrip secrets of broker scrip
 * @param customers the customer master secrets of broker customers
 */
public record BrokerKeys(MasterSecrets masters, CustomerSecrets customers) {
  /** The key id broker scrip is minted under. */
  public static final int SCRIP_KEY_ID = 0;

  /** The customer-ID selector of broker customers: their IDs are {@code 0x01xxxxxxxxxxxxxx}. */
  public static final int CUSTOMER_SELECTOR = 1;

  /** Loads the broker's keys from {@code db}, generating and storing them on first use. */
  public static BrokerKeys loadOrCreate(Database db, SecureRandom random) {
    MasterSecrets masters = new MasterSecrets();
    CustomerSecrets customers = new CustomerSecrets();
    List<StoredKey> rows =
        new BrokerKeyStore(db)
            .loadOrCreate(
                () ->
                    List.of(
                        new StoredKey(
                            "scrip",
                            SCRIP_KEY_ID,
                            KeyState.PRIMARY.name(),
                            SecretBytes.random(MasterSecrets.SECRET_LENGTH, random)),
                        new StoredKey(
                            "customer",
                            CUSTOMER_SELECTOR,
                            KeyState.ACTIVE.name(),
                            SecretBytes.random(CustomerSecrets.SECRET_LENGTH, random))));
    for (StoredKey r : rows) {
      if ("scrip".equals(r.kind())) {
        masters.put(r.keyId(), r.secret(), KeyState.valueOf(r.state()));
      } else {
        customers.put(r.keyId(), r.secret());
      }
    }
    return new BrokerKeys(masters, customers);
  }

  /** Names the key ids only. */
  @Override
  public String toString() {
    return "BrokerKeys[" + masters + ", " + customers + "]";
  }
}
