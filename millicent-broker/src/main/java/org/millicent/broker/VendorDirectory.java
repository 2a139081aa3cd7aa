package org.millicent.broker;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The vendors whose scrip the broker sells: those of the configuration, then those that joined
 * ({@code POST /broker/vendors/join}, docs/BROKER.md, "Vendors that join"), in that order. A joined
 * vendor is added while the broker runs, and its entry is replaced when it joins again (a new URL
 * or token after a restart). Thread-safe: readers see an immutable snapshot.
 */
final class VendorDirectory {
  private volatile List<VendorConfig> vendors;

  VendorDirectory(List<VendorConfig> configured) {
    this.vendors = List.copyOf(configured);
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
