package org.millicent.scrip;

import java.util.Arrays;
import java.util.HexFormat;
import org.millicent.bytes.ConstantTime;

/**
 * The 128-bit certificate of a piece of scrip: HMAC-SHA-256 of the canonical body under the master
 * scrip secret, truncated to its first 16 bytes. Not a secret. Immutable.
 */
public final class Certificate {
  /** Length in bytes. */
  public static final int LENGTH = 16;

  private final byte[] bytes;

  private Certificate(byte[] bytes) {
    this.bytes = bytes;
  }

  /**
   * Wraps a copy of exactly 16 bytes.
   *
   * @throws IllegalArgumentException when the length is not 16
   */
  public static Certificate of(byte[] bytes) {
    if (bytes.length != LENGTH) {
      throw new IllegalArgumentException(
          "certificate must be " + LENGTH + " bytes, was " + bytes.length);
    }
    return new Certificate(bytes.clone());
  }

  /** The first 16 bytes of a full HMAC output. */
  public static Certificate truncate(byte[] hmac) {
    return new Certificate(Arrays.copyOf(hmac, LENGTH));
  }

  /** A copy of the bytes. */
  public byte[] bytes() {
    return bytes.clone();
  }

  /** Whether {@code other} holds the same bytes, compared in constant time. */
  public boolean matches(Certificate other) {
    return ConstantTime.equal(bytes, other.bytes);
  }

  void writeTo(org.millicent.internal.ByteWriter w) {
    w.raw(bytes);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Certificate c && ConstantTime.equal(bytes, c.bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  @Override
  public String toString() {
    return HexFormat.of().formatHex(bytes);
  }
}
