package org.millicent.broker.books;

import java.time.InstantSource;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.millicent.broker.BrokerError;
import org.millicent.broker.BrokerException;
import org.millicent.broker.store.LedgerAccountRow;
import org.millicent.broker.store.LedgerSnapshot;
import org.millicent.broker.store.LedgerStore;
import org.millicent.storage.Database;
import org.millicent.storage.GroupCommitter;
import org.millicent.storage.GroupCommitter.Outcome;
import org.millicent.storage.StorageException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The broker's double-entry books with group commit (docs/BROKER.md, "Books").
 *
 * <p>Design: every decision that changes money (a sale within a credit limit, a settlement paid
 * once) is taken under one decision lock against the in-memory view of the books, which includes
 * entries submitted but not yet durable; the decision then {@linkplain #submit submits} an {@link
 * Entry}. One writer thread (the storage toolkit's {@link GroupCommitter}) takes the submitted
 * entries and writes them in one database transaction per batch: the batch's postings, aggregated
 * per account, become one balanced journal entry, and each entry's rows (issued scrip, customers,
 * payments...) are written with it. Callers wait for their batch outside the lock, so one fsync
 * serves many sales. If a batch fails, every entry not yet durable fails, and the in-memory view is
 * rebuilt from the database (components register {@linkplain #onReload reloaders}), so the books
 * are as if those entries never happened: the entries submitted before the rebuild carry its
 * previous generation and fail when the writer reaches them. One broker process owns a database.
 *
 * <p>Thread-safe.
 */
public final class Books implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Books.class);

  /** Most entries written in one database transaction. */
  public static final int MAX_BATCH = 4096;

  /** An entry as submitted in {@code generation} (see {@link #fail}). */
  private record Pending(Entry entry, List<LedgerAccount> newAccounts, long generation) {}

  private final Database db;
  private final LedgerStore store;
  private final InstantSource clock;
  private final ReentrantLock lock = new ReentrantLock();
  private final Map<String, LedgerAccount> accounts = new HashMap<>();
  private final List<LedgerAccount> uncommittedAccounts = new ArrayList<>();
  private final Map<String, Long> sequences = new HashMap<>();
  private final List<Runnable> reloaders = new CopyOnWriteArrayList<>();
  private final GroupCommitter<Pending, Void> writer;
  private final JournalWriter journal; // the writer thread's
  private long nextAccountId;
  private long nextEntryId;

  /**
   * Bumped (under the decision lock) by every rebuild after a failed batch; entries submitted
   * before it fail with {@link #discarded}.
   */
  private final AtomicLong generation = new AtomicLong();

  private volatile @Nullable BrokerException discarded;
  private volatile boolean closing;
  private volatile @Nullable String lastFailure;

  private Books(Database db, InstantSource clock) {
    this.db = db;
    this.store = new LedgerStore(db);
    this.journal = new JournalWriter(store);
    this.clock = clock;
    load();
    this.writer =
        GroupCommitter.start(
            "broker-books-writer", 1, MAX_BATCH, false, this::write, db::translate);
  }

  /**
   * Opens the books in {@code db} (whose {@code broker} migrations must have run) and starts the
   * writer.
   */
  public static Books open(Database db, InstantSource clock) {
    return new Books(db, clock);
  }

  /** The database. */
  public Database database() {
    return db;
  }

  /**
   * Whether the database answers with the broker's tables (a broker table is read, not {@code
   * SELECT 1}: a store that lost its tables answers {@code SELECT 1}).
   *
   * @throws org.millicent.storage.StorageException when it does not answer
   */
  public boolean databaseReachable() {
    return store.reachable();
  }

  /** The clock. */
  public InstantSource clock() {
    return clock;
  }

  private void load() {
    accounts.clear();
    uncommittedAccounts.clear();
    sequences.clear();
    LedgerSnapshot snapshot = store.load();
    for (LedgerAccountRow r : snapshot.accounts()) {
      accounts.put(
          r.name(),
          new LedgerAccount(r.id(), r.name(), AccountKind.valueOf(r.kind()), r.balance()));
    }
    nextAccountId = snapshot.nextAccountId();
    nextEntryId = snapshot.nextEntryId();
  }

  /** Runs {@code decision} under the decision lock. */
  public <T> T decide(Supplier<T> decision) {
    lock.lock();
    try {
      return decision.get();
    } finally {
      lock.unlock();
    }
  }

  /** Runs {@code decision} under the decision lock. */
  public void decide(Runnable decision) {
    lock.lock();
    try {
      decision.run();
    } finally {
      lock.unlock();
    }
  }

  private void requireLock() {
    if (!lock.isHeldByCurrentThread()) {
      throw new IllegalStateException("the books' decision lock must be held");
    }
  }

  /**
   * The account named {@code name}, created (with balance 0) if missing. Call under the decision
   * lock; do not keep the result across a reload.
   *
   * @throws IllegalStateException when it exists with another kind
   */
  public LedgerAccount account(String name, AccountKind kind) {
    requireLock();
    LedgerAccount a = accounts.get(name);
    if (a == null) {
      a = new LedgerAccount(nextAccountId++, name, kind, 0);
      accounts.put(name, a);
      uncommittedAccounts.add(a);
    } else if (a.kind() != kind) {
      throw new IllegalStateException(
          "ledger account " + name + " is " + a.kind() + ", expected " + kind);
    }
    return a;
  }

  /** The account named {@code name}, if it exists. Call under the decision lock. */
  public @Nullable LedgerAccount existing(String name) {
    requireLock();
    return accounts.get(name);
  }

  /** The next id of {@code table}'s {@code id} column. Call under the decision lock. */
  public long nextId(String table) {
    requireLock();
    Long next = sequences.get(table);
    if (next == null) {
      next = store.nextId(table);
    }
    sequences.put(table, next + 1);
    return next;
  }

  /**
   * Applies {@code entry}'s postings to the in-memory view and queues it for the writer. Call under
   * the decision lock, then wait on the result with {@link #await} after releasing it.
   *
   * @throws IllegalStateException when the postings do not balance
   * @throws BrokerException {@code bad-amount} when a balance would overflow (nothing is applied)
   */
  public CompletableFuture<Void> submit(Entry entry) {
    requireLock();
    if (closing) {
      throw new BrokerException(BrokerError.STORAGE_UNAVAILABLE, "the books are closing");
    }
    if (!entry.balanced()) {
      throw new IllegalStateException("entry " + entry.memo() + " does not balance");
    }
    List<Map.Entry<LedgerAccount, Long>> applied = new ArrayList<>();
    try {
      for (Map.Entry<LedgerAccount, Long> p : entry.postings.entrySet()) {
        p.getKey().add(p.getValue());
        applied.add(p);
      }
    } catch (ArithmeticException e) {
      for (Map.Entry<LedgerAccount, Long> p : applied) {
        p.getKey().add(-p.getValue());
      }
      throw new BrokerException(
          BrokerError.BAD_AMOUNT, "the amount would overflow a balance of the books", e);
    }
    Pending pending = new Pending(entry, List.copyOf(uncommittedAccounts), generation.get());
    uncommittedAccounts.clear();
    return writer.submit(pending);
  }

  /**
   * Waits until a submitted entry is durable. Call without holding the decision lock.
   *
   * @throws BrokerException {@code storage-unavailable} when it could not be written (the books are
   *     then as if it had never been submitted)
   */
  public void await(CompletableFuture<Void> done) {
    if (lock.isHeldByCurrentThread()) {
      throw new IllegalStateException("waiting for the writer while holding the decision lock");
    }
    try {
      done.join();
    } catch (CompletionException e) {
      Throwable c = e.getCause();
      if (c instanceof BrokerException be) {
        throw be;
      }
      throw new BrokerException(
          BrokerError.STORAGE_UNAVAILABLE,
          "the books could not be written: " + StorageException.clientDetail(c),
          c);
    }
  }

  /** Submits {@code entry} under the lock and waits until it is durable. */
  public void submitAndAwait(Entry entry) {
    await(decide(() -> submit(entry)));
  }

  /** Waits until everything submitted so far is durable. */
  public void flush() {
    submitAndAwait(new Entry("flush"));
  }

  /** Registers a component's reload, run under the decision lock after a failed batch. */
  public void onReload(Runnable reload) {
    reloaders.add(reload);
  }

  /**
   * The last storage failure as a client may read it (its code, no path or SQL), or null when the
   * last batch succeeded.
   */
  public @Nullable String lastFailure() {
    return lastFailure;
  }

  /**
   * Writes one batch (on the writer thread): the entries of the current generation as one
   * transaction; those submitted before the last rebuild fail as it did.
   */
  private List<Outcome<Void>> write(List<Pending> batch) {
    long current = generation.get();
    List<Pending> live = new ArrayList<>(batch.size());
    List<Outcome<Void>> outcomes = new ArrayList<>(batch.size());
    for (Pending p : batch) {
      if (p.generation() == current) {
        live.add(p);
        outcomes.add(Outcome.ok(null));
      } else {
        // An older generation exists only after fail() set discarded, before it bumped the
        // generation this batch read.
        outcomes.add(
            Outcome.failed(Objects.requireNonNull(discarded, "a past generation has its failure")));
      }
    }
    if (live.isEmpty()) {
      return outcomes;
    }
    try {
      long entryId = nextEntryId;
      writeBatch(live, entryId);
      nextEntryId = entryId + 1;
      lastFailure = null;
      return outcomes;
    } catch (RuntimeException e) {
      fail(live, e);
      throw e;
    }
  }

  /**
   * After a failed batch: rebuilds the in-memory view from the database and starts a new
   * generation, so the entries still queued (applied to the old view) fail too. The failed batch's
   * own callers get the translated failure from the {@link GroupCommitter}.
   */
  private void fail(List<Pending> batch, RuntimeException e) {
    journal.closeConnection();
    log.error("books: a batch of {} entries could not be written; rebuilding", batch.size(), e);
    // The log above keeps the driver's text; clients (problem details, /health) get the code only.
    StorageException storage = db.translate(e);
    lastFailure = storage.clientDetail();
    lock.lock();
    try {
      discarded =
          new BrokerException(
              BrokerError.STORAGE_UNAVAILABLE,
              "the books could not be written: " + storage.clientDetail(),
              storage);
      generation.incrementAndGet();
      try {
        load();
        for (Runnable r : reloaders) {
          r.run();
        }
      } catch (RuntimeException reloadFailure) {
        log.error("books: reload after a failed batch failed too", reloadFailure);
        lastFailure = StorageException.clientDetail(db.translate(reloadFailure));
      }
    } finally {
      lock.unlock();
    }
  }

  private void writeBatch(List<Pending> batch, long entryId) {
    List<Entry> entries = new ArrayList<>(batch.size());
    List<LedgerAccount> created = new ArrayList<>();
    for (Pending p : batch) {
      entries.add(p.entry());
      created.addAll(p.newAccounts());
    }
    journal.write(entryId, clock.millis(), entries, created);
  }

  /** The invariant's quantities from the in-memory view (including entries not yet durable). */
  public BookTotals totals() {
    return decide(
        () -> {
          Map<AccountKind, Long> byKind = new HashMap<>();
          for (LedgerAccount a : accounts.values()) {
            byKind.merge(a.kind(), a.balance(), Math::addExact);
          }
          return BookTotals.of(byKind);
        });
  }

  /** The invariant's quantities from the durable ledger balances. */
  public BookTotals totalsFromDatabase() {
    Map<AccountKind, Long> byKind = new EnumMap<>(AccountKind.class);
    store.balancesByKind().forEach((kind, sum) -> byKind.put(AccountKind.valueOf(kind), sum));
    return BookTotals.of(byKind);
  }

  /**
   * Audits the durable books: the number of journal entries whose postings do not sum to zero, plus
   * the number of accounts whose balance differs from the sum of their postings. Zero in sound
   * books.
   */
  public long auditProblems() {
    return store.auditProblems();
  }

  /** The balance of every account, by name, from the in-memory view. */
  public Map<String, Long> balances() {
    return decide(
        () -> {
          Map<String, Long> out = new TreeMap<>();
          accounts.values().forEach(a -> out.put(a.name(), a.balance()));
          return out;
        });
  }

  /** Writes what was submitted and stops the writer. */
  @Override
  public void close() {
    closing = true;
    writer.close();
    journal.closeConnection();
  }
}
