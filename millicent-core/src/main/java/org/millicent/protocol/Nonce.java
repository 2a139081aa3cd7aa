package org.millicent.protocol;

import java.security.SecureRandom;
import java.util.Arrays;
import org.millicent.bytes.Base64Url;
import org.millicent.failure.MalformedException;

/**
 * A 16-byte request nonce chosen fresh by the customer for each payment; re-sent unchanged on a
 * retry so that the vendor recognises the retry. Immutable.
 */
public final class Nonce {
  /** Length in bytes. */
  public static final int LENGTH = 16;

  private final byte[] bytes;

  private Nonce(byte[] bytes) {
    this.bytes = bytes;
  }

  /** A fresh random nonce. */
  public static Nonce random(SecureRandom random) {
    byte[] b = new byte[LENGTH];
    random.nextBytes(b);
    return new Nonce(b);
  }

  /**
   * Wraps a copy of 16 bytes.
   *
   * @throws MalformedException when the length is not 16
   */
  public static Nonce of(byte[] bytes) {
    if (bytes.length != LENGTH) {
      throw new MalformedException("nonce must be " + LENGTH + " bytes, found " + bytes.length);
    }
    return new Nonce(bytes.clone());
  }

  /**
   * Parses the base64url text form.
   *
   * @throws MalformedException when it is not 16 bytes of strict base64url
   */
  public static Nonce parse(String text) {
    try {
      return of(Base64Url.decode(text));
    } catch (IllegalArgumentException e) {
      throw new MalformedException("nonce is not base64url: " + e.getMessage(), e);
    }
  }

  /** A copy of the bytes. */
  public byte[] bytes() {
    return bytes.clone();
  }

  byte[] unsafeBytes() {
    return bytes;
  }

  /** The base64url text form. */
  @Override
  public String toString() {
    return Base64Url.encode(bytes);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Nonce n && Arrays.equals(bytes, n.bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }
}
