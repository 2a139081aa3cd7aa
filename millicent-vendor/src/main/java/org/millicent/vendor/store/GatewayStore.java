package org.millicent.vendor.store;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.HandleCallback;
import org.jspecify.annotations.Nullable;
import org.millicent.purchase.ExchangeRecorder;
import org.millicent.scrip.Scrip;
import org.millicent.scrip.ScripCodec;
import org.millicent.storage.Database;
import org.millicent.vendor.config.VendorConfig;

/**
 * The gateway's own tables (in the vendor's migrations chain, {@link VendorSchema}): customer IDs
 * it allocated, exchange outcomes for retries, licences, and (through {@link #settlement}) licensed
 * scrip received and warehouse sales. The spent list, serials and secrets have their own stores.
 * Every method is one transaction. Thread-safe.
 */
public final class GatewayStore {
  private static final String OWN_CUSTOMERS = "own_customers";

  /** A licence as stored. */
  public record Licence(
      String licenceId,
      String broker,
      List<Integer> keyIds,
      int customerSelector,
      int discountBps,
      Instant issuedAt,
      @Nullable Instant revokedAt) {
    public boolean revoked() {
      return revokedAt != null;
    }
  }

  private final Database db;
  private final SettlementStore settlement;
  private final ActivityStore activity;

  public GatewayStore(Database db) {
    this.db = db;
    VendorSchema.migrate(db);
    this.settlement = new SettlementStore(db);
    this.activity = new ActivityStore(db);
  }

  // -------------------------------------------------------------- customers

  /**
   * A new customer ID from the vendor's own space (selector {@value
   * VendorConfig#OWN_CUSTOMER_SELECTOR}).
   */
  public long newOwnCustomerId() {
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
  public long customerFor(String broker, String customerRef) {
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
  public ExchangeRecorder exchanges() {
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
    for (String t : tokens.split(" ", -1)) {
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
  public long keysVersion() {
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
  public <R> R changeKeys(HandleCallback<R, RuntimeException> change) {
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
  public static Set<Integer> usedKeyIds(Handle h) {
    return new HashSet<>(
        h.createQuery(
                "SELECT key_id FROM vendor_master_secrets UNION SELECT key_id FROM"
                    + " gateway_licence_keys")
            .mapTo(Integer.class)
            .list());
  }

  /** Customer selectors in use: every stored customer secret's and every licence's. */
  public static Set<Integer> usedSelectors(Handle h) {
    return new HashSet<>(
        h.createQuery(
                "SELECT selector FROM vendor_customer_secrets UNION SELECT customer_selector FROM"
                    + " gateway_licences")
            .mapTo(Integer.class)
            .list());
  }

  /** Stores a new licence with its key ids, in {@code h}'s transaction. */
  public static void insertLicence(Handle h, Licence l) {
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
  public java.time.Duration raiseScripLifetimeMark(java.time.Duration lifetime) {
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
  public Optional<java.time.Duration> scripLifetimeMark() {
    return db.withHandle(
        h ->
            h.createQuery("SELECT value FROM gateway_settings WHERE name = :n")
                .bind("n", MAX_LIFETIME)
                .mapTo(Long.class)
                .findOne()
                .map(java.time.Duration::ofSeconds));
  }

  /** The broker origin a join recorded for {@code licenceId}, if any. */
  public Optional<String> licenceOrigin(String licenceId) {
    return db.withHandle(
        h ->
            h.createQuery("SELECT origin FROM gateway_licences WHERE licence_id = :id")
                .bind("id", licenceId)
                .mapTo(String.class)
                .findOne()
                .filter(o -> o != null));
  }

  /** Records the broker origin a join hands {@code licenceId} to. */
  public void recordLicenceOrigin(String licenceId, String origin) {
    db.withHandle(
        h ->
            h.createUpdate("UPDATE gateway_licences SET origin = :o WHERE licence_id = :id")
                .bind("o", origin)
                .bind("id", licenceId)
                .execute());
  }

  /** Every licence, revoked or not. */
  public List<Licence> licences() {
    return db.withHandle(GatewayStore::licences);
  }

  /** Every licence, revoked or not, as {@code h} sees them. */
  public static List<Licence> licences(Handle h) {
    List<Licence> out = new ArrayList<>();
    for (var row :
        h.createQuery(
                "SELECT licence_id, broker, customer_selector, discount_bps, issued_at,"
                    + " revoked_at FROM gateway_licences ORDER BY issued_at, licence_id")
            .mapToMap()
            .list()) {
      String id = (String) column(row, "licence_id");
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
              (String) column(row, "broker"),
              keys,
              ((Number) column(row, "customer_selector")).intValue(),
              ((Number) column(row, "discount_bps")).intValue(),
              Instant.ofEpochSecond(((Number) column(row, "issued_at")).longValue()),
              revoked == null ? null : Instant.ofEpochSecond(((Number) revoked).longValue())));
    }
    return out;
  }

  /** A NOT NULL column of a licence row: null only if the table was changed behind the schema. */
  private static Object column(Map<String, Object> row, String name) {
    Object v = row.get(name);
    if (v == null) {
      throw new IllegalStateException("gateway_licences." + name + " is null in a stored licence");
    }
    return v;
  }

  /**
   * Marks a licence revoked in {@code h}'s transaction; false when there is no such unrevoked
   * licence.
   */
  public static boolean revokeLicence(Handle h, String licenceId, Instant at) {
    return h.createUpdate(
                "UPDATE gateway_licences SET revoked_at = :t"
                    + " WHERE licence_id = :id AND revoked_at IS NULL")
            .bind("t", at.getEpochSecond())
            .bind("id", licenceId)
            .execute()
        == 1;
  }

  /** The received records, settlements and sales. */
  public SettlementStore settlement() {
    return settlement;
  }

  /** The activity per hour, behind the operator's dashboard. */
  public ActivityStore activity() {
    return activity;
  }
}
