package org.millicent.vendor;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.HandleCallback;
import org.jdbi.v3.core.statement.PreparedBatch;
import org.jdbi.v3.core.transaction.TransactionIsolationLevel;
import org.millicent.purchase.ExchangeRecorder;
import org.millicent.scrip.Scrip;
import org.millicent.scrip.ScripCodec;
import org.millicent.scrip.ScripId;
import org.millicent.storage.Database;
import org.millicent.storage.Dialect;
import org.millicent.vendor.config.VendorConfig;

/**
 * The gateway's own tables (migrations component {@value #COMPONENT}): customer IDs it allocated,
 * exchange outcomes for retries, licences, licensed scrip received and warehouse sales. The spent
 * list, serials and secrets are the storage module's. Every method is one transaction. Thread-safe.
 */
final class GatewayStore {
  /** The Flyway component of these tables. */
  static final String COMPONENT = "gateway";

  private static final String OWN_CUSTOMERS = "own_customers";

  /** A licence as stored. */
  record Licence(
      String licenceId,
      String broker,
      List<Integer> keyIds,
      int customerSelector,
      int discountBps,
      Instant issuedAt,
      Instant revokedAt) {
    boolean revoked() {
      return revokedAt != null;
    }
  }

  /** One licensed scrip received. */
  record Received(long seq, long scripId, long valueMillicents) {}

  /** A received report: the records since the last settlement and the mark that settles them. */
  record Report(List<Received> received, long upto) {}

  /** The key of the received lock on PostgreSQL (see {@link #receivedReport}). */
  private static final String RECEIVED_LOCK =
      "hashtextextended('millicent-gateway-received/' || current_schema(), 0)";

  private static final String INSERT_RECEIVED =
      "INSERT INTO gateway_received (broker, licence_id, scrip_id, value_millicents, received_at)";

  private final Database db;
  private final String recordReceivedSql;

  GatewayStore(Database db) {
    this.db = db;
    db.migrate(COMPONENT);
    // On PostgreSQL the lock is taken in the insert's own statement (its CTE is evaluated before
    // the row, and so before the identity's nextval): no extra round trip on the payment path.
    this.recordReceivedSql =
        db.dialect() == Dialect.POSTGRESQL
            ? "WITH held AS (SELECT pg_advisory_xact_lock_shared("
                + RECEIVED_LOCK
                + ")) "
                + INSERT_RECEIVED
                + " SELECT :b, :l, :s, :v, :t FROM held ON CONFLICT (scrip_id) DO NOTHING"
            : INSERT_RECEIVED + " VALUES (:b, :l, :s, :v, :t) ON CONFLICT (scrip_id) DO NOTHING";
  }

  // -------------------------------------------------------------- customers

  /**
   * A new customer ID from the vendor's own space (selector {@value
   * VendorConfig#OWN_CUSTOMER_SELECTOR}).
   */
  long newOwnCustomerId() {
    long n =
        db.inTransaction(
            h -> {
              h.createUpdate(
                      "INSERT INTO gateway_counters (name, value) VALUES (:n, 0)"
                          + " ON CONFLICT (name) DO NOTHING")
                  .bind("n", OWN_CUSTOMERS)
                  .execute();
              return h.createQuery(
                      "UPDATE gateway_counters SET value = value + 1 WHERE name = :n RETURNING value")
                  .bind("n", OWN_CUSTOMERS)
                  .mapTo(Long.class)
                  .one();
            });
    if (n >= 1L << 56) {
      throw new IllegalStateException("the vendor's own customer-ID space is exhausted");
    }
    return ((long) VendorConfig.OWN_CUSTOMER_SELECTOR << 56) | n;
  }

  /** The stable customer ID of {@code customerRef} at {@code broker}, allocated at first use. */
  long customerFor(String broker, String customerRef) {
    Optional<Long> known = findCustomer(broker, customerRef);
    if (known.isPresent()) {
      return known.get();
    }
    long fresh = newOwnCustomerId();
    db.withHandle(
        h ->
            h.createUpdate(
                    "INSERT INTO gateway_customers (broker, customer_ref, customer_id)"
                        + " VALUES (:b, :r, :c) ON CONFLICT (broker, customer_ref) DO NOTHING")
                .bind("b", broker)
                .bind("r", customerRef)
                .bind("c", fresh)
                .execute());
    return findCustomer(broker, customerRef).orElseThrow();
  }

  private Optional<Long> findCustomer(String broker, String customerRef) {
    return db.withHandle(
        h ->
            h.createQuery(
                    "SELECT customer_id FROM gateway_customers WHERE broker = :b AND customer_ref = :r")
                .bind("b", broker)
                .bind("r", customerRef)
                .mapTo(Long.class)
                .findOne());
  }

  // -------------------------------------------------------------- exchanges

  /** The durable exchange recorder over {@code gateway_exchanges}. */
  ExchangeRecorder exchanges() {
    return new ExchangeRecorder() {
      @Override
      public Optional<List<Scrip>> find(byte[] fingerprint) {
        return db.withHandle(
                h ->
                    h.createQuery("SELECT outputs FROM gateway_exchanges WHERE fingerprint = :f")
                        .bind("f", fingerprint)
                        .mapTo(String.class)
                        .findOne())
            .map(GatewayStore::decodeTokens);
      }

      @Override
      public void record(byte[] fingerprint, Instant forgetAfter, List<Scrip> outputs) {
        StringBuilder sb = new StringBuilder();
        for (Scrip s : outputs) {
          sb.append(sb.isEmpty() ? "" : " ").append(s.token());
        }
        db.withHandle(
            h ->
                h.createUpdate(
                        "INSERT INTO gateway_exchanges (fingerprint, forget_after, outputs)"
                            + " VALUES (:f, :t, :o) ON CONFLICT (fingerprint) DO NOTHING")
                    .bind("f", fingerprint)
                    .bind("t", forgetAfter.getEpochSecond())
                    .bind("o", sb.toString())
                    .execute());
      }

      @Override
      public int dropExpiredBefore(Instant horizon) {
        return db.withHandle(
            h ->
                h.createUpdate("DELETE FROM gateway_exchanges WHERE forget_after < :t")
                    .bind("t", horizon.getEpochSecond())
                    .execute());
      }
    };
  }

  private static List<Scrip> decodeTokens(String tokens) {
    List<Scrip> out = new ArrayList<>();
    for (String t : tokens.split(" ")) {
      out.add(ScripCodec.fromToken(t));
    }
    return out;
  }

  // --------------------------------------------------------------- licences

  /**
   * The counter bumped by every change to the key vectors: licences and the vendor's own keys. Its
   * stored name predates rotation and stays, so running databases keep their count.
   */
  private static final String KEYS_VERSION = "licences";

  /**
   * The keys version: bumped by every committed change to licences or to the vendor's own master
   * secrets (by any process on this database), so a replica can tell with one read that it must
   * reload them. 0 when none.
   */
  long keysVersion() {
    return db.withHandle(
        h ->
            h.createQuery("SELECT value FROM gateway_counters WHERE name = :n")
                .bind("n", KEYS_VERSION)
                .mapTo(Long.class)
                .findOne()
                .orElse(0L));
  }

  /**
   * Runs {@code change} in one transaction whose first statement bumps the keys version. That
   * serialises changes to licences and master secrets across processes sharing the database: on
   * PostgreSQL the counter's row lock is held to the commit, and what {@code change} reads
   * afterwards (READ COMMITTED) includes the previous change; on SQLite the statement takes the
   * write lock before anything is read.
   *
   * @throws org.millicent.storage.StorageException when the database fails (nothing is changed)
   */
  <R> R changeKeys(HandleCallback<R, RuntimeException> change) {
    return db.inTransaction(
        h -> {
          h.createUpdate(
                  "INSERT INTO gateway_counters (name, value) VALUES (:n, 1)"
                      + " ON CONFLICT (name) DO UPDATE SET value = gateway_counters.value + 1")
              .bind("n", KEYS_VERSION)
              .execute();
          return change.withHandle(h);
        });
  }

  /** Key ids in use: every stored master secret's and every licence's (never reused). */
  static Set<Integer> usedKeyIds(Handle h) {
    return new HashSet<>(
        h.createQuery(
                "SELECT key_id FROM vendor_master_secrets UNION SELECT key_id FROM"
                    + " gateway_licence_keys")
            .mapTo(Integer.class)
            .list());
  }

  /** Customer selectors in use: every stored customer secret's and every licence's. */
  static Set<Integer> usedSelectors(Handle h) {
    return new HashSet<>(
        h.createQuery(
                "SELECT selector FROM vendor_customer_secrets UNION SELECT customer_selector FROM"
                    + " gateway_licences")
            .mapTo(Integer.class)
            .list());
  }

  /** Stores a new licence with its key ids, in {@code h}'s transaction. */
  static void insertLicence(Handle h, Licence l) {
    h.createUpdate(
            "INSERT INTO gateway_licences (licence_id, broker, customer_selector,"
                + " discount_bps, issued_at) VALUES (:id, :b, :s, :d, :t)")
        .bind("id", l.licenceId())
        .bind("b", l.broker())
        .bind("s", l.customerSelector())
        .bind("d", l.discountBps())
        .bind("t", l.issuedAt().getEpochSecond())
        .execute();
    for (int k : l.keyIds()) {
      h.createUpdate("INSERT INTO gateway_licence_keys (key_id, licence_id) VALUES (:k, :id)")
          .bind("k", k)
          .bind("id", l.licenceId())
          .execute();
    }
  }

  private static final String MAX_LIFETIME = "max_scrip_lifetime_seconds";

  /**
   * Raises the stored high-water mark of the scrip lifetime to at least {@code lifetime} (never
   * lowers it) and returns the mark: the longest lifetime scrip of this vendor may have.
   */
  java.time.Duration raiseScripLifetimeMark(java.time.Duration lifetime) {
    return db.withHandle(
        h -> {
          h.createUpdate(
                  "INSERT INTO gateway_settings (name, value) VALUES (:n, :v) ON CONFLICT (name)"
                      + " DO UPDATE SET value = CASE WHEN excluded.value > gateway_settings.value"
                      + " THEN excluded.value ELSE gateway_settings.value END")
              .bind("n", MAX_LIFETIME)
              .bind("v", lifetime.toSeconds())
              .execute();
          return java.time.Duration.ofSeconds(
              h.createQuery("SELECT value FROM gateway_settings WHERE name = :n")
                  .bind("n", MAX_LIFETIME)
                  .mapTo(Long.class)
                  .one());
        });
  }

  /** The stored high-water mark of the scrip lifetime, if a vendor has started since it exists. */
  Optional<java.time.Duration> scripLifetimeMark() {
    return db.withHandle(
        h ->
            h.createQuery("SELECT value FROM gateway_settings WHERE name = :n")
                .bind("n", MAX_LIFETIME)
                .mapTo(Long.class)
                .findOne()
                .map(java.time.Duration::ofSeconds));
  }

  /** The broker origin a join recorded for {@code licenceId}, if any. */
  Optional<String> licenceOrigin(String licenceId) {
    return db.withHandle(
        h ->
            h.createQuery("SELECT origin FROM gateway_licences WHERE licence_id = :id")
                .bind("id", licenceId)
                .mapTo(String.class)
                .findOne()
                .filter(o -> o != null));
  }

  /** Records the broker origin a join hands {@code licenceId} to. */
  void recordLicenceOrigin(String licenceId, String origin) {
    db.withHandle(
        h ->
            h.createUpdate("UPDATE gateway_licences SET origin = :o WHERE licence_id = :id")
                .bind("o", origin)
                .bind("id", licenceId)
                .execute());
  }

  /** Every licence, revoked or not. */
  List<Licence> licences() {
    return db.withHandle(GatewayStore::licences);
  }

  /** Every licence, revoked or not, as {@code h} sees them. */
  static List<Licence> licences(Handle h) {
    List<Licence> out = new ArrayList<>();
    for (var row :
        h.createQuery(
                "SELECT licence_id, broker, customer_selector, discount_bps, issued_at,"
                    + " revoked_at FROM gateway_licences ORDER BY issued_at, licence_id")
            .mapToMap()
            .list()) {
      String id = (String) row.get("licence_id");
      List<Integer> keys =
          h.createQuery(
                  "SELECT key_id FROM gateway_licence_keys WHERE licence_id = :id ORDER BY key_id")
              .bind("id", id)
              .mapTo(Integer.class)
              .list();
      Object revoked = row.get("revoked_at");
      out.add(
          new Licence(
              id,
              (String) row.get("broker"),
              keys,
              ((Number) row.get("customer_selector")).intValue(),
              ((Number) row.get("discount_bps")).intValue(),
              Instant.ofEpochSecond(((Number) row.get("issued_at")).longValue()),
              revoked == null ? null : Instant.ofEpochSecond(((Number) revoked).longValue())));
    }
    return out;
  }

  /**
   * Marks a licence revoked in {@code h}'s transaction; false when there is no such unrevoked
   * licence.
   */
  static boolean revokeLicence(Handle h, String licenceId, Instant at) {
    return h.createUpdate(
                "UPDATE gateway_licences SET revoked_at = :t"
                    + " WHERE licence_id = :id AND revoked_at IS NULL")
            .bind("t", at.getEpochSecond())
            .bind("id", licenceId)
            .execute()
        == 1;
  }

  // --------------------------------------------------------------- received

  /**
   * Records a batch of licensed scrip received in one transaction; a second record of one scrip ID
   * is ignored. On PostgreSQL every insert holds the received lock shared until the commit (see
   * {@link #receivedReport}).
   */
  void recordReceived(List<ReceivedWriter.Pending> batch) {
    db.inTransaction(
        h -> {
          PreparedBatch b = h.prepareBatch(recordReceivedSql);
          for (ReceivedWriter.Pending p : batch) {
            b.bind("b", p.broker())
                .bind("l", p.licenceId())
                .bind("s", p.scripId())
                .bind("v", p.valueMillicents())
                .bind("t", p.at())
                .add();
          }
          b.execute();
          return null;
        });
  }

  /**
   * Records from the spent list every committed spend of scrip minted under {@code licence}'s key
   * ids that has no received record: the repair for a record lost between a committed spend and its
   * {@link #recordReceived} (a database failure, a crash). The scrip's value is what the spend
   * record keeps: the price plus the change issued (an exchange input is recorded at its whole
   * value). One range scan of the spent list's primary key per key id.
   *
   * @return how many records were added
   */
  int recordMissingReceived(Licence licence, Instant at) {
    int added = 0;
    for (int keyId : licence.keyIds()) {
      long first = new ScripId(keyId, 0).toLong();
      long last = new ScripId(keyId, ScripId.MAX_SERIAL).toLong();
      added +=
          db.inTransaction(
              h -> {
                lockReceived(h, "pg_advisory_xact_lock_shared");
                record Missing(long scripId, long price, byte[] change) {}
                List<Missing> missing =
                    h.createQuery(
                            "SELECT s.scrip_id, s.price_millicents, s.change FROM vendor_spends s"
                                + " WHERE s.scrip_id BETWEEN :first AND :last"
                                + " AND s.price_millicents IS NOT NULL AND NOT EXISTS"
                                + " (SELECT 1 FROM gateway_received r WHERE r.scrip_id = s.scrip_id)"
                                + " ORDER BY s.scrip_id")
                        .bind("first", first)
                        .bind("last", last)
                        .map((rs, ctx) -> new Missing(rs.getLong(1), rs.getLong(2), rs.getBytes(3)))
                        .list();
                for (Missing m : missing) {
                  long change =
                      m.change() == null || m.change().length == 0
                          ? 0
                          : ScripCodec.decode(m.change()).valueMillicents();
                  h.createUpdate(
                          INSERT_RECEIVED
                              + " VALUES (:b, :l, :s, :v, :t) ON CONFLICT (scrip_id) DO NOTHING")
                      .bind("b", licence.broker())
                      .bind("l", licence.licenceId())
                      .bind("s", m.scripId())
                      .bind("v", m.price() + change)
                      .bind("t", at.getEpochSecond())
                      .execute();
                }
                return missing.size();
              });
    }
    return added;
  }

  /**
   * The licensed scrip received from {@code broker} since its last settlement, in order, and the
   * mark that settles exactly them.
   *
   * <p>The mark is a high-water mark over {@code seq}, so the report must never pass a record that
   * is still to commit: one that took a lower {@code seq} than a committed record but commits after
   * the report was read would fall below the settled mark and never be reported. On SQLite this
   * cannot happen: one writer at a time, and an insert takes its {@code seq} and commits while it
   * holds the write lock (also the repair's transaction), so committed records always form a prefix
   * of the sequence. On PostgreSQL writers run concurrently, so every transaction that inserts a
   * received record holds the received lock (a transaction-scoped advisory lock keyed by the
   * schema) shared before it takes a {@code seq}, and the report takes it exclusively, which waits
   * until every transaction that took a {@code seq} so far has ended, then reads the high-water
   * mark under it, in READ COMMITTED so that the read sees those commits. Any later insert takes a
   * higher {@code seq} (the identity's cache is 1, as created). The lock is held for that one read,
   * not while the records are listed.
   */
  Report receivedReport(String broker) {
    long highWater = highWater();
    return db.inTransaction(
        h -> {
          long settled =
              h.createQuery("SELECT settled_upto FROM gateway_settlements WHERE broker = :b")
                  .bind("b", broker)
                  .mapTo(Long.class)
                  .findOne()
                  .orElse(0L);
          List<Received> received =
              h.createQuery(
                      "SELECT seq, scrip_id, value_millicents FROM gateway_received"
                          + " WHERE broker = :b AND seq > :settled AND seq <= :high ORDER BY seq")
                  .bind("b", broker)
                  .bind("settled", settled)
                  .bind("high", highWater)
                  .map(
                      (rs, ctx) ->
                          new Received(rs.getLong("seq"), rs.getLong("scrip_id"), rs.getLong(3)))
                  .list();
          long upto = received.isEmpty() ? settled : received.getLast().seq();
          return new Report(received, upto);
        });
  }

  /** The highest {@code seq} below which every received record has committed (see above). */
  private long highWater() {
    HandleCallback<Long, RuntimeException> readHighWater =
        h -> {
          lockReceived(h, "pg_advisory_xact_lock");
          return h.createQuery("SELECT COALESCE(MAX(seq), 0) FROM gateway_received")
              .mapTo(Long.class)
              .one();
        };
    return db.dialect() == Dialect.POSTGRESQL
        ? db.withHandle(
            h -> h.inTransaction(TransactionIsolationLevel.READ_COMMITTED, readHighWater))
        : db.withHandle(readHighWater);
  }

  /**
   * The highest mark a report could give {@code broker} now: the last of its records below the
   * high-water mark, or its settled mark. Settling beyond it would hide records that no report has
   * shown yet, and the broker would never be billed for them.
   */
  long reportableUpto(String broker) {
    long high = highWater();
    long last =
        db.withHandle(
            h ->
                h.createQuery(
                        "SELECT COALESCE(MAX(seq), 0) FROM gateway_received"
                            + " WHERE broker = :b AND seq <= :high")
                    .bind("b", broker)
                    .bind("high", high)
                    .mapTo(Long.class)
                    .one());
    return Math.max(last, settledUpto(broker));
  }

  /**
   * On PostgreSQL, takes the received lock for the rest of the transaction with {@code function}
   * ({@code pg_advisory_xact_lock} or {@code pg_advisory_xact_lock_shared}); on SQLite a no-op.
   */
  private void lockReceived(Handle h, String function) {
    if (db.dialect() == Dialect.POSTGRESQL) {
      h.createQuery("SELECT 1 FROM (SELECT " + function + "(" + RECEIVED_LOCK + ")) AS locked")
          .mapTo(Integer.class)
          .one();
    }
  }

  /** The highest sequence settled for {@code broker}, 0 when none. */
  long settledUpto(String broker) {
    return db.withHandle(
        h ->
            h.createQuery("SELECT settled_upto FROM gateway_settlements WHERE broker = :b")
                .bind("b", broker)
                .mapTo(Long.class)
                .findOne()
                .orElse(0L));
  }

  /** Marks everything up to {@code upto} settled for {@code broker} (never moves backwards). */
  void settle(String broker, long upto) {
    db.withHandle(
        h ->
            h.createUpdate(
                    "INSERT INTO gateway_settlements (broker, settled_upto) VALUES (:b, :u)"
                        + " ON CONFLICT (broker) DO UPDATE SET settled_upto ="
                        + " CASE WHEN excluded.settled_upto > gateway_settlements.settled_upto"
                        + " THEN excluded.settled_upto ELSE gateway_settlements.settled_upto END")
                .bind("b", broker)
                .bind("u", upto)
                .execute());
  }

  // ------------------------------------------------------------------ sales

  /** Records a warehouse sale. */
  void recordSale(String broker, int count, long value, long amountDue, Instant at) {
    db.withHandle(
        h ->
            h.createUpdate(
                    "INSERT INTO gateway_sales (broker, count, value_millicents,"
                        + " amount_due_millicents, sold_at) VALUES (:b, :c, :v, :a, :t)")
                .bind("b", broker)
                .bind("c", count)
                .bind("v", value)
                .bind("a", amountDue)
                .bind("t", at.getEpochSecond())
                .execute());
  }
}
