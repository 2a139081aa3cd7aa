package org.millicent.wallet;

import java.util.Base64;

/** Unpadded base64url, the form of every binary value in the HTTP API. Stateless, thread-safe. */
final class B64 {
  private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
  private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

  private B64() {}

  static String encode(byte[] bytes) {
    return ENCODER.encodeToString(bytes);
  }

  /**
   * Decodes, accepting padding if present.
   *
   * @throws IllegalArgumentException when the text is not base64url
   */
  static byte[] decode(String text) {
    return DECODER.decode(text);
  }
}
