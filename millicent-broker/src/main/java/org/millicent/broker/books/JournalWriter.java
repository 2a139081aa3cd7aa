package org.millicent.broker.books;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jdbi.v3.core.Handle;
import org.jspecify.annotations.Nullable;
import org.millicent.broker.store.LedgerAccountRow;
import org.millicent.broker.store.LedgerStore;
import org.millicent.failure.Causes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the books' writer writes: each batch as one journal entry (the entries' postings summed per
 * account, zero sums dropped; a memo naming what the batch holds; the issued scrip and every
 * entry's own rows), in one transaction on a connection of its own. Used by the writer thread only
 * (then by {@link Books#close} once that has ended).
 */
final class JournalWriter {
  private static final Logger log = LoggerFactory.getLogger(JournalWriter.class);

  private final LedgerStore store;
  private @Nullable Handle connection;

  JournalWriter(LedgerStore store) {
    this.store = store;
  }

  /**
   * Writes {@code batch} as journal entry {@code entryId}, creating {@code created} first.
   *
   * @throws RuntimeException when the database fails (nothing of the batch is written)
   */
  void write(long entryId, long at, List<Entry> batch, List<LedgerAccount> created) {
    Handle writer = connection();
    Map<Long, Long> sums = new LinkedHashMap<>(); // by account id
    Map<String, Integer> memos = new TreeMap<>();
    List<IssuedScrip> issued = new ArrayList<>();
    for (Entry p : batch) {
      for (Map.Entry<LedgerAccount, Long> e : p.postings.entrySet()) {
        sums.merge(e.getKey().id(), e.getValue(), Math::addExact);
      }
      if (!p.postings.isEmpty()) {
        memos.merge(p.memo, 1, Integer::sum);
      }
      issued.addAll(p.issued);
    }
    sums.values().removeIf(v -> v == 0);
    store.writeBatch(
        writer,
        created.stream()
            .map(a -> new LedgerAccountRow(a.id(), a.name(), a.kind().name(), 0))
            .toList(),
        entryId,
        at,
        memo(memos),
        sums,
        issued,
        h -> {
          for (Entry p : batch) {
            for (Entry.Write w : p.writes) {
              w.apply(h, entryId);
            }
          }
        });
  }

  private static String memo(Map<String, Integer> memos) {
    if (memos.isEmpty()) {
      return "records";
    }
    StringBuilder sb = new StringBuilder();
    for (Map.Entry<String, Integer> m : memos.entrySet()) {
      if (!sb.isEmpty()) {
        sb.append(", ");
      }
      sb.append(m.getKey());
      if (m.getValue() > 1) {
        sb.append(" x").append(m.getValue());
      }
    }
    return sb.toString();
  }

  /**
   * The writer's own connection, kept across batches so that its page cache stays warm (SQLite: 64
   * MiB), and opened again after a failure.
   */
  private Handle connection() {
    Handle c = connection;
    if (c == null || broken(c)) {
      closeConnection();
      c = store.openWriter();
      connection = c;
    }
    return c;
  }

  private static boolean broken(Handle c) {
    try {
      return c.getConnection().isClosed();
    } catch (java.sql.SQLException e) {
      return true;
    }
  }

  void closeConnection() {
    if (connection != null) {
      try {
        connection.close();
      } catch (RuntimeException e) {
        log.warn("books: closing the writer's connection failed: {}", Causes.describe(e));
      }
      connection = null;
    }
  }
}
