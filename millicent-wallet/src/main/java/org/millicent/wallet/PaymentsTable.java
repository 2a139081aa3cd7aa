package org.millicent.wallet;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Handle;
import org.jspecify.annotations.Nullable;

/**
 * The wallet's {@code payments} table: every payment, in flight until settled once as done or
 * failed. Statements only, on a {@link Handle} {@link WalletStore} opens; it scopes the
 * transactions and serialises writes. Stateless and thread-safe.
 */
final class PaymentsTable {
  private PaymentsTable() {}

  /** Inserts {@code d} in flight, paid with the piece {@code scripId} (null for none); its id. */
  static long insert(Handle h, PaymentDraft d, @Nullable Long scripId, Instant now) {
    return h.createUpdate(
            "INSERT INTO payments (kind, vendor, scrip_id, customer_id, variant,"
                + " offered_price, method, url, authorization, content_type,"
                + " sealed_content_type, body, state, attempts, started_at)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'in-flight', 0, ?)")
        .bind(0, d.kind())
        .bind(1, d.vendor())
        .bind(2, scripId)
        .bind(3, d.customerId())
        .bind(4, d.variant())
        .bind(5, d.offeredPriceMillicents())
        .bind(6, d.method())
        .bind(7, d.url())
        .bind(8, d.authorization())
        .bind(9, d.contentType())
        .bind(10, d.sealedContentType())
        .bind(11, d.body())
        .bind(12, now.toEpochMilli())
        .executeAndReturnGeneratedKeys("id")
        .mapTo(Long.class)
        .one();
  }

  /** The record of payment {@code id} just inserted from {@code d}. */
  static PaymentRecord inserted(long id, PaymentDraft d, Instant now) {
    return new PaymentRecord(id, d, 0, now);
  }

  /** Counts one more sending of an in-flight payment. */
  static void countAttempt(Handle h, long paymentId) {
    h.createUpdate("UPDATE payments SET attempts = attempts + 1 WHERE id = ?")
        .bind(0, paymentId)
        .execute();
  }

  /** Payments still in flight, oldest first; of one vendor when {@code vendor} is not null. */
  static List<PaymentRecord> inFlight(Handle h, @Nullable String vendor) {
    return h.createQuery(
            "SELECT id, kind, vendor, customer_id, variant, offered_price, method, url,"
                + " authorization, content_type, sealed_content_type, body, attempts,"
                + " started_at FROM payments"
                + " WHERE state = 'in-flight'"
                + (vendor == null ? "" : " AND vendor = :vendor")
                + " ORDER BY id")
        .bindMap(vendor == null ? Map.of() : Map.of("vendor", vendor))
        .map(
            (rs, ctx) ->
                new PaymentRecord(
                    rs.getLong(1),
                    new PaymentDraft(
                        rs.getString(2),
                        rs.getString(3),
                        rs.getLong(4),
                        rs.getString(5),
                        rs.getLong(6),
                        rs.getString(7),
                        rs.getString(8),
                        rs.getString(9),
                        rs.getString(10),
                        rs.getString(11),
                        rs.getBytes(12)),
                    rs.getInt(13),
                    Instant.ofEpochMilli(rs.getLong(14))))
        .list();
  }

  /**
   * Settles a payment that is still in flight as {@code state} ({@code done} or {@code failed}).
   *
   * @return false when it was no longer in flight (settled before; nothing changed)
   */
  static boolean finish(
      Handle h,
      long paymentId,
      String state,
      @Nullable Long price,
      @Nullable Long change,
      String outcome,
      @Nullable String detail,
      Instant now) {
    return h.createUpdate(
                "UPDATE payments SET state = ?, price = ?, change_value = ?, outcome = ?,"
                    + " detail = ?, finished_at = ? WHERE id = ? AND state = 'in-flight'")
            .bind(0, state)
            .bind(1, price)
            .bind(2, change)
            .bind(3, outcome)
            .bind(4, detail)
            .bind(5, now.toEpochMilli())
            .bind(6, paymentId)
            .execute()
        == 1;
  }
}
