package org.millicent.scrip;

/**
 * A scrip ID: 64 bits whose top 8 are the master-secret index (key id) and whose low 56 are a
 * serial number, unique per key id and never issued twice (docs/PROTOCOL.md, "Scrip ID").
 *
 * @param keyId the master-secret index, 0 to 255
 * @param serial the serial number, 0 to 2^56 - 1
 */
public record ScripId(int keyId, long serial) implements Comparable<ScripId> {
  /** The largest serial number a key id can issue. */
  public static final long MAX_SERIAL = (1L << 56) - 1;

  /** Validates the ranges. */
  public ScripId {
    if (keyId < 0 || keyId > 255) {
      throw new IllegalArgumentException("key id must be 0..255, was " + keyId);
    }
    if (serial < 0 || serial > MAX_SERIAL) {
      throw new IllegalArgumentException("serial must be 0..2^56-1, was " + serial);
    }
  }

  /** The ID from its 64-bit wire form. */
  public static ScripId fromLong(long packed) {
    return new ScripId((int) (packed >>> 56), packed & MAX_SERIAL);
  }

  /** The 64-bit wire form: key id in the top byte, serial below. */
  public long toLong() {
    return ((long) keyId << 56) | serial;
  }

  @Override
  public int compareTo(ScripId o) {
    return Long.compareUnsigned(toLong(), o.toLong());
  }

  /** Readable form, {@code keyId:serial}. */
  @Override
  public String toString() {
    return keyId + ":" + serial;
  }
}
