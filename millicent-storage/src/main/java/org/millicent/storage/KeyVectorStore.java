package org.millicent.storage;

import java.security.SecureRandom;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.PreparedBatch;
import org.millicent.keys.CustomerSecrets;
import org.millicent.keys.KeyState;
import org.millicent.keys.MasterSecrets;
import org.millicent.keys.SecretBytes;

/**
 * A persisted key vector pair: the master scrip secret vector (key id, secret, state, dates) and
 * the customer master secret vector (selector, secret), in two tables whose names a service gives
 * ({@link KeyVectorTables}). A vendor keeps its own secrets here, and so does a broker, a vendor of
 * broker scrip. A save replaces the stored vector in one transaction, for a database no other
 * process changes; where other processes change the vectors too (replicas issuing and revoking
 * licences), {@link #insertMasterSecret}, {@link #setMasterState} and {@link #insertCustomerSecret}
 * change one row in the caller's transaction ({@link KeyVectorRows}). Rows live in a file readable
 * only by the service (0600) or a PostgreSQL schema; secret bytes are never logged, printed or put
 * in an exception message.
 *
 * <p>Several processes may share one database (replicas on PostgreSQL). The secrets a service needs
 * at its first start are created by {@link #createMissing}, which inserts only what is absent in
 * one transaction, so when replicas start together on an empty database one of them creates the
 * secrets and every replica then loads the same ones. Every write takes the secrets lock first (a
 * transaction-scoped advisory lock on PostgreSQL; SQLite has one writer at a time anyway), so
 * whole-vector replacements do not interleave. The service's migrations create the tables, in the
 * shape of the vendor's ({@code docs/STORAGE.md}). Thread-safe.
 */
public final class KeyVectorStore {
  private final Database db;
  private final InstantSource clock;
  private final String masters;
  private final String customers;
  private final KeyVectorRows rows;

  /** A store over {@code tables} of {@code db}, whose migrations made them. */
  public KeyVectorStore(Database db, KeyVectorTables tables, InstantSource clock) {
    this.db = db;
    this.clock = clock;
    this.masters = tables.masters();
    this.customers = tables.customers();
    this.rows = new KeyVectorRows(db, tables, clock);
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
          rows.lock(h);
          h.execute("DELETE FROM " + masters);
          List<byte[]> copies = new ArrayList<>();
          var batch =
              h.prepareBatch(
                  "INSERT INTO "
                      + masters
                      + " (key_id, secret, state, updated_at,"
                      + " created_at) VALUES (:k, :s, :st, :t, :t)");
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
          executeThenWipe(batch, copies);
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
                h.createQuery("SELECT key_id, secret, state FROM " + masters + " ORDER BY key_id")
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
          rows.lock(h);
          h.execute("DELETE FROM " + customers);
          List<byte[]> copies = new ArrayList<>();
          var batch =
              h.prepareBatch(
                  "INSERT INTO "
                      + customers
                      + " (selector, secret, updated_at)"
                      + " VALUES (:sel, :s, :t)");
          for (int sel : secrets.selectors()) {
            byte[] secret = secrets.secret(sel).toByteArray();
            batch.bind("sel", sel).bind("s", secret).bind("t", now).add();
            copies.add(secret);
          }
          executeThenWipe(batch, copies);
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
                h.createQuery("SELECT selector, secret FROM " + customers + " ORDER BY selector")
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
   * Creates what a service needs at its first start, keeping whatever is already stored: a random
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
            rows.lock(h);
            // The first statement writes (or takes the lock), so on SQLite the transaction holds
            // the write lock before it reads: the table cannot be filled by another process
            // between the check and the insert.
            byte[] master = random(random, fresh);
            boolean created =
                h.createUpdate(
                            "INSERT INTO "
                                + masters
                                + " (key_id, secret, state, updated_at,"
                                + " created_at) SELECT :k, :s, 'PRIMARY', :t, :t"
                                + " WHERE NOT EXISTS (SELECT 1 FROM "
                                + masters
                                + ")")
                        .bind("k", firstKeyId)
                        .bind("s", master)
                        .bind("t", now)
                        .execute()
                    == 1;
            for (int sel : selectors) {
              h.createUpdate(
                      "INSERT INTO "
                          + customers
                          + " (selector, secret, updated_at)"
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
   * Adds one master secret in the caller's transaction {@code h} on this store's database, leaving
   * every other stored key as it is: the write for a vector that other processes change too (vendor
   * replicas issuing licences), where a whole-vector save could drop their keys.
   *
   * @throws IllegalArgumentException when the key id is out of range or the secret is not 32 bytes
   * @throws org.jdbi.v3.core.JdbiException when the key id is stored already or the database fails
   *     (the caller's transaction then rolls back)
   */
  public void insertMasterSecret(Handle h, int keyId, SecretBytes secret, KeyState state) {
    rows.insertMasterSecret(h, keyId, secret, state);
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
    return rows.setMasterState(h, keyId, state);
  }

  /**
   * Rotates in the caller's transaction {@code h}: {@code newKeyId} gets {@code secret} and becomes
   * primary, and the current primary becomes active (it stops minting and keeps validating), with
   * its demotion time and {@code oldExpiresBy}, the instant by which all scrip minted under it has
   * expired. Every other stored key is left as it is (see {@link #insertMasterSecret}).
   *
   * @return the key id that was primary
   * @throws IllegalArgumentException when the key id is out of range or the secret is not 32 bytes
   * @throws StorageException {@code storage-corrupt} when no key is primary (nothing is changed
   *     once the caller's transaction rolls back)
   * @throws org.jdbi.v3.core.JdbiException when the new key id is stored already or the database
   *     fails (the caller's transaction then rolls back)
   */
  public int rotate(Handle h, int newKeyId, SecretBytes secret, Instant oldExpiresBy) {
    return rows.rotate(h, newKeyId, secret, oldExpiresBy);
  }

  /**
   * Every stored master secret's key id, state and dates (no secret), by key id, as {@code h} sees
   * them. Dates unknown for a key stored before they were kept are null.
   */
  public List<MasterKeyRecord> describeMasterSecrets(Handle h) {
    return MasterKeyRecord.list(h, masters);
  }

  /** {@link #describeMasterSecrets(Handle)} in a transaction of its own. */
  public List<MasterKeyRecord> describeMasterSecrets() {
    return db.withHandle(this::describeMasterSecrets);
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
    rows.insertCustomerSecret(h, selector, secret);
  }

  /** Whether any master secret is stored (a fresh vendor has none). */
  public boolean hasMasterSecrets() {
    return db.withHandle(
        h -> h.createQuery("SELECT count(*) FROM " + masters).mapTo(Long.class).one() > 0);
  }

  /**
   * Runs the batch, then wipes the secret copies bound to it, written or not: Jdbi binds by
   * reference, so they are wiped only once the batch is done with them.
   */
  private static void executeThenWipe(PreparedBatch batch, List<byte[]> copies) {
    try {
      if (batch.size() > 0) {
        batch.execute();
      }
    } finally {
      copies.forEach(b -> Arrays.fill(b, (byte) 0));
    }
  }
}
