package org.millicent.broker.store;

import java.util.List;
import java.util.function.Supplier;
import org.millicent.storage.Database;

/**
 * The {@code broker_keys} table: the broker's own key vectors. Goes through {@link Database}'s
 * error translation. Thread-safe.
 */
public final class BrokerKeyStore {
  private final Database db;

  /** A store over {@code db}, whose {@code broker} migrations have run. */
  public BrokerKeyStore(Database db) {
    this.db = db;
  }

  /**
   * The stored keys; when there are none, stores those {@code fresh} makes and returns them, in the
   * same transaction.
   */
  public List<StoredKey> loadOrCreate(Supplier<List<StoredKey>> fresh) {
    return db.inTransaction(
        h -> {
          List<StoredKey> rows =
              h.createQuery("SELECT kind, key_id, state, secret FROM broker_keys")
                  .map(
                      (rs, ctx) ->
                          new StoredKey(
                              rs.getString(1),
                              rs.getInt(2),
                              rs.getString(3),
                              org.millicent.keys.SecretBytes.copyOf(rs.getBytes(4))))
                  .list();
          if (!rows.isEmpty()) {
            return rows;
          }
          List<StoredKey> made = fresh.get();
          for (StoredKey k : made) {
            h.createUpdate(
                    "INSERT INTO broker_keys (kind, key_id, state, secret) VALUES (?, ?, ?, ?)")
                .bind(0, k.kind())
                .bind(1, k.keyId())
                .bind(2, k.state())
                .bind(3, k.secret().toByteArray())
                .execute();
          }
          return made;
        });
  }
}
