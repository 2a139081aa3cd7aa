package org.millicent.storage.vendor;

import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.millicent.keys.CustomerSecrets;
import org.millicent.keys.KeyState;
import org.millicent.keys.MasterSecrets;
import org.millicent.keys.SecretBytes;
import org.millicent.storage.Database;
import org.millicent.storage.StorageException;

/**
 * The vendor's secrets on disk: the master scrip secret vector (key id, secret, state) and the
 * customer master secret vector (selector, secret). A save replaces the stored vector in one
 * transaction. Rows live in a file readable only by the service (0600) or a PostgreSQL schema;
 * secret bytes are never logged, printed or put in an exception message. Thread-safe.
 */
public final class VendorKeyStore {
  private final Database db;
  private final InstantSource clock;

  private VendorKeyStore(Database db, InstantSource clock) {
    this.db = db;
    this.clock = clock;
  }

  /**
   * A key store over the vendor tables of {@code db} (migrated if needed).
   *
   * @throws StorageException when the database fails
   */
  public static VendorKeyStore open(Database db) {
    VendorSchema.migrate(db);
    return new VendorKeyStore(db, InstantSource.system());
  }

  /**
   * Replaces the stored master secrets with {@code secrets}: every key with its state.
   *
   * @throws StorageException when the database fails (nothing is changed)
   */
  public void saveMasterSecrets(MasterSecrets secrets) {
    long now = clock.instant().getEpochSecond();
    db.inTransaction(
        h -> {
          h.execute("DELETE FROM vendor_master_secrets");
          List<byte[]> copies = new ArrayList<>();
          var batch =
              h.prepareBatch(
                  "INSERT INTO vendor_master_secrets (key_id, secret, state, updated_at)"
                      + " VALUES (:k, :s, :st, :t)");
          for (MasterSecrets.KeyInfo k : secrets.keys()) {
            byte[] secret = secrets.secret(k.keyId()).toByteArray();
            batch
                .bind("k", k.keyId())
                .bind("s", secret)
                .bind("st", k.state().name())
                .bind("t", now)
                .add();
            copies.add(secret);
          }
          try {
            if (batch.size() > 0) {
              batch.execute();
            }
          } finally {
            // Jdbi binds by reference: wipe the copies only once they are written.
            copies.forEach(b -> Arrays.fill(b, (byte) 0));
          }
          return null;
        });
  }

  /**
   * The stored master secrets; an empty vector when none were saved.
   *
   * @throws StorageException {@code storage-corrupt} when a stored row is invalid
   */
  public MasterSecrets loadMasterSecrets() {
    record Row(int keyId, byte[] secret, String state) {}
    List<Row> rows =
        db.withHandle(
            h ->
                h.createQuery(
                        "SELECT key_id, secret, state FROM vendor_master_secrets ORDER BY key_id")
                    .map((rs, ctx) -> new Row(rs.getInt(1), rs.getBytes(2), rs.getString(3)))
                    .list());
    MasterSecrets m = new MasterSecrets();
    List<Row> primaries = new ArrayList<>();
    try {
      for (Row r : rows) {
        KeyState state = KeyState.valueOf(r.state());
        if (state == KeyState.PRIMARY) {
          primaries.add(r); // last, so that putting it does not demote a later one
        } else {
          m.put(r.keyId(), SecretBytes.copyOf(r.secret()), state);
        }
      }
      if (primaries.size() > 1) {
        throw new StorageException(
            StorageException.CORRUPT,
            db.describe()
                + ": expected at most one primary master secret, found key ids "
                + primaries.stream().map(Row::keyId).toList());
      }
      for (Row r : primaries) {
        m.put(r.keyId(), SecretBytes.copyOf(r.secret()), KeyState.PRIMARY);
      }
    } catch (IllegalArgumentException e) {
      throw new StorageException(
          StorageException.CORRUPT,
          db.describe() + ": a stored master secret is invalid (" + e.getMessage() + ")");
    } finally {
      rows.forEach(r -> Arrays.fill(r.secret(), (byte) 0));
    }
    return m;
  }

  /**
   * Replaces the stored customer master secrets with {@code secrets}.
   *
   * @throws StorageException when the database fails (nothing is changed)
   */
  public void saveCustomerSecrets(CustomerSecrets secrets) {
    long now = clock.instant().getEpochSecond();
    db.inTransaction(
        h -> {
          h.execute("DELETE FROM vendor_customer_secrets");
          List<byte[]> copies = new ArrayList<>();
          var batch =
              h.prepareBatch(
                  "INSERT INTO vendor_customer_secrets (selector, secret, updated_at)"
                      + " VALUES (:sel, :s, :t)");
          for (int sel : secrets.selectors()) {
            byte[] secret = secrets.secret(sel).toByteArray();
            batch.bind("sel", sel).bind("s", secret).bind("t", now).add();
            copies.add(secret);
          }
          try {
            if (batch.size() > 0) {
              batch.execute();
            }
          } finally {
            copies.forEach(b -> Arrays.fill(b, (byte) 0));
          }
          return null;
        });
  }

  /**
   * The stored customer master secrets; an empty vector when none were saved.
   *
   * @throws StorageException {@code storage-corrupt} when a stored row is invalid
   */
  public CustomerSecrets loadCustomerSecrets() {
    record Row(int selector, byte[] secret) {}
    List<Row> rows =
        db.withHandle(
            h ->
                h.createQuery(
                        "SELECT selector, secret FROM vendor_customer_secrets ORDER BY selector")
                    .map((rs, ctx) -> new Row(rs.getInt(1), rs.getBytes(2)))
                    .list());
    CustomerSecrets c = new CustomerSecrets();
    try {
      for (Row r : rows) {
        c.put(r.selector(), SecretBytes.copyOf(r.secret()));
      }
    } catch (IllegalArgumentException e) {
      throw new StorageException(
          StorageException.CORRUPT,
          db.describe() + ": a stored customer secret is invalid (" + e.getMessage() + ")");
    } finally {
      rows.forEach(r -> Arrays.fill(r.secret(), (byte) 0));
    }
    return c;
  }

  /** Whether any master secret is stored (a fresh vendor has none). */
  public boolean hasMasterSecrets() {
    return db.withHandle(
        h ->
            h.createQuery("SELECT count(*) FROM vendor_master_secrets").mapTo(Long.class).one()
                > 0);
  }
}
