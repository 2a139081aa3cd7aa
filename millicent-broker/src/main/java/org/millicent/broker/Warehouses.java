package org.millicent.broker;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.millicent.broker.books.Books;
import org.millicent.broker.supply.VendorClient;
import org.millicent.broker.supply.WarehouseVendor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The broker's warehouse vendors (docs/BROKER.md, "Warehouse"), by vendor id, and their
 * reconciliation at start and on the statement schedule. Thread-safe: the map is immutable and each
 * {@link WarehouseVendor} is thread-safe.
 */
final class Warehouses {
  private static final Logger log = LoggerFactory.getLogger(Broker.class);

  private final Map<String, WarehouseVendor> byVendor;

  Warehouses(Map<String, WarehouseVendor> byVendor) {
    this.byVendor = Map.copyOf(byVendor);
  }

  /** The warehouse vendors among {@code vendors}. */
  static Warehouses of(List<VendorConfig> vendors, Books books, VendorClient client) {
    Map<String, WarehouseVendor> byVendor = new LinkedHashMap<>();
    for (VendorConfig v : vendors) {
      if (v.supply() == Supply.WAREHOUSE) {
        byVendor.put(v.vendor(), new WarehouseVendor(v, books, client));
      }
    }
    return new Warehouses(byVendor);
  }

  /** Every warehouse vendor, by vendor id. */
  Map<String, WarehouseVendor> byVendor() {
    return byVendor;
  }

  /**
   * Reconciles each warehouse's exchanges at {@code now}; a failure of one is logged and the others
   * go on.
   *
   * @return how many exchanges are still pending
   */
  int reconcile(Instant now) {
    int left = 0;
    for (WarehouseVendor w : byVendor.values()) {
      try {
        left += w.reconcile(now);
      } catch (RuntimeException e) {
        log.warn("broker: reconciling the warehouse of {} failed: {}", w.vendor(), e.getMessage());
      }
    }
    return left;
  }
}
