package org.millicent.broker.issuing;

import java.security.SecureRandom;
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
    db.inTransaction(
        h -> {
          var rows =
              h.createQuery("SELECT kind, key_id, state, secret FROM broker_keys")
                  .map(
                      (rs, ctx) ->
                          new Object[] {
                            rs.getString(1), rs.getInt(2), rs.getString(3), rs.getBytes(4)
                          })
                  .list();
          if (rows.isEmpty()) {
            SecretBytes scrip = SecretBytes.random(MasterSecrets.SECRET_LENGTH, random);
            SecretBytes customer = SecretBytes.random(CustomerSecrets.SECRET_LENGTH, random);
            insert(h, "scrip", SCRIP_KEY_ID, KeyState.PRIMARY.name(), scrip);
            insert(h, "customer", CUSTOMER_SELECTOR, KeyState.ACTIVE.name(), customer);
            rows =
                java.util.List.of(
                    new Object[] {
                      "scrip", SCRIP_KEY_ID, KeyState.PRIMARY.name(), scrip.toByteArray()
                    },
                    new Object[] {
                      "customer", CUSTOMER_SELECTOR, KeyState.ACTIVE.name(), customer.toByteArray()
                    });
          }
          for (Object[] r : rows) {
            SecretBytes s = SecretBytes.copyOf((byte[]) r[3]);
            if ("scrip".equals(r[0])) {
              masters.put((Integer) r[1], s, KeyState.valueOf((String) r[2]));
            } else {
              customers.put((Integer) r[1], s);
            }
          }
          return null;
        });
    return new BrokerKeys(masters, customers);
  }

  private static void insert(
      org.jdbi.v3.core.Handle h, String kind, int keyId, String state, SecretBytes secret) {
    h.createUpdate("INSERT INTO broker_keys (kind, key_id, state, secret) VALUES (?, ?, ?, ?)")
        .bind(0, kind)
        .bind(1, keyId)
        .bind(2, state)
        .bind(3, secret.toByteArray())
        .execute();
  }

  /** Names the key ids only. */
  @Override
  public String toString() {
    return "BrokerKeys[" + masters + ", " + customers + "]";
  }
}
