package org.millicent.wallet;

import java.net.URI;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.millicent.wallet.http.Request;

/**
 * What the wallet's file knows of vendors (docs/WALLET.md, "Vouched origins"): each vendor's site
 * (its origin, the brokers that sell its scrip, its exchange path) and the origins vouched for it,
 * by the brokers' manifests or by the user, and so whether a recorded payment may be re-sent where
 * it was recorded to go. The statements are in {@link VendorsTable}; the rules on when an origin is
 * vouched, and the reading of manifests, in {@link VendorOrigins}.
 *
 * <p>Thread-safe: each call is one transaction of the {@link WalletStore}, whose lock serialises
 * the writes.
 */
final class VendorOriginStore {
  private final WalletStore store;

  VendorOriginStore(WalletStore store) {
    this.store = store;
  }

  /**
   * Remembers a vendor's origin (when not null: it must be vouched, see {@link VendorOrigins}) and
   * adds {@code brokers} to the brokers known to sell its scrip. A new origin forgets the exchange
   * path read from the old one.
   */
  void sawVendor(String vendor, @Nullable String origin, List<URI> brokers, Instant at) {
    store.write(h -> VendorsTable.saw(h, vendor, origin, brokers, at));
  }

  /**
   * Remembers the exchange path read from {@code origin} for {@code vendor}, if the vendor is still
   * remembered at that origin: a vendor name means nothing across brokers, and another broker's
   * vendor of that name, met meanwhile at another origin, must not get this one's path.
   */
  void setExchangePath(String vendor, String origin, String path) {
    store.write(h -> VendorsTable.setExchangePath(h, vendor, origin, path));
  }

  Optional<VendorSite> vendor(String vendor) {
    return store.read(h -> VendorsTable.site(h, vendor));
  }

  /**
   * The origins vouched for {@code vendor} (every vendor when null), oldest first: those the
   * brokers' manifests and the user vouched for, and each broker account's own origin for the
   * broker's id (the user chose that URL when registering).
   */
  List<VouchedOrigin> vouchedOrigins(@Nullable String vendor) {
    return store.read(h -> VendorsTable.vouchedOrigins(h, BrokersTable.all(h), vendor));
  }

  /**
   * Replaces the origins {@code broker}'s manifest vouches for, for all its vendors at once.
   *
   * @param originsByVendor each vendor the manifest lists, with its origins
   */
  void replaceBrokerOrigins(
      URI broker, Map<String, ? extends Collection<String>> originsByVendor, Instant at) {
    store.write(
        h -> {
          VendorsTable.replaceBrokerOrigins(h, broker, originsByVendor, at);
          return null;
        });
  }

  /**
   * Vouches for {@code origin} as {@code vendor}'s on the user's word, for the scrip of the broker
   * at {@code broker} ({@code ""}: every broker's); false if it was already.
   */
  boolean addUserOrigin(String vendor, String origin, String broker, Instant at) {
    return store.write(
        h -> VendorsTable.insertOrigin(h, vendor, origin, VouchedOrigin.USER, broker, at) == 1);
  }

  /**
   * Withdraws the user's word for {@code origin} ({@code null}: every origin) as {@code vendor}'s.
   *
   * @return how many were withdrawn
   */
  int removeUserOrigins(String vendor, @Nullable String origin) {
    return store.write(h -> VendorsTable.removeUserOrigins(h, vendor, origin));
  }

  /**
   * Why a recorded vendor payment or exchange may not be re-sent where it was recorded to go: its
   * origin is not vouched for its vendor by the broker that sold its scrip, nor by the user
   * (docs/WALLET.md, "Vouched origins"); empty when it may (a purchase from a broker always may).
   */
  Optional<String> unvouchedPayment(PaymentRecord rec) {
    if (rec.draft().kind().equals(PaymentRecord.BUY)) {
      return Optional.empty();
    }
    return store.read(
        h -> {
          String broker = ScripTable.brokerOfPayment(h, rec.id());
          String origin = Request.origin(URI.create(rec.draft().url()));
          boolean vouched =
              VendorsTable.vouchedOrigins(h, BrokersTable.all(h), rec.draft().vendor()).stream()
                  .anyMatch(o -> o.origin().equals(origin) && o.admits(broker));
          return vouched
              ? Optional.<String>empty()
              : Optional.of(
                  origin
                      + " is not vouched for "
                      + rec.draft().vendor()
                      + (broker.isEmpty() ? " by the user" : " by " + broker + " or the user"));
        });
  }
}
