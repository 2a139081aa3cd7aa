package org.millicent.wallet;

import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.millicent.keys.CustomerSecret;

/**
 * The wallet's {@code brokers} and {@code secrets} tables: the broker accounts and the customer
 * secrets of every vendor whose scrip the wallet holds. Statements only, on a {@link Handle} {@link
 * WalletStore} opens; it scopes the transactions and serialises writes. Stateless and thread-safe.
 */
final class BrokersTable {
  private BrokersTable() {}

  /** Inserts the account, or replaces the one at the same URL. */
  static void insert(Handle h, BrokerAccount a) {
    h.createUpdate(
            "INSERT INTO brokers (url, broker, customer_id, name, credit_limit,"
                + " registered_at) VALUES (?, ?, ?, ?, ?, ?)"
                + " ON CONFLICT (url) DO UPDATE SET broker = excluded.broker,"
                + " customer_id = excluded.customer_id, name = excluded.name,"
                + " credit_limit = excluded.credit_limit,"
                + " registered_at = excluded.registered_at")
        .bind(0, a.url().toString())
        .bind(1, a.broker())
        .bind(2, a.customerId())
        .bind(3, a.name())
        .bind(4, a.creditLimitMillicents())
        .bind(5, a.registeredAt().toEpochMilli())
        .execute();
  }

  /** The broker accounts, oldest first. */
  static List<BrokerAccount> all(Handle h) {
    return h.createQuery(
            "SELECT url, broker, customer_id, name, credit_limit, registered_at"
                + " FROM brokers ORDER BY registered_at, url")
        .map(
            (rs, ctx) ->
                new BrokerAccount(
                    URI.create(rs.getString(1)),
                    rs.getString(2),
                    rs.getLong(3),
                    rs.getString(4),
                    rs.getLong(5),
                    Instant.ofEpochMilli(rs.getLong(6))))
        .list();
  }

  /**
   * The secret of customer {@code customerId} at {@code vendor} that the broker at {@code
   * brokerUrl} gave ({@code ""}: a secret of no known broker), if the wallet holds it.
   */
  static Optional<CustomerSecret> secret(
      Handle h, String brokerUrl, String vendor, long customerId) {
    return h.createQuery(
            "SELECT secret FROM secrets WHERE broker_url = ? AND vendor = ? AND customer_id = ?")
        .bind(0, brokerUrl)
        .bind(1, vendor)
        .bind(2, customerId)
        .mapTo(byte[].class)
        .findOne()
        .map(CustomerSecret::of);
  }

  /**
   * Keeps a customer secret, replacing the one held for the same broker, vendor and customer: two
   * brokers selling one vendor name keep a secret each.
   */
  static void putSecret(
      Handle h,
      String vendor,
      long customerId,
      CustomerSecret secret,
      String brokerUrl,
      Instant at) {
    h.createUpdate(
            "INSERT INTO secrets (vendor, customer_id, secret, broker_url, obtained_at)"
                + " VALUES (?, ?, ?, ?, ?) ON CONFLICT (broker_url, vendor, customer_id) DO UPDATE"
                + " SET secret = excluded.secret")
        .bind(0, vendor)
        .bind(1, customerId)
        .bind(2, secret.toByteArray())
        .bind(3, brokerUrl)
        .bind(4, at.toEpochMilli())
        .execute();
  }
}
