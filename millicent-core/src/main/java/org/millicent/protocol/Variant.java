package org.millicent.protocol;

import org.jspecify.annotations.Nullable;

/** The three Millicent protocol variants (docs/PROTOCOL.md, "Variants"). */
public enum Variant {
  /** Scrip in the clear: protects the vendor, not the customer against theft. */
  CLEAR("clear"),
  /** Scrip plus a request MAC under the customer secret; the default. */
  SIGNED("signed"),
  /** Scrip, request and reply sealed with AES-256-GCM under a key from the customer secret. */
  PRIVATE("private");

  private final String wireName;

  Variant(String wireName) {
    this.wireName = wireName;
  }

  /** The name used in headers and configuration. */
  public String wireName() {
    return wireName;
  }

  /** The variant with this wire name, or {@code null}. */
  public static @Nullable Variant fromWireName(String name) {
    for (Variant v : values()) {
      if (v.wireName.equals(name)) {
        return v;
      }
    }
    return null;
  }
}
