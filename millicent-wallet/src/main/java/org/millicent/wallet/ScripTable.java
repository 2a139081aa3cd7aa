package org.millicent.wallet;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jspecify.annotations.Nullable;
import org.millicent.scrip.Scrip;
import org.millicent.scrip.ScripId;

/**
 * The wallet's {@code scrip} table: the pieces held, in flight, spent or void. Statements only, on
 * a {@link Handle} {@link WalletStore} opens; it scopes the transactions and serialises writes.
 * Stateless and thread-safe.
 */
final class ScripTable {
  static final String COLUMNS =
      "vendor, scrip_id, customer_id, value, expires_at, token, state, source, acquired_at, broker";

  private ScripTable() {}

  /** The piece in the current row, read from the {@link #COLUMNS} in that order. */
  static HeldScrip row(java.sql.ResultSet rs) throws java.sql.SQLException {
    return new HeldScrip(
        rs.getString(1),
        ScripId.fromLong(rs.getLong(2)),
        rs.getLong(3),
        rs.getLong(4),
        Instant.ofEpochMilli(rs.getLong(5)),
        rs.getString(6),
        ScripState.of(rs.getString(7)),
        rs.getString(8),
        Instant.ofEpochMilli(rs.getLong(9)),
        rs.getString(10));
  }

  /** Every piece in the given states, by vendor, then soonest expiry. */
  static List<HeldScrip> inStates(Handle h, List<ScripState> states) {
    String in = String.join(",", states.stream().map(s -> "'" + s.wireName() + "'").toList());
    return h.createQuery(
            "SELECT "
                + COLUMNS
                + " FROM scrip WHERE state IN ("
                + in
                + ") ORDER BY vendor, expires_at, value")
        .map((rs, ctx) -> row(rs))
        .list();
  }

  /** Available pieces of {@code vendor} that {@code payers} admits, soonest expiry first. */
  static List<HeldScrip> available(Handle h, String vendor, Payers payers) {
    return payers
        .bind(
            h.createQuery(
                    "SELECT "
                        + COLUMNS
                        + " FROM scrip WHERE vendor = :vendor AND state = 'available' AND "
                        + payers.condition("broker")
                        + " ORDER BY expires_at, value")
                .bind("vendor", vendor))
        .map((rs, ctx) -> row(rs))
        .list();
  }

  /**
   * The smallest available piece of {@code vendor} worth at least {@code price} that outlives
   * {@code mustOutlive}, whose secret is held, that {@code payers} admits and that was not acquired
   * by one of the payments {@code heldForOthers} (their pieces are held for whoever made them).
   */
  static Optional<HeldScrip> smallestCovering(
      Handle h,
      String vendor,
      long price,
      Instant mustOutlive,
      Payers payers,
      Collection<Long> heldForOthers) {
    var query =
        h.createQuery(
                "SELECT "
                    + COLUMNS
                    + " FROM scrip s WHERE vendor = :vendor AND state = 'available'"
                    + " AND value >= :price AND expires_at > :outlive AND "
                    + payers.condition("s.broker")
                    + (heldForOthers.isEmpty()
                        ? ""
                        : " AND (s.acquired_by IS NULL OR s.acquired_by NOT IN (<held>))")
                    + " AND EXISTS (SELECT 1 FROM secrets k WHERE k.vendor = s.vendor"
                    + " AND k.customer_id = s.customer_id AND k.broker_url = s.broker)"
                    + " ORDER BY value, expires_at LIMIT 1")
            .bind("vendor", vendor)
            .bind("price", price)
            .bind("outlive", mustOutlive.toEpochMilli());
    if (!heldForOthers.isEmpty()) {
      query.bindList("held", List.copyOf(heldForOthers));
    }
    return payers.bind(query).map((rs, ctx) -> row(rs)).findOne();
  }

  /** Whether every one of {@code pieces} is still available. */
  static boolean allAvailable(Handle h, List<HeldScrip> pieces) {
    for (HeldScrip s : pieces) {
      int free =
          h.createQuery(
                  "SELECT COUNT(*) FROM scrip WHERE broker = ? AND vendor = ? AND scrip_id = ?"
                      + " AND state = 'available'")
              .bind(0, s.broker())
              .bind(1, s.vendor())
              .bind(2, s.id().toLong())
              .mapTo(Integer.class)
              .one();
      if (free != 1) {
        return false;
      }
    }
    return true;
  }

  /** The scrip a payment carries (in flight or settled). */
  static List<HeldScrip> ofPayment(Handle h, long paymentId) {
    return h.createQuery(
            "SELECT " + COLUMNS + " FROM scrip WHERE payment_id = ? ORDER BY expires_at, value")
        .bind(0, paymentId)
        .map((rs, ctx) -> row(rs))
        .list();
  }

  /**
   * The broker that sold the scrip payment {@code paymentId} carries ({@code ""} when not known or
   * when it carries none): its change and exchange outputs are that broker's too.
   */
  static String brokerOfPayment(Handle h, long paymentId) {
    return h.createQuery("SELECT broker FROM scrip WHERE payment_id = ? LIMIT 1")
        .bind(0, paymentId)
        .mapTo(String.class)
        .findOne()
        .orElse("");
  }

  /**
   * Adds an available piece sold by the broker at {@code broker} ({@code ""}: not known), acquired
   * by payment {@code acquiredBy} (null when it came from outside a payment); a piece held already
   * (same broker, vendor and scrip ID: two brokers selling one vendor name mint their own IDs) is
   * left as it is.
   */
  static void insert(
      Handle h, Scrip scrip, String source, @Nullable Long acquiredBy, String broker, Instant at) {
    h.createUpdate(
            "INSERT INTO scrip ("
                + COLUMNS
                + ", acquired_by) VALUES (?, ?, ?, ?, ?, ?, 'available', ?, ?, ?, ?)"
                + " ON CONFLICT (broker, vendor, scrip_id) DO NOTHING")
        .bind(0, scrip.vendor())
        .bind(1, scrip.id().toLong())
        .bind(2, scrip.customerId())
        .bind(3, scrip.valueMillicents())
        .bind(4, scrip.expiresAt().toEpochMilli())
        .bind(5, scrip.token())
        .bind(6, source)
        .bind(7, at.toEpochMilli())
        .bind(8, broker)
        .bind(9, acquiredBy)
        .execute();
  }

  /**
   * Marks each of {@code pieces} in flight for payment {@code paymentId}.
   *
   * @throws IllegalStateException when a piece is no longer available (the transaction rolls back)
   */
  static void markInFlight(Handle h, long paymentId, List<HeldScrip> pieces) {
    for (HeldScrip s : pieces) {
      int n =
          h.createUpdate(
                  "UPDATE scrip SET state = 'in-flight', payment_id = ? WHERE broker = ?"
                      + " AND vendor = ? AND scrip_id = ? AND state = 'available'")
              .bind(0, paymentId)
              .bind(1, s.broker())
              .bind(2, s.vendor())
              .bind(3, s.id().toLong())
              .execute();
      if (n != 1) {
        throw new IllegalStateException("scrip " + s.id() + " was taken by another payment");
      }
    }
  }

  /** Marks the scrip of an accepted payment spent. */
  static void markSpent(Handle h, long paymentId, Instant now) {
    h.createUpdate(
            "UPDATE scrip SET state = 'spent', closed_at = ? WHERE payment_id = ?"
                + " AND state = 'in-flight'")
        .bind(0, now.toEpochMilli())
        .bind(1, paymentId)
        .execute();
  }

  /**
   * Gives the scrip of a refused payment the state the vendor left it in: available again (and free
   * of the payment) when not consumed, else closed.
   */
  static void markRefused(Handle h, long paymentId, ScripState scripState, Instant now) {
    h.createUpdate(
            "UPDATE scrip SET state = ?, closed_at = ?,"
                + " payment_id = CASE WHEN ? = 'available' THEN NULL ELSE payment_id END"
                + " WHERE payment_id = ? AND state = 'in-flight'")
        .bind(0, scripState.wireName())
        .bind(1, scripState == ScripState.AVAILABLE ? null : now.toEpochMilli())
        .bind(2, scripState.wireName())
        .bind(3, paymentId)
        .execute();
  }

  /** Marks available scrip that has expired as void; how many pieces. */
  static int voidExpired(Handle h, Instant now) {
    return h.createUpdate(
            "UPDATE scrip SET state = 'void', closed_at = ? WHERE state = 'available'"
                + " AND expires_at <= ?")
        .bind(0, now.toEpochMilli())
        .bind(1, now.toEpochMilli())
        .execute();
  }
}
