package org.millicent.wallet;

import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jspecify.annotations.Nullable;
import org.millicent.wallet.http.Request;

/**
 * The wallet's {@code vendors} and {@code vendor_origins} tables: where each vendor was met, the
 * brokers known to sell its scrip, and the origins vouched for it. Statements only, on a {@link
 * Handle} {@link WalletStore} opens; it scopes the transactions and serialises writes. Stateless
 * and thread-safe.
 */
final class VendorsTable {
  private VendorsTable() {}

  /** See {@link WalletStore#sawVendor}. */
  static int saw(Handle h, String vendor, @Nullable String origin, List<URI> brokers, Instant at) {
    LinkedHashSet<String> all = new LinkedHashSet<>();
    h.createQuery("SELECT brokers FROM vendors WHERE vendor = ?")
        .bind(0, vendor)
        .mapTo(String.class)
        .findOne()
        .ifPresent(
            old -> {
              for (String b : old.split(" ", -1)) {
                if (!b.isBlank()) {
                  all.add(b);
                }
              }
            });
    brokers.forEach(b -> all.add(b.toString()));
    return h.createUpdate(
            "INSERT INTO vendors (vendor, origin, brokers, seen_at) VALUES (?, ?, ?, ?)"
                + " ON CONFLICT (vendor) DO UPDATE SET"
                + " exchange_path = CASE WHEN excluded.origin IS NULL"
                + " OR excluded.origin = vendors.origin THEN vendors.exchange_path END,"
                + " origin = COALESCE(excluded.origin, vendors.origin),"
                + " brokers = excluded.brokers, seen_at = excluded.seen_at")
        .bind(0, vendor)
        .bind(1, origin)
        .bind(2, String.join(" ", all))
        .bind(3, at.toEpochMilli())
        .execute();
  }

  /** See {@link WalletStore#setExchangePath}. */
  static int setExchangePath(Handle h, String vendor, String origin, String path) {
    return h.createUpdate("UPDATE vendors SET exchange_path = ? WHERE vendor = ? AND origin = ?")
        .bind(0, path)
        .bind(1, vendor)
        .bind(2, origin)
        .execute();
  }

  static Optional<VendorSite> site(Handle h, String vendor) {
    return h.createQuery(
            "SELECT vendor, origin, exchange_path, brokers FROM vendors WHERE vendor = ?")
        .bind(0, vendor)
        .map(
            (rs, ctx) -> {
              List<URI> brokers = new ArrayList<>();
              for (String b : rs.getString(4).split(" ", -1)) {
                if (!b.isBlank()) {
                  brokers.add(URI.create(b));
                }
              }
              return new VendorSite(
                  rs.getString(1),
                  Optional.ofNullable(rs.getString(2)),
                  Optional.ofNullable(rs.getString(3)),
                  brokers);
            })
        .findOne();
  }

  /** See {@link WalletStore#vouchedOrigins}; {@code accounts} are the wallet's broker accounts. */
  static List<VouchedOrigin> vouchedOrigins(
      Handle h, List<BrokerAccount> accounts, @Nullable String vendor) {
    List<VouchedOrigin> out = new ArrayList<>();
    for (BrokerAccount a : accounts) {
      if (vendor == null || vendor.equals(a.broker())) {
        out.add(
            new VouchedOrigin(
                a.broker(), Request.origin(a.url()), a.url().toString(), a.registeredAt()));
      }
    }
    out.addAll(
        h.createQuery(
                "SELECT vendor, origin, source, added_at, broker FROM vendor_origins"
                    + " WHERE :vendor IS NULL OR vendor = :vendor"
                    + " ORDER BY vendor, added_at, rowid")
            .bind("vendor", vendor)
            .map(
                (rs, ctx) ->
                    new VouchedOrigin(
                        rs.getString(1),
                        rs.getString(2),
                        rs.getString(3),
                        Instant.ofEpochMilli(rs.getLong(4)),
                        Optional.of(rs.getString(5)).filter(b -> !b.isEmpty())))
            .list());
    return out;
  }

  /** See {@link WalletStore#replaceBrokerOrigins}. */
  static void replaceBrokerOrigins(
      Handle h, URI broker, Map<String, ? extends Collection<String>> originsByVendor, Instant at) {
    h.createUpdate("DELETE FROM vendor_origins WHERE source = ?")
        .bind(0, broker.toString())
        .execute();
    originsByVendor.forEach(
        (vendor, origins) -> {
          for (String origin : origins) {
            insertOrigin(h, vendor, origin, broker.toString(), broker.toString(), at);
          }
        });
  }

  /** See {@link WalletStore#removeUserOrigins}. */
  static int removeUserOrigins(Handle h, String vendor, @Nullable String origin) {
    return h.createUpdate(
            "DELETE FROM vendor_origins WHERE vendor = :vendor AND source = :source"
                + " AND (:origin IS NULL OR origin = :origin)")
        .bind("vendor", vendor)
        .bind("source", VouchedOrigin.USER)
        .bind("origin", origin)
        .execute();
  }

  /**
   * Vouches for {@code origin} as {@code vendor}'s on {@code source}'s word, for the scrip of the
   * broker at {@code broker} ({@code ""}: every broker's); rows inserted.
   */
  static int insertOrigin(
      Handle h, String vendor, String origin, String source, String broker, Instant at) {
    return h.createUpdate(
            "INSERT INTO vendor_origins (vendor, origin, source, broker, added_at)"
                + " VALUES (?, ?, ?, ?, ?) ON CONFLICT (vendor, origin, source, broker) DO NOTHING")
        .bind(0, vendor)
        .bind(1, origin)
        .bind(2, source)
        .bind(3, broker)
        .bind(4, at.toEpochMilli())
        .execute();
  }
}
