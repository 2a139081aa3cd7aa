package org.millicent.bytes;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import org.jspecify.annotations.Nullable;

/**
 * The one place secrets, MACs, tokens and fingerprints are compared: in time independent of where
 * they differ, so that timing does not reveal how much of a guess was right. Every such comparison
 * in the tree goes through here (a test checks that no other main source calls {@code
 * MessageDigest.isEqual}). Stateless and thread-safe.
 */
@SuppressForbidden // the one wrapper of MessageDigest.isEqual
public final class ConstantTime {
  private ConstantTime() {}

  /**
   * Whether the two arrays hold the same bytes, compared without early exit: the time depends on
   * the lengths only. Two {@code null}s are equal, {@code null} and an array are not.
   */
  public static boolean equal(byte @Nullable [] expected, byte @Nullable [] actual) {
    return MessageDigest.isEqual(expected, actual);
  }

  /**
   * Whether the two texts (tokens) are the same, comparing their UTF-8 bytes without early exit;
   * {@code null} equals nothing.
   */
  public static boolean equal(@Nullable String expected, @Nullable String actual) {
    if (expected == null || actual == null) {
      return false;
    }
    return equal(
        expected.getBytes(StandardCharsets.UTF_8), actual.getBytes(StandardCharsets.UTF_8));
  }
}
