package org.millicent.broker.store;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.PreparedBatch;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;
import org.millicent.broker.books.IssuedScrip;
import org.millicent.storage.Database;
import org.millicent.storage.Dialect;

/**
 * The double-entry ledger's tables ({@code ledger_accounts}, {@code ledger_entries}, {@code
 * ledger_postings}) and the batch insert of {@code issued_scrip}: what the books' writer and audit
 * read and write. Every method goes through {@link Database}'s error translation. Thread-safe.
 */
public final class LedgerStore {
  private final Database db;

  /** A store over {@code db}, whose {@code broker} migrations have run. */
  public LedgerStore(Database db) {
    this.db = db;
  }

  /** The durable accounts and the next free ids. */
  public LedgerSnapshot load() {
    return db.withHandle(
        h -> {
          List<LedgerAccountRow> rows =
              h.createQuery("SELECT id, name, kind, balance FROM ledger_accounts")
                  .map(
                      (rs, ctx) ->
                          new LedgerAccountRow(
                              rs.getLong(1), rs.getString(2), rs.getString(3), rs.getLong(4)))
                  .list();
          return new LedgerSnapshot(
              rows, maxPlusOne(h, "ledger_accounts"), maxPlusOne(h, "ledger_entries"));
        });
  }

  /** The next free id of the {@code id} column of {@code table} (a broker table name). */
  public long nextId(String table) {
    return db.withHandle(h -> maxPlusOne(h, table));
  }

  private static long maxPlusOne(Handle h, String table) {
    return h.createQuery("SELECT COALESCE(MAX(id), 0) + 1 FROM " + table).mapTo(Long.class).one();
  }

  /**
   * Opens the writer's own connection, kept across batches so that its page cache stays warm
   * (SQLite: 64 MiB).
   */
  public Handle openWriter() {
    Handle h = db.openHandle();
    if (db.dialect() == Dialect.SQLITE) {
      try {
        db.inTransaction(h, t -> t.execute("PRAGMA cache_size = -65536"));
      } catch (RuntimeException e) {
        h.close();
        throw e;
      }
    }
    return h;
  }

  /**
   * Writes one batch in one transaction on {@code writer}: the accounts created, one journal entry
   * with the batch's postings (summed per account, zero sums left out) and balance updates, the
   * issued scrip, then {@code writes} (each entry's own rows).
   */
  public void writeBatch(
      Handle writer,
      List<LedgerAccountRow> created,
      long entryId,
      long at,
      String memo,
      Map<Long, Long> sums,
      List<IssuedScrip> issued,
      Consumer<Handle> writes) {
    db.inTransaction(
        writer,
        h -> {
          if (!created.isEmpty()) {
            PreparedBatch pb =
                h.prepareBatch(
                    "INSERT INTO ledger_accounts (id, name, kind, balance) VALUES (?, ?, ?, 0)");
            for (LedgerAccountRow a : created) {
              pb.bind(0, a.id()).bind(1, a.name()).bind(2, a.kind()).add();
            }
            pb.execute();
          }
          h.createUpdate("INSERT INTO ledger_entries (id, at, memo) VALUES (?, ?, ?)")
              .bind(0, entryId)
              .bind(1, at)
              .bind(2, memo)
              .execute();
          if (!sums.isEmpty()) {
            insertPostings(h, sums, entryId);
          }
          if (!issued.isEmpty()) {
            insertIssued(h, issued, entryId);
          }
          writes.accept(h);
          return null;
        });
  }

  /** A batch's postings and the balance updates they make, in plain JDBC batches. */
  private static void insertPostings(Handle h, Map<Long, Long> sums, long entryId) {
    try (PreparedStatement posting =
            h.getConnection()
                .prepareStatement(
                    "INSERT INTO ledger_postings (entry_id, account_id, amount) VALUES (?, ?, ?)");
        PreparedStatement balance =
            h.getConnection()
                .prepareStatement(
                    "UPDATE ledger_accounts SET balance = balance + ? WHERE id = ?")) {
      for (Map.Entry<Long, Long> e : sums.entrySet()) {
        posting.setLong(1, entryId);
        posting.setLong(2, e.getKey());
        posting.setLong(3, e.getValue());
        posting.addBatch();
        balance.setLong(1, e.getValue());
        balance.setLong(2, e.getKey());
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
  private static void insertIssued(Handle h, List<IssuedScrip> issued, long entryId) {
    try (PreparedStatement ps =
        h.getConnection()
            .prepareStatement(
                "INSERT INTO issued_scrip (issuer, key_id, serial, kind, supply, customer_id,"
                    + " value, issued_at, expires_at, entry_id, request_key, paid_by, token, state,"
                    + " sealed_secret) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
      for (IssuedScrip r : issued) {
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

  /** The durable balances summed per account kind (its name). */
  public Map<String, Long> balancesByKind() {
    Map<String, Long> byKind = new HashMap<>();
    db.withHandle(
        h -> {
          h.createQuery("SELECT kind, SUM(balance) FROM ledger_accounts GROUP BY kind")
              .map((rs, ctx) -> Map.entry(rs.getString(1), rs.getLong(2)))
              .forEach(e -> byKind.put(e.getKey(), e.getValue()));
          return null;
        });
    return byKind;
  }

  /**
   * The number of journal entries whose postings do not sum to zero plus the number of accounts
   * whose balance differs from the sum of their postings.
   */
  public long auditProblems() {
    return db.withHandle(
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

  /** Whether the broker's tables answer (a broker table, not {@code SELECT 1}). */
  public boolean reachable() {
    return db.withHandle(
        h -> h.createQuery("SELECT count(*) FROM broker_meta").mapTo(Long.class).one() >= 0);
  }
}
