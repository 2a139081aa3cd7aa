package org.millicent.protocol;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.millicent.bytes.ConstantTime;
import org.millicent.failure.ForgedException;
import org.millicent.internal.ByteWriter;
import org.millicent.keys.CustomerSecret;

/**
 * The request and reply MACs of the signed variant (docs/PROTOCOL.md, "Request MAC" and "Reply
 * MAC"): HMAC-SHA-256 under the customer secret over a labelled, length-prefixed input, truncated
 * to 16 bytes. Stateless and thread-safe.
 */
public final class Macs {
  /** Length of a request or reply MAC in bytes. */
  public static final int LENGTH = 16;

  /** Label that starts every request MAC input. */
  public static final byte[] REQUEST_LABEL =
      "millicent-request-v2".getBytes(StandardCharsets.US_ASCII);

  /** Label that starts every reply MAC input. */
  public static final byte[] REPLY_LABEL = "millicent-reply-v2".getBytes(StandardCharsets.US_ASCII);

  private Macs() {}

  /**
   * The exact request MAC input: label, u16 scrip length, scrip encoding, 16-byte nonce, the
   * authority ({@code str8(scheme) ‖ str8(host) ‖ u16(port)}), u8 method length, method, u16 target
   * length, target, 32-byte body digest.
   */
  public static byte[] requestInput(byte[] scrip, Nonce nonce, RequestDescriptor request) {
    // Exact for an ASCII target (the usual case); a longer UTF-8 target makes the writer grow.
    return new ByteWriter(
            REQUEST_LABEL.length
                + 2
                + scrip.length
                + Nonce.LENGTH
                + request.authority().encodedLength()
                + 1
                + request.method().length()
                + 2
                + request.target().length()
                + 32)
        .raw(REQUEST_LABEL)
        .bytes16(scrip)
        .raw(nonce.unsafeBytes())
        .raw(request.authority().encode())
        .string8(request.method())
        .string16(request.target())
        .raw(request.unsafeDigest())
        .toByteArray();
  }

  /**
   * The exact reply MAC input: label, 16-byte request MAC, u16 status, u16 change length, change
   * encoding (empty when there is no change), 32-byte response body digest.
   */
  public static byte[] replyInput(byte[] requestMac, int status, byte[] change, byte[] bodyDigest) {
    if (requestMac.length != LENGTH || bodyDigest.length != 32) {
      throw new IllegalArgumentException("request MAC must be 16 bytes and body digest 32");
    }
    return new ByteWriter(REPLY_LABEL.length + LENGTH + 2 + 2 + change.length + 32)
        .raw(REPLY_LABEL)
        .raw(requestMac)
        .u16(status)
        .bytes16(change)
        .raw(bodyDigest)
        .toByteArray();
  }

  /** The 16-byte MAC of {@code input} under {@code secret}. */
  public static byte[] mac(CustomerSecret secret, byte[] input) {
    return Arrays.copyOf(secret.hmac(input), LENGTH);
  }

  /**
   * Checks a MAC in constant time.
   *
   * @throws ForgedException when it does not match
   */
  public static void verify(CustomerSecret secret, byte[] input, byte[] mac, String what) {
    if (mac.length != LENGTH || !ConstantTime.equal(mac(secret, input), mac)) {
      throw new ForgedException(what + " MAC does not verify under the customer secret");
    }
  }
}
