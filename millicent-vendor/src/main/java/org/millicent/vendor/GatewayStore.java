package org.millicent.vendor;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.millicent.purchase.ExchangeRecorder;
import org.millicent.scrip.Scrip;
import org.millicent.scrip.ScripCodec;
import org.millicent.storage.Database;
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

  private final Database db;

  GatewayStore(Database db) {
    this.db = db;
    db.migrate(COMPONENT);
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

  /** Key ids ever given to a licence (never reused). */
  List<Integer> licencedKeyIds() {
    return db.withHandle(
        h -> h.createQuery("SELECT key_id FROM gateway_licence_keys").mapTo(Integer.class).list());
  }

  /** Customer selectors ever given to a licence (never reused). */
  List<Integer> licencedSelectors() {
    return db.withHandle(
        h ->
            h.createQuery("SELECT customer_selector FROM gateway_licences")
                .mapTo(Integer.class)
                .list());
  }

  /** Stores a new licence with its key ids. */
  void insertLicence(Licence l) {
    db.inTransaction(
        h -> {
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
          return null;
        });
  }

  /** Every licence, revoked or not. */
  List<Licence> licences() {
    return db.withHandle(
        h -> {
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
                        "SELECT key_id FROM gateway_licence_keys WHERE licence_id = :id"
                            + " ORDER BY key_id")
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
                    revoked == null
                        ? null
                        : Instant.ofEpochSecond(((Number) revoked).longValue())));
          }
          return out;
        });
  }

  /** Marks a licence revoked; false when there is no such unrevoked licence. */
  boolean revokeLicence(String licenceId, Instant at) {
    return db.withHandle(
            h ->
                h.createUpdate(
                        "UPDATE gateway_licences SET revoked_at = :t"
                            + " WHERE licence_id = :id AND revoked_at IS NULL")
                    .bind("t", at.getEpochSecond())
                    .bind("id", licenceId)
                    .execute())
        == 1;
  }

  // --------------------------------------------------------------- received

  /** Records licensed scrip received; a second record of one scrip ID is ignored. */
  void recordReceived(String broker, String licenceId, long scripId, long value, Instant at) {
    db.withHandle(
        h ->
            h.createUpdate(
                    "INSERT INTO gateway_received (broker, licence_id, scrip_id, value_millicents,"
                        + " received_at) VALUES (:b, :l, :s, :v, :t)"
                        + " ON CONFLICT (scrip_id) DO NOTHING")
                .bind("b", broker)
                .bind("l", licenceId)
                .bind("s", scripId)
                .bind("v", value)
                .bind("t", at.getEpochSecond())
                .execute());
  }

  /** Licensed scrip received from {@code broker} since its last settlement, in order. */
  List<Received> receivedSinceSettlement(String broker) {
    return db.withHandle(
        h ->
            h.createQuery(
                    "SELECT seq, scrip_id, value_millicents FROM gateway_received"
                        + " WHERE broker = :b AND seq > COALESCE((SELECT settled_upto FROM"
                        + " gateway_settlements WHERE broker = :b), 0) ORDER BY seq")
                .bind("b", broker)
                .map(
                    (rs, ctx) ->
                        new Received(rs.getLong("seq"), rs.getLong("scrip_id"), rs.getLong(3)))
                .list());
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
