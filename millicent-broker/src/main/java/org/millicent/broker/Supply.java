package org.millicent.broker;

import java.util.Locale;
import org.jspecify.annotations.Nullable;

/** How the broker obtains a vendor's scrip (docs/BROKER.md, "Supply"). */
public enum Supply {
  /** The broker holds a licence and mints the vendor's scrip itself; the vendor settles later. */
  LICENSED,
  /**
   * The broker buys the vendor's scrip in bulk and exchanges it at the vendor for each customer.
   */
  WAREHOUSE;

  /** The name used in configuration and JSON: {@code licensed} or {@code warehouse}. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The supply with this wire name, or {@code null}. */
  public static @Nullable Supply fromWireName(String name) {
    for (Supply s : values()) {
      if (s.wireName().equals(name)) {
        return s;
      }
    }
    return null;
  }
}
