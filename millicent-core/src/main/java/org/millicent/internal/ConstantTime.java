package org.millicent.internal;

import java.security.MessageDigest;

/** The one place MACs and certificates are compared: in time independent of where they differ. */
public final class ConstantTime {
  private ConstantTime() {}

  /** Whether the two arrays hold the same bytes, compared without early exit. */
  public static boolean equal(byte[] expected, byte[] actual) {
    return MessageDigest.isEqual(expected, actual);
  }
}
