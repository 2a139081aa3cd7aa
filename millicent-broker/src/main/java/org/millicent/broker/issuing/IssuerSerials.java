package org.millicent.broker.issuing;

import java.util.concurrent.atomic.AtomicLongArray;
import org.millicent.broker.store.IssuedScripStore;
import org.millicent.purchase.SerialAllocator;
import org.millicent.scrip.ScripId;
import org.millicent.storage.Database;

/**
 * Serials for scrip one issuer (the broker, or a vendor it is licensed for) mints, continuing after
 * the highest serial recorded in {@code issued_scrip} for each key id. Scrip is handed out only
 * after its row is durable, so a serial lost to a crash or a failed batch was never seen by anyone
 * and may be issued again: no serial of scrip anyone holds is ever issued twice. Thread-safe and
 * lock-free.
 */
public final class IssuerSerials implements SerialAllocator {
  private final Database db;
  private final String issuer;
  private volatile AtomicLongArray next;

  /** Serials of {@code issuer}, loaded from the issued scrip in {@code db}. */
  public IssuerSerials(Database db, String issuer) {
    this.db = db;
    this.issuer = issuer;
    reload();
  }

  /** Reloads from the durable records (after a failed batch). */
  public void reload() {
    AtomicLongArray n = new AtomicLongArray(256);
    new IssuedScripStore(db).maxSerials(issuer).forEach((k, max) -> n.set(k, max + 1));
    next = n;
  }

  @Override
  public long next(int keyId) {
    long s = next.getAndIncrement(keyId);
    if (s > ScripId.MAX_SERIAL) {
      throw new IllegalStateException(
          "serials of key id " + keyId + " of " + issuer + " are exhausted");
    }
    return s;
  }
}
