package org.millicent.scrip;

import org.jspecify.annotations.Nullable;

/**
 * How a piece of scrip may be spent, certified with the rest of the scrip (docs/PROTOCOL.md,
 * "Scrip"): bound scrip only with proof of the customer secret (the signed and private variants),
 * bearer scrip also in the clear. Scrip issued to a customer who holds a secret is bound, so
 * enabling the clear variant at a vendor does not let a third party spend it.
 */
public enum SpendMode {
  /** Spendable only with the customer secret: the signed and private variants. */
  BOUND(1, "bound"),
  /** Spendable by whoever holds it, in any variant the vendor accepts (clear included). */
  BEARER(2, "bearer");

  private final int wireValue;
  private final String wireName;

  SpendMode(int wireValue, String wireName) {
    this.wireValue = wireValue;
    this.wireName = wireName;
  }

  /** The byte in the scrip encoding. */
  public int wireValue() {
    return wireValue;
  }

  /** The name in JSON, configuration and {@code millicent scrip inspect}. */
  public String wireName() {
    return wireName;
  }

  /** The mode with this encoding byte, or {@code null}. */
  public static @Nullable SpendMode fromWireValue(int value) {
    for (SpendMode m : values()) {
      if (m.wireValue == value) {
        return m;
      }
    }
    return null;
  }

  /** The mode with this name, or {@code null}. */
  public static @Nullable SpendMode fromWireName(String name) {
    for (SpendMode m : values()) {
      if (m.wireName.equals(name)) {
        return m;
      }
    }
    return null;
  }
}
