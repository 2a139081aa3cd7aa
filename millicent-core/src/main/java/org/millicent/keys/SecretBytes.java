package org.millicent.keys;

import java.security.SecureRandom;
import java.util.Arrays;
import org.millicent.bytes.ConstantTime;

/**
 * Secret key material: copied in, copied out, never printed. Deliberately not a record, so that no
 * generated {@code toString} or reference-comparing {@code equals} can leak or mislead. Immutable
 * and thread-safe.
 */
public final class SecretBytes {
  private final byte[] bytes;

  private SecretBytes(byte[] bytes) {
    this.bytes = bytes;
  }

  /** Holds a copy of {@code bytes}. */
  public static SecretBytes copyOf(byte[] bytes) {
    if (bytes == null || bytes.length == 0) {
      throw new IllegalArgumentException("a secret needs at least one byte");
    }
    return new SecretBytes(bytes.clone());
  }

  /** {@code length} fresh random bytes. */
  public static SecretBytes random(int length, SecureRandom random) {
    byte[] b = new byte[length];
    random.nextBytes(b);
    return new SecretBytes(b);
  }

  /** A copy of the secret bytes; the caller must not log or keep them longer than needed. */
  public byte[] toByteArray() {
    return bytes.clone();
  }

  /** The length in bytes. */
  public int length() {
    return bytes.length;
  }

  /** Whether both hold the same bytes, compared in constant time. */
  public boolean sameAs(SecretBytes other) {
    return ConstantTime.equal(bytes, other.bytes);
  }

  byte[] unsafeBytes() {
    return bytes;
  }

  /** Never prints the secret. */
  @Override
  public String toString() {
    return "SecretBytes[" + bytes.length + " bytes, redacted]";
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SecretBytes s && sameAs(s);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(new int[] {bytes.length});
  }
}
