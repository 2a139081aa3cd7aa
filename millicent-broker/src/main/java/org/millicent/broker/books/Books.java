package org.millicent.broker.books;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.PreparedBatch;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;
import org.millicent.broker.BrokerError;
import org.millicent.broker.BrokerException;
import org.millicent.failure.Causes;
import org.millicent.storage.Database;
import org.millicent.storage.StorageException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The broker's double-entry books with group commit (docs/BROKER.md, "Books").
 *
 * <p>Design: every decision that changes money (a sale within a credit limit, a settlement paid
 * once) is taken under one decision lock against the in-memory view of the books, which includes
 * entries submitted but not yet durable; the decision then {@linkplain #submit submits} an {@link
 * Entry}. A single writer thread drains submitted entries and writes them in one database
 * transaction per batch: the batch's postings, aggregated per account, become one balanced journal
 * entry, and each entry's rows (issued scrip, customers, payments...) are written with it. Callers
 * wait for their batch outside the lock, so one fsync serves many sales. If a batch fails, every
 * entry not yet durable fails, and the in-memory view is rebuilt from the database (components
 * register {@linkplain #onReload reloaders}), so the books are as if those entries never happened.
 * One broker process owns a database.
 *
 * <p>Thread-safe.
 */
public final class Books implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Books.class);

  /** Most entries written in one database transaction. */
  public static final int MAX_BATCH = 4096;

  private record Pending(
      Entry entry, List<LedgerAccount> newAccounts, CompletableFuture<Void> done) {}

  private final Database db;
  private final InstantSource clock;
  private final ReentrantLock lock = new ReentrantLock();
  private final Map<String, LedgerAccount> accounts = new HashMap<>();
  private final List<LedgerAccount> uncommittedAccounts = new ArrayList<>();
  private final Map<String, Long> sequences = new HashMap<>();
  private final LinkedBlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
  private final List<Runnable> reloaders = new CopyOnWriteArrayList<>();
  private final Thread writer;
  private Handle writerConnection;
  private long nextAccountId;
  private long nextEntryId;
  private volatile boolean closing;
  private volatile String lastFailure;

  private Books(Database db, InstantSource clock) {
    this.db = db;
    this.clock = clock;
    this.writer = Thread.ofPlatform().name("broker-books-writer").daemon().unstarted(this::run);
  }

  /**
   * Opens the books in {@code db} (whose {@code broker} migrations must have run) and starts the
   * writer.
   */
  public static Books open(Database db, InstantSource clock) {
    Books b = new Books(db, clock);
    b.load();
    b.writer.start();
    return b;
  }

  /** The database. */
  public Database database() {
    return db;
  }

  /** The clock. */
  public InstantSource clock() {
    return clock;
  }

  private void load() {
    accounts.clear();
    uncommittedAccounts.clear();
    sequences.clear();
    db.jdbi()
        .useHandle(
            h -> {
              h.createQuery("SELECT id, name, kind, balance FROM ledger_accounts")
                  .map(
                      (rs, ctx) ->
                          new LedgerAccount(
                              rs.getLong(1),
                              rs.getString(2),
                              AccountKind.valueOf(rs.getString(3)),
                              rs.getLong(4)))
                  .forEach(a -> accounts.put(a.name(), a));
              nextAccountId = maxPlusOne(h, "ledger_accounts");
              nextEntryId = maxPlusOne(h, "ledger_entries");
            });
  }

  private static long maxPlusOne(Handle h, String table) {
    return h.createQuery("SELECT COALESCE(MAX(id), 0) + 1 FROM " + table).mapTo(Long.class).one();
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
  public LedgerAccount existing(String name) {
    requireLock();
    return accounts.get(name);
  }

  /** The next id of {@code table}'s {@code id} column. Call under the decision lock. */
  public long nextId(String table) {
    requireLock();
    Long next = sequences.get(table);
    if (next == null) {
      next = db.jdbi().withHandle(h -> maxPlusOne(h, table));
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
    Pending pending =
        new Pending(entry, List.copyOf(uncommittedAccounts), new CompletableFuture<>());
    uncommittedAccounts.clear();
    queue.add(pending);
    return pending.done();
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
  public String lastFailure() {
    return lastFailure;
  }

  private void run() {
    List<Pending> batch = new ArrayList<>(MAX_BATCH);
    while (true) {
      batch.clear();
      try {
        Pending first = queue.poll(100, TimeUnit.MILLISECONDS);
        if (first == null) {
          if (closing && queue.isEmpty()) {
            closeWriterHandle();
            return;
          }
          continue;
        }
        batch.add(first);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        closeWriterHandle();
        return;
      }
      queue.drainTo(batch, MAX_BATCH - 1);
      try {
        long entryId = nextEntryId;
        writerHandle()
            .useTransaction(
                h -> {
                  writeBatch(h, batch, entryId);
                });
        nextEntryId = entryId + 1;
        lastFailure = null;
        for (Pending p : batch) {
          p.done().complete(null);
        }
      } catch (RuntimeException e) {
        fail(batch, e);
      }
    }
  }

  /**
   * The writer's own connection, kept across batches so that its page cache stays warm (SQLite: 64
   * MiB), and opened again after a failure.
   */
  private Handle writerHandle() {
    if (writerConnectionBroken()) {
      closeWriterHandle();
      writerConnection = db.jdbi().open();
      if (db.dialect() == org.millicent.storage.Dialect.SQLITE) {
        writerConnection.execute("PRAGMA cache_size = -65536");
      }
    }
    return writerConnection;
  }

  private boolean writerConnectionBroken() {
    if (writerConnection == null) {
      return true;
    }
    try {
      return writerConnection.getConnection().isClosed();
    } catch (java.sql.SQLException e) {
      return true;
    }
  }

  private void closeWriterHandle() {
    if (writerConnection != null) {
      try {
        writerConnection.close();
      } catch (RuntimeException e) {
        log.warn("books: closing the writer's connection failed: {}", Causes.describe(e));
      }
      writerConnection = null;
    }
  }

  private void fail(List<Pending> batch, RuntimeException e) {
    closeWriterHandle();
    log.error("books: a batch of {} entries could not be written; rebuilding", batch.size(), e);
    // The log above keeps the driver's text; clients (problem details, /health) get the code only.
    StorageException storage = db.translate(e);
    lastFailure = storage.clientDetail();
    BrokerException failure =
        new BrokerException(
            BrokerError.STORAGE_UNAVAILABLE,
            "the books could not be written: " + storage.clientDetail(),
            storage);
    lock.lock();
    try {
      List<Pending> all = new ArrayList<>(batch);
      queue.drainTo(all);
      try {
        load();
        db.jdbi().useHandle(h -> nextEntryId = maxPlusOne(h, "ledger_entries"));
        for (Runnable r : reloaders) {
          r.run();
        }
      } catch (RuntimeException reloadFailure) {
        log.error("books: reload after a failed batch failed too", reloadFailure);
        lastFailure = StorageException.clientDetail(db.translate(reloadFailure));
      }
      for (Pending p : all) {
        p.done().completeExceptionally(failure);
      }
    } finally {
      lock.unlock();
    }
  }

  private void writeBatch(Handle h, List<Pending> batch, long entryId) {
    long at = clock.millis();
    List<LedgerAccount> created = new ArrayList<>();
    Map<LedgerAccount, Long> sums = new LinkedHashMap<>();
    Map<String, Integer> memos = new TreeMap<>();
    List<IssuedRow> issued = new ArrayList<>();
    for (Pending p : batch) {
      created.addAll(p.newAccounts());
      for (Map.Entry<LedgerAccount, Long> e : p.entry().postings.entrySet()) {
        sums.merge(e.getKey(), e.getValue(), Math::addExact);
      }
      if (!p.entry().postings.isEmpty()) {
        memos.merge(p.entry().memo, 1, Integer::sum);
      }
      issued.addAll(p.entry().issued);
    }
    if (!created.isEmpty()) {
      PreparedBatch pb =
          h.prepareBatch(
              "INSERT INTO ledger_accounts (id, name, kind, balance) VALUES (?, ?, ?, 0)");
      for (LedgerAccount a : created) {
        pb.bind(0, a.id()).bind(1, a.name()).bind(2, a.kind().name()).add();
      }
      pb.execute();
    }
    h.createUpdate("INSERT INTO ledger_entries (id, at, memo) VALUES (?, ?, ?)")
        .bind(0, entryId)
        .bind(1, at)
        .bind(2, memo(memos))
        .execute();
    sums.values().removeIf(v -> v == 0);
    if (!sums.isEmpty()) {
      insertPostings(h, sums, entryId);
    }
    if (!issued.isEmpty()) {
      insertIssued(h, issued, entryId);
    }
    for (Pending p : batch) {
      for (Entry.Write w : p.entry().writes) {
        w.apply(h, entryId);
      }
    }
  }

  /** A batch's postings and the balance updates they make, in plain JDBC batches. */
  private static void insertPostings(Handle h, Map<LedgerAccount, Long> sums, long entryId) {
    try (PreparedStatement posting =
            h.getConnection()
                .prepareStatement(
                    "INSERT INTO ledger_postings (entry_id, account_id, amount) VALUES (?, ?, ?)");
        PreparedStatement balance =
            h.getConnection()
                .prepareStatement(
                    "UPDATE ledger_accounts SET balance = balance + ? WHERE id = ?")) {
      for (Map.Entry<LedgerAccount, Long> e : sums.entrySet()) {
        posting.setLong(1, entryId);
        posting.setLong(2, e.getKey().id());
        posting.setLong(3, e.getValue());
        posting.addBatch();
        balance.setLong(1, e.getValue());
        balance.setLong(2, e.getKey().id());
        balance.addBatch();
      }
      posting.executeBatch();
      for (int n : balance.executeBatch()) {
        if (n != 1 && n != Statement.SUCCESS_NO_INFO) {
          throw new IllegalStateException("a ledger account to post to is missing");
        }
      }
    } catch (SQLException e) {
      throw new UnableToExecuteStatementException(e, null);
    }
  }

  /** The hot path's rows, in one plain JDBC batch (Jdbi's per-argument binding costs more). */
  private static void insertIssued(Handle h, List<IssuedRow> issued, long entryId) {
    try (PreparedStatement ps =
        h.getConnection()
            .prepareStatement(
                "INSERT INTO issued_scrip (issuer, key_id, serial, kind, supply, customer_id,"
                    + " value, issued_at, expires_at, entry_id, request_key, paid_by, token, state,"
                    + " sealed_secret) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
      for (IssuedRow r : issued) {
        ps.setString(1, r.issuer());
        ps.setInt(2, r.keyId());
        ps.setLong(3, r.serial());
        ps.setString(4, r.kind());
        ps.setString(5, r.supply());
        ps.setLong(6, r.customerId());
        ps.setLong(7, r.valueMillicents());
        ps.setLong(8, r.issuedAtMillis());
        ps.setLong(9, r.expiresAtMillis());
        ps.setLong(10, entryId);
        if (r.requestKey() == null) {
          ps.setNull(11, Types.VARBINARY);
        } else {
          ps.setBytes(11, r.requestKey());
        }
        if (r.paidBy() == null) {
          ps.setNull(12, Types.BIGINT);
        } else {
          ps.setLong(12, r.paidBy());
        }
        ps.setBytes(13, r.token());
        ps.setInt(14, r.state());
        if (r.sealedSecret() == null) {
          ps.setNull(15, Types.VARBINARY);
        } else {
          ps.setBytes(15, r.sealedSecret());
        }
        ps.addBatch();
      }
      ps.executeBatch();
    } catch (SQLException e) {
      throw new UnableToExecuteStatementException(e, null);
    }
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

  /** The invariant's quantities from the in-memory view (including entries not yet durable). */
  public BookTotals totals() {
    return decide(
        () -> {
          Map<AccountKind, Long> byKind = new HashMap<>();
          for (LedgerAccount a : accounts.values()) {
            byKind.merge(a.kind(), a.balance(), Math::addExact);
          }
          return totalsOf(byKind);
        });
  }

  /** The invariant's quantities from the durable ledger balances. */
  public BookTotals totalsFromDatabase() {
    Map<AccountKind, Long> byKind = new HashMap<>();
    db.jdbi()
        .useHandle(
            h ->
                h.createQuery("SELECT kind, SUM(balance) FROM ledger_accounts GROUP BY kind")
                    .map(
                        (rs, ctx) -> Map.entry(AccountKind.valueOf(rs.getString(1)), rs.getLong(2)))
                    .forEach(e -> byKind.put(e.getKey(), e.getValue())));
    return totalsOf(byKind);
  }

  private static BookTotals totalsOf(Map<AccountKind, Long> k) {
    long sum = 0;
    for (long v : k.values()) {
      sum += v;
    }
    long in = k.getOrDefault(AccountKind.CASH, 0L) + k.getOrDefault(AccountKind.CUSTOMER, 0L);
    long out = -k.getOrDefault(AccountKind.OUTSTANDING, 0L);
    long redeemed =
        -(k.getOrDefault(AccountKind.VENDOR_PAYABLE, 0L)
            + k.getOrDefault(AccountKind.COMMISSION, 0L)
            + k.getOrDefault(AccountKind.INVENTORY, 0L)
            + k.getOrDefault(AccountKind.WRITE_OFF, 0L));
    long breakage = -k.getOrDefault(AccountKind.BREAKAGE, 0L);
    return new BookTotals(in, out, redeemed, breakage, sum);
  }

  /**
   * Audits the durable books: the number of journal entries whose postings do not sum to zero, plus
   * the number of accounts whose balance differs from the sum of their postings. Zero in sound
   * books.
   */
  public long auditProblems() {
    return db.jdbi()
        .withHandle(
            h -> {
              long unbalanced =
                  h.createQuery(
                          "SELECT COUNT(*) FROM (SELECT entry_id FROM ledger_postings"
                              + " GROUP BY entry_id HAVING SUM(amount) <> 0) x")
                      .mapTo(Long.class)
                      .one();
              long drifted =
                  h.createQuery(
                          "SELECT COUNT(*) FROM ledger_accounts a WHERE a.balance <>"
                              + " (SELECT COALESCE(SUM(p.amount), 0) FROM ledger_postings p"
                              + " WHERE p.account_id = a.id)")
                      .mapTo(Long.class)
                      .one();
              return unbalanced + drifted;
            });
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
    try {
      writer.join(30_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
