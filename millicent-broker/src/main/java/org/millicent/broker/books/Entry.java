package org.millicent.broker.books;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Handle;

/**
 * A unit of change to the books: balanced postings plus the rows that record why (issued scrip,
 * customers, payments...). Built by one thread, then {@linkplain Books#submit submitted} under the
 * decision lock; the writer makes it durable with others in one database transaction. Not
 * thread-safe.
 */
public final class Entry {
  /** A database write that belongs to an entry; runs inside the batch's transaction. */
  @FunctionalInterface
  public interface Write {
    /**
     * Applies the write.
     *
     * @param h the batch's transaction
     * @param entryId the id of the journal entry the batch's postings are recorded under
     */
    void apply(Handle h, long entryId);
  }

  final String memo;
  final Map<LedgerAccount, Long> postings = new LinkedHashMap<>();
  final List<IssuedScrip> issued = new ArrayList<>();
  final List<Write> writes = new ArrayList<>();

  /** A new entry; {@code memo} names its kind, e.g. {@code sale}. */
  public Entry(String memo) {
    this.memo = memo;
  }

  /**
   * Posts {@code amount} to {@code account}: positive debits, negative credits.
   *
   * @throws ArithmeticException when the amounts posted to one account overflow
   */
  public Entry post(LedgerAccount account, long amount) {
    postings.merge(account, amount, Math::addExact);
    return this;
  }

  /** Records a piece of issued scrip. */
  public Entry issue(IssuedScrip row) {
    issued.add(row);
    return this;
  }

  /** Adds a database write. */
  public Entry write(Write w) {
    writes.add(w);
    return this;
  }

  /** Whether the postings sum to zero. */
  public boolean balanced() {
    long sum = 0;
    for (long v : postings.values()) {
      sum = Math.addExact(sum, v);
    }
    return sum == 0;
  }

  /** The memo. */
  public String memo() {
    return memo;
  }
}
