package org.millicent.scrip;

import java.time.Instant;

/**
 * Every field of a piece of scrip except its certificate: exactly what the certificate covers.
 * Immutable; validated on construction so that every instance has an encoding.
 *
 * @param vendor the vendor the scrip is good at: 1 to 64 characters of {@code [a-z0-9.:_-]}
 * @param valueMillicents the value, 1 to {@link #MAX_VALUE_MILLICENTS}
 * @param id the scrip ID (key id and serial)
 * @param customerId the customer the scrip is bound to (unsigned 64 bits; its top byte selects the
 *     customer master secret)
 * @param expiresAt the instant after which the scrip is refused, whole seconds
 * @param properties vendor-defined key/value pairs
 * @param spend how the scrip may be spent: {@link SpendMode#BOUND} (with the customer secret) or
 *     {@link SpendMode#BEARER} (also in the clear)
 */
public record ScripBody(
    String vendor,
    long valueMillicents,
    ScripId id,
    long customerId,
    Instant expiresAt,
    ScripProperties properties,
    SpendMode spend) {

  /** Largest value a single piece of scrip can hold: ten million dollars in millicents. */
  public static final long MAX_VALUE_MILLICENTS = 1_000_000_000_000L;

  /** Largest expiry: 9999-12-31T23:59:59Z. */
  public static final long MAX_EXPIRES_AT_EPOCH_SECONDS = 253_402_300_799L;

  /** Longest vendor id. */
  public static final int MAX_VENDOR_LENGTH = 64;

  /** Validates every field. */
  public ScripBody {
    checkVendor(vendor);
    if (valueMillicents < 1 || valueMillicents > MAX_VALUE_MILLICENTS) {
      throw new IllegalArgumentException(
          "value must be 1.." + MAX_VALUE_MILLICENTS + " millicents, was " + valueMillicents);
    }
    if (id == null) {
      throw new IllegalArgumentException("scrip id is missing");
    }
    if (expiresAt == null
        || expiresAt.getNano() != 0
        || expiresAt.getEpochSecond() < 0
        || expiresAt.getEpochSecond() > MAX_EXPIRES_AT_EPOCH_SECONDS) {
      throw new IllegalArgumentException(
          "expiry must be whole seconds between 1970 and 9999, was " + expiresAt);
    }
    if (properties == null) {
      properties = ScripProperties.NONE;
    }
    if (spend == null) {
      throw new IllegalArgumentException("spend mode is missing");
    }
  }

  /** Bound scrip (spendable only with the customer secret): the usual kind. */
  public ScripBody(
      String vendor,
      long valueMillicents,
      ScripId id,
      long customerId,
      Instant expiresAt,
      ScripProperties properties) {
    this(vendor, valueMillicents, id, customerId, expiresAt, properties, SpendMode.BOUND);
  }

  /**
   * Checks a vendor id.
   *
   * @throws IllegalArgumentException when it is empty, longer than 64 characters or uses a
   *     character outside {@code [a-z0-9.:_-]}
   */
  public static void checkVendor(String vendor) {
    if (vendor == null || vendor.isEmpty() || vendor.length() > MAX_VENDOR_LENGTH) {
      throw new IllegalArgumentException(
          "vendor id must be 1.." + MAX_VENDOR_LENGTH + " characters, was " + vendor);
    }
    for (int i = 0; i < vendor.length(); i++) {
      char c = vendor.charAt(i);
      boolean ok =
          (c >= 'a' && c <= 'z')
              || (c >= '0' && c <= '9')
              || c == '.'
              || c == ':'
              || c == '_'
              || c == '-';
      if (!ok) {
        throw new IllegalArgumentException(
            "vendor id may use only [a-z0-9.:_-], was \"" + vendor + '"');
      }
    }
  }

  /** The key id (master-secret index) of the scrip ID. */
  public int keyId() {
    return id.keyId();
  }
}
