package org.millicent.bytes;

import java.util.Base64;

/** Strict unpadded base64url, the text form of tokens, nonces and MACs in headers. */
@SuppressForbidden // the one wrapper of java.util.Base64
public final class Base64Url {
  private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
  private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

  private Base64Url() {}

  /** Encodes without padding. */
  public static String encode(byte[] b) {
    return ENCODER.encodeToString(b);
  }

  /**
   * Decodes unpadded base64url, accepting exactly one text per byte string.
   *
   * @throws IllegalArgumentException when the text has characters outside the alphabet, padding, or
   *     non-zero unused bits (so that two texts never decode to the same bytes)
   */
  public static byte[] decode(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean ok =
          (c >= 'A' && c <= 'Z')
              || (c >= 'a' && c <= 'z')
              || (c >= '0' && c <= '9')
              || c == '-'
              || c == '_';
      if (!ok) {
        throw new IllegalArgumentException("character " + i + " is not in the base64url alphabet");
      }
    }
    if (s.length() % 4 == 1) {
      throw new IllegalArgumentException("base64url text has an impossible length " + s.length());
    }
    byte[] out = DECODER.decode(s);
    if (!encode(out).equals(s)) {
      throw new IllegalArgumentException("base64url text has non-zero unused bits");
    }
    return out;
  }

  /** Lower-case hexadecimal, for logs of non-secret values and test vectors. */
  public static String hex(byte[] b) {
    return java.util.HexFormat.of().formatHex(b);
  }
}
