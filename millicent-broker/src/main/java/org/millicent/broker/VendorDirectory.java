package org.millicent.broker;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.millicent.broker.books.Books;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The vendors whose scrip the broker sells: those of the configuration, then those that joined
 * ({@code POST /broker/vendors/join}, docs/BROKER.md, "Vendors that join"), in that order. A joined
 * vendor is added while the broker runs, and its entry is replaced when it joins again (a new URL
 * or token after a restart). Thread-safe: readers see an immutable snapshot.
 */
final class VendorDirectory {
  private static final Logger log = LoggerFactory.getLogger(Broker.class);

  private volatile List<VendorConfig> vendors;

  VendorDirectory(List<VendorConfig> configured) {
    this.vendors = List.copyOf(configured);
  }

  /**
   * The directory of the configured vendors, then those that joined earlier (kept in {@code
   * books}); a joined vendor that is now configured too is the configuration's.
   */
  static VendorDirectory load(BrokerConfig config, Books books) {
    List<VendorConfig> all = new ArrayList<>(config.vendors());
    for (Joins.Stored j : Joins.load(books)) {
      if (config.vendor(j.entry().vendor()).isPresent()) {
        log.warn(
            "broker: vendor {} joined earlier and is now configured too: the configuration wins",
            j.entry().vendor());
      } else {
        all.add(j.entry());
      }
    }
    return new VendorDirectory(all);
  }

  /** Every vendor, configured first. */
  List<VendorConfig> all() {
    return vendors;
  }

  /** The entry of {@code vendor}, if this broker sells its scrip. */
  Optional<VendorConfig> find(String vendor) {
    for (VendorConfig v : vendors) {
      if (v.vendor().equals(vendor)) {
        return Optional.of(v);
      }
    }
    return Optional.empty();
  }

  /**
   * The entry of {@code vendor}.
   *
   * @throws BrokerException {@code unknown-vendor} when this broker does not sell its scrip
   */
  VendorConfig require(String vendor) {
    return find(vendor == null ? "" : vendor)
        .orElseThrow(
            () ->
                new BrokerException(
                    BrokerError.UNKNOWN_VENDOR,
                    "this broker does not sell scrip of vendor \""
                        + vendor
                        + "\"; it sells "
                        + vendors.stream().map(VendorConfig::vendor).toList()));
  }

  /** Adds {@code v}, or replaces the entry of the same name. */
  synchronized void put(VendorConfig v) {
    List<VendorConfig> next = new ArrayList<>(vendors);
    next.removeIf(x -> x.vendor().equals(v.vendor()));
    next.add(v);
    vendors = List.copyOf(next);
  }
}
