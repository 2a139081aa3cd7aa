package org.millicent.protocol;

import java.nio.charset.StandardCharsets;
import org.millicent.failure.MalformedException;
import org.millicent.internal.ByteReader;
import org.millicent.internal.ByteWriter;

/**
 * The additional data and plaintext layouts of the private variant (docs/PROTOCOL.md, "Private
 * variant"). Every sealed message's AAD starts with its own label, so no sealed message can be
 * replayed in another role. Stateless and thread-safe.
 */
public final class PrivateMessages {
  /** Label of the sealed payment's AAD. */
  public static final byte[] PAYMENT_LABEL =
      "millicent-private-payment-v2".getBytes(StandardCharsets.US_ASCII);

  /** Label of the sealed request body's AAD. */
  public static final byte[] REQUEST_BODY_LABEL =
      "millicent-private-request-body-v2".getBytes(StandardCharsets.US_ASCII);

  /** Label of the sealed response body's AAD. */
  public static final byte[] RESPONSE_LABEL =
      "millicent-private-response-v2".getBytes(StandardCharsets.US_ASCII);

  /** Label of the sealed change's AAD. */
  public static final byte[] CHANGE_LABEL =
      "millicent-private-change-v2".getBytes(StandardCharsets.US_ASCII);

  /** Label of a customer secret sealed for transport by a broker. */
  public static final byte[] SECRET_LABEL =
      "millicent-sealed-secret-v2".getBytes(StandardCharsets.US_ASCII);

  private PrivateMessages() {}

  /**
   * AAD of a sealed payment: label, vendor (u8 length), customer ID (u64), the authority the
   * customer addressed, method (u8 length), target (u16 length), and the SHA-256 of the request
   * body exactly as sent (sealed).
   */
  public static byte[] paymentAad(String vendor, long customerId, RequestDescriptor request) {
    return new ByteWriter(128)
        .raw(PAYMENT_LABEL)
        .string8(vendor)
        .u64(customerId)
        .raw(request.authority().encode())
        .string8(request.method())
        .string16(request.target())
        .raw(request.unsafeDigest())
        .toByteArray();
  }

  /** Plaintext of a sealed payment: u16 scrip length, scrip encoding, 16-byte request nonce. */
  public static byte[] paymentPlaintext(byte[] scrip, Nonce nonce) {
    return new ByteWriter(scrip.length + 18).bytes16(scrip).raw(nonce.unsafeBytes()).toByteArray();
  }

  /** The scrip encoding and nonce of an opened payment plaintext. */
  public record OpenedPayment(byte[] scrip, Nonce nonce) {}

  /**
   * Splits an opened payment plaintext.
   *
   * @throws MalformedException when the layout is wrong
   */
  public static OpenedPayment parsePaymentPlaintext(byte[] plaintext) {
    ByteReader r = new ByteReader(plaintext);
    try {
      int n = r.u16("scrip length");
      byte[] scrip = r.raw(n, "scrip");
      Nonce nonce = Nonce.of(r.raw(Nonce.LENGTH, "nonce"));
      if (r.remaining() != 0) {
        throw new MalformedException("sealed payment has " + r.remaining() + " trailing bytes");
      }
      return new OpenedPayment(scrip, nonce);
    } catch (ByteReader.Truncated e) {
      throw new MalformedException("sealed payment is cut short: " + e.getMessage(), e);
    }
  }

  /** AAD of a sealed request body: label, vendor, customer ID. */
  public static byte[] requestBodyAad(String vendor, long customerId) {
    return new ByteWriter(64).raw(REQUEST_BODY_LABEL).string8(vendor).u64(customerId).toByteArray();
  }

  /** AAD of a sealed response body: label, payment tag (16 bytes), u16 status. */
  public static byte[] responseAad(byte[] paymentTag, int status) {
    return new ByteWriter(64).raw(RESPONSE_LABEL).raw(paymentTag).u16(status).toByteArray();
  }

  /** AAD of sealed change: label, payment tag (16 bytes). */
  public static byte[] changeAad(byte[] paymentTag) {
    return new ByteWriter(64).raw(CHANGE_LABEL).raw(paymentTag).toByteArray();
  }

  /**
   * AAD of a vendor customer secret sealed under a broker customer secret: label, vendor, customer
   * ID.
   */
  public static byte[] secretAad(String vendor, long customerId) {
    return new ByteWriter(64).raw(SECRET_LABEL).string8(vendor).u64(customerId).toByteArray();
  }
}
