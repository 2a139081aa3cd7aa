package org.millicent.storage.vendor;

import java.security.SecureRandom;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import org.jdbi.v3.core.Handle;
import org.millicent.keys.CustomerSecrets;
import org.millicent.keys.KeyState;
import org.millicent.keys.MasterSecrets;
import org.millicent.keys.SecretBytes;
import org.millicent.storage.Database;
import org.millicent.storage.Dialect;
import org.millicent.storage.StorageException;

/**
 * The vendor's secrets on disk: the master scrip secret vector (key id, secret, state) and the
 * customer master secret vector (selector, secret). A save replaces the stored vector in one
 * transaction, for a database no other process changes; where other processes change the vectors
 * too (replicas issuing and revoking licences), {@link #insertMasterSecret}, {@link
 * #setMasterState} and {@link #insertCustomerSecret} change one row in the caller's transaction.
 * Rows live in a file readable only by the service (0600) or a PostgreSQL schema; secret bytes are
 * never logged, printed or put in an exception message.
 *
 * <p>Several processes may share one database (vendor replicas on PostgreSQL). The secrets a vendor
 * needs at its first start are created by {@link #createMissing}, which inserts only what is absent
 * in one transaction, so when replicas start together on an empty database one of them creates the
 * secrets and every replica then loads the same ones. Every write takes the secrets lock first (a
 * transaction-scoped advisory lock on PostgreSQL; SQLite has one writer at a time anyway), so
 * whole-vector replacements do not interleave. Thread-safe.
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
          lock(h);
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
          lock(h);
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

  /**
   * Creates what a vendor needs at its first start, keeping whatever is already stored: a random
   * primary master secret under {@code firstKeyId} when no master secret is stored at all, and a
   * random customer master secret for each of {@code selectors} that has none. Race-free: when
   * several processes call it at once on one database, the first to commit wins and the others
   * change nothing, so every caller that then loads the secrets gets the winner's.
   *
   * @return whether this call created the master secret (false when one was stored already)
   * @throws StorageException when the database fails (nothing is changed)
   */
  public boolean createMissing(int firstKeyId, Collection<Integer> selectors, SecureRandom random) {
    long now = clock.instant().getEpochSecond();
    List<byte[]> fresh = new ArrayList<>();
    try {
      return db.inTransaction(
          h -> {
            lock(h);
            // The first statement writes (or takes the lock), so on SQLite the transaction holds
            // the write lock before it reads: the table cannot be filled by another process
            // between the check and the insert.
            byte[] master = random(random, fresh);
            boolean created =
                h.createUpdate(
                            "INSERT INTO vendor_master_secrets (key_id, secret, state, updated_at)"
                                + " SELECT :k, :s, 'PRIMARY', :t"
                                + " WHERE NOT EXISTS (SELECT 1 FROM vendor_master_secrets)")
                        .bind("k", firstKeyId)
                        .bind("s", master)
                        .bind("t", now)
                        .execute()
                    == 1;
            for (int sel : selectors) {
              h.createUpdate(
                      "INSERT INTO vendor_customer_secrets (selector, secret, updated_at)"
                          + " VALUES (:sel, :s, :t) ON CONFLICT (selector) DO NOTHING")
                  .bind("sel", sel)
                  .bind("s", random(random, fresh))
                  .bind("t", now)
                  .execute();
            }
            return created;
          });
    } finally {
      fresh.forEach(b -> Arrays.fill(b, (byte) 0));
    }
  }

  private static byte[] random(SecureRandom random, List<byte[]> wipeLater) {
    byte[] b = new byte[MasterSecrets.SECRET_LENGTH];
    random.nextBytes(b);
    wipeLater.add(b);
    return b;
  }

  /**
   * Takes the secrets lock for the rest of the transaction on PostgreSQL, where writers of one
   * schema do not otherwise exclude each other. On SQLite the first write of a transaction takes
   * the database's single write lock, which serves.
   */
  private void lock(Handle h) {
    if (db.dialect() == Dialect.POSTGRESQL) {
      h.createQuery(
              "SELECT 1 FROM (SELECT pg_advisory_xact_lock(hashtextextended("
                  + "'millicent-vendor-secrets/' || current_schema(), 0))) AS locked")
          .mapTo(Integer.class)
          .one();
    }
  }

  /**
   * Adds one master secret in the caller's transaction {@code h} on this store's database, leaving
   * every other stored key as it is: the write for a vector that other processes change too (vendor
   * replicas issuing licences), where a whole-vector save could drop their keys.
   *
   * @throws IllegalArgumentException when the key id is out of range or the secret is not 32 bytes
   * @throws org.jdbi.v3.core.JdbiException when the key id is stored already or the database fails
   *     (the caller's transaction then rolls back)
   */
  public void insertMasterSecret(Handle h, int keyId, SecretBytes secret, KeyState state) {
    checkId("key id", keyId);
    checkLength(secret, MasterSecrets.SECRET_LENGTH);
    lock(h);
    byte[] bytes = secret.toByteArray();
    try {
      h.createUpdate(
              "INSERT INTO vendor_master_secrets (key_id, secret, state, updated_at)"
                  + " VALUES (:k, :s, :st, :t)")
          .bind("k", keyId)
          .bind("s", bytes)
          .bind("st", state.name())
          .bind("t", clock.instant().getEpochSecond())
          .execute();
    } finally {
      Arrays.fill(bytes, (byte) 0);
    }
  }

  /**
   * Sets the state of one stored master secret in the caller's transaction {@code h}, leaving every
   * other stored key as it is (see {@link #insertMasterSecret}). Never makes a key primary: that
   * would demote another key, a whole-vector change.
   *
   * @return whether the key id is stored and not primary (a primary is left as it is)
   * @throws IllegalArgumentException when {@code state} is {@code PRIMARY} or the key id is out of
   *     range
   * @throws org.jdbi.v3.core.JdbiException when the database fails
   */
  public boolean setMasterState(Handle h, int keyId, KeyState state) {
    checkId("key id", keyId);
    if (state == KeyState.PRIMARY) {
      throw new IllegalArgumentException(
          "setMasterState does not make key id " + keyId + " primary");
    }
    lock(h);
    return h.createUpdate(
                "UPDATE vendor_master_secrets SET state = :st, updated_at = :t"
                    + " WHERE key_id = :k AND state <> 'PRIMARY'")
            .bind("st", state.name())
            .bind("t", clock.instant().getEpochSecond())
            .bind("k", keyId)
            .execute()
        == 1;
  }

  /**
   * Adds one customer master secret in the caller's transaction {@code h}, leaving every other
   * stored selector as it is (see {@link #insertMasterSecret}).
   *
   * @throws IllegalArgumentException when the selector is out of range or the secret is not 32
   *     bytes
   * @throws org.jdbi.v3.core.JdbiException when the selector is stored already or the database
   *     fails
   */
  public void insertCustomerSecret(Handle h, int selector, SecretBytes secret) {
    checkId("selector", selector);
    checkLength(secret, CustomerSecrets.SECRET_LENGTH);
    lock(h);
    byte[] bytes = secret.toByteArray();
    try {
      h.createUpdate(
              "INSERT INTO vendor_customer_secrets (selector, secret, updated_at)"
                  + " VALUES (:sel, :s, :t)")
          .bind("sel", selector)
          .bind("s", bytes)
          .bind("t", clock.instant().getEpochSecond())
          .execute();
    } finally {
      Arrays.fill(bytes, (byte) 0);
    }
  }

  private static void checkId(String what, int id) {
    if (id < 0 || id > 255) {
      throw new IllegalArgumentException(what + " must be 0..255, was " + id);
    }
  }

  private static void checkLength(SecretBytes secret, int length) {
    if (secret.length() != length) {
      throw new IllegalArgumentException(
          "secret must be " + length + " bytes, was " + secret.length());
    }
  }

  /** Whether any master secret is stored (a fresh vendor has none). */
  public boolean hasMasterSecrets() {
    return db.withHandle(
        h ->
            h.createQuery("SELECT count(*) FROM vendor_master_secrets").mapTo(Long.class).one()
                > 0);
  }
}
