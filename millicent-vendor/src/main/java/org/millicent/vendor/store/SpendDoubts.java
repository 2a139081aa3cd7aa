package org.millicent.vendor.store;

import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.millicent.purchase.SpentSet;
import org.millicent.scrip.ScripId;
import org.millicent.storage.Database;
import org.millicent.storage.StorageException;
import org.slf4j.Logger;

/**
 * The spends in doubt of an {@link EmbeddedSpendRecorder}: marked scrip whose spend failed while
 * the table could not say whether it was recorded. Such a scrip is refused while the table cannot
 * tell, and decided by reading it as soon as it can, at the next claim or spend of that scrip or at
 * the next expiry sweep.
 *
 * <p>Thread-safe.
 */
final class SpendDoubts {
  private static final Logger log = DurableSpendRecorder.log;

  private final Database db;
  private final SpentSet spent;
  private final Set<ScripId> doubts = ConcurrentHashMap.newKeySet();

  SpendDoubts(Database db, SpentSet spent) {
    this.db = db;
    this.spent = spent;
  }

  /**
   * Unmarks a released claim unless the table shows its spend committed. When the table cannot be
   * read the mark stays and the scrip is in doubt until the table can tell.
   */
  void unmarkUnlessCommitted(ScripId id) {
    boolean committed;
    try {
      committed = isCommitted(id);
    } catch (StorageException e) {
      doubts.add(id);
      log.warn(
          "Scrip {} stays refused until the spent list can be read: cannot tell whether its spend"
              + " was recorded: {}",
          id,
          e.getMessage());
      return;
    }
    if (!committed) {
      spent.unmark(id);
    }
  }

  private boolean isCommitted(ScripId id) {
    return db.withConnection(
        c -> StoredSpend.select(c, id).filter(StoredSpend::committed).isPresent());
  }

  /**
   * Marks {@code id}; when it is marked already but in doubt, asks the table first and marks it
   * again if its failed spend was not recorded after all. The caller has registered its claim or
   * spend of {@code id}, so no identical request decides meanwhile.
   *
   * @return whether the caller's mark was made
   * @throws StorageException when the scrip is in doubt and the table still cannot be read (the
   *     scrip stays in doubt)
   */
  boolean markOrResolve(ScripId id, Instant expiresAt) {
    return spent.mark(id, expiresAt) || (resolve(id) && spent.mark(id, expiresAt));
  }

  /**
   * Decides a scrip in doubt by reading the table: unmarked when its spend was not recorded, kept
   * when it was. Of concurrent callers one decides; the others find it marked, as before.
   *
   * @return whether the scrip was unmarked
   * @throws StorageException when the table cannot be read (the scrip stays in doubt)
   */
  private boolean resolve(ScripId id) {
    if (!doubts.remove(id)) {
      return false;
    }
    boolean committed;
    try {
      committed = isCommitted(id);
    } catch (RuntimeException e) {
      doubts.add(id);
      throw e;
    }
    if (committed) {
      log.info("Scrip {} stays spent: its spend reached the table before its batch failed", id);
      return false;
    }
    spent.unmark(id);
    log.info("Scrip {} is spendable again: its failed spend was not recorded", id);
    return true;
  }

  /** Decides every scrip in doubt while the table can be read. */
  void resolveAll() {
    for (ScripId id : List.copyOf(doubts)) {
      try {
        var unused = resolve(id);
      } catch (StorageException e) {
        log.warn("{} scrip still in doubt: {}", doubts.size(), e.getMessage());
        return;
      }
    }
  }
}
