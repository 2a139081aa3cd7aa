package org.millicent.storage;

import java.time.Instant;
import java.time.InstantSource;
import java.util.Arrays;
import java.util.List;
import org.jdbi.v3.core.Handle;
import org.millicent.keys.CustomerSecrets;
import org.millicent.keys.KeyState;
import org.millicent.keys.MasterSecrets;
import org.millicent.keys.SecretBytes;

/**
 * The one-row writes to a persisted key vector, in the caller's transaction, and the secrets lock
 * every write of the vector takes first: what {@link KeyVectorStore} does for a vector that other
 * processes change too (replicas issuing and revoking licences, rotating and retiring keys), where
 * a whole-vector save could drop their rows. Each write changes only its own row (a rotation also
 * demotes the primary), so a process that has not seen another's change cannot undo it. Secret
 * bytes are wiped once bound and never put in an exception message. Thread-safe: it holds only the
 * table names, the clock and the database.
 */
final class KeyVectorRows {
  private final Database db;
  private final InstantSource clock;
  private final String masters;
  private final String customers;
  private final String lockName;

  KeyVectorRows(Database db, KeyVectorTables tables, InstantSource clock) {
    this.db = db;
    this.clock = clock;
    this.masters = tables.masters();
    this.customers = tables.customers();
    this.lockName = tables.lock();
  }

  /**
   * Takes the secrets lock for the rest of the transaction on PostgreSQL, where writers of one
   * schema do not otherwise exclude each other. On SQLite the first write of a transaction takes
   * the database's single write lock, which serves.
   */
  void lock(Handle h) {
    if (db.dialect() == Dialect.POSTGRESQL) {
      h.createQuery(
              "SELECT 1 FROM (SELECT pg_advisory_xact_lock(hashtextextended("
                  + "'"
                  + lockName
                  + "/' || current_schema(), 0))) AS locked")
          .mapTo(Integer.class)
          .one();
    }
  }

  /** See {@link KeyVectorStore#insertMasterSecret}. */
  void insertMasterSecret(Handle h, int keyId, SecretBytes secret, KeyState state) {
    checkId("key id", keyId);
    checkLength(secret, MasterSecrets.SECRET_LENGTH);
    lock(h);
    byte[] bytes = secret.toByteArray();
    try {
      h.createUpdate(
              "INSERT INTO "
                  + masters
                  + " (key_id, secret, state, updated_at, created_at)"
                  + " VALUES (:k, :s, :st, :t, :t)")
          .bind("k", keyId)
          .bind("s", bytes)
          .bind("st", state.name())
          .bind("t", clock.instant().getEpochSecond())
          .execute();
    } finally {
      Arrays.fill(bytes, (byte) 0);
    }
  }

  /** See {@link KeyVectorStore#setMasterState}. */
  boolean setMasterState(Handle h, int keyId, KeyState state) {
    checkId("key id", keyId);
    if (state == KeyState.PRIMARY) {
      throw new IllegalArgumentException(
          "setMasterState does not make key id " + keyId + " primary");
    }
    lock(h);
    return h.createUpdate(
                "UPDATE "
                    + masters
                    + " SET state = :st, updated_at = :t,"
                    + " retired_at = CASE WHEN :st = 'RETIRED' THEN coalesce(retired_at, :t)"
                    + " ELSE retired_at END WHERE key_id = :k AND state <> 'PRIMARY'")
            .bind("st", state.name())
            .bind("t", clock.instant().getEpochSecond())
            .bind("k", keyId)
            .execute()
        == 1;
  }

  /** See {@link KeyVectorStore#rotate}. */
  int rotate(Handle h, int newKeyId, SecretBytes secret, Instant oldExpiresBy) {
    checkId("key id", newKeyId);
    checkLength(secret, MasterSecrets.SECRET_LENGTH);
    lock(h);
    long now = clock.instant().getEpochSecond();
    List<Integer> primaries =
        h.createQuery(
                "UPDATE "
                    + masters
                    + " SET state = 'ACTIVE', updated_at = :t,"
                    + " demoted_at = :t, expires_by = :e WHERE state = 'PRIMARY' RETURNING key_id")
            .bind("t", now)
            .bind("e", oldExpiresBy.getEpochSecond())
            .mapTo(Integer.class)
            .list();
    if (primaries.size() != 1) {
      throw new StorageException(
          StorageException.CORRUPT,
          db.describe() + ": expected one primary master secret, found key ids " + primaries);
    }
    insertMasterSecret(h, newKeyId, secret, KeyState.PRIMARY);
    return primaries.getFirst();
  }

  /** See {@link KeyVectorStore#insertCustomerSecret}. */
  void insertCustomerSecret(Handle h, int selector, SecretBytes secret) {
    checkId("selector", selector);
    checkLength(secret, CustomerSecrets.SECRET_LENGTH);
    lock(h);
    byte[] bytes = secret.toByteArray();
    try {
      h.createUpdate(
              "INSERT INTO "
                  + customers
                  + " (selector, secret, updated_at)"
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
}
