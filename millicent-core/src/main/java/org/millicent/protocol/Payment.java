package org.millicent.protocol;

/**
 * A payment as it arrives at a vendor, in one of the three variants (docs/PROTOCOL.md, "Variants").
 * The HTTP layer parses headers into one of these; the purchase service checks it.
 */
public sealed interface Payment {
  /** The request the payment is for. */
  RequestDescriptor request();

  /**
   * Scrip in the clear with a request nonce.
   *
   * @param scrip the scrip's binary encoding
   * @param nonce fresh per payment, re-sent on retry
   * @param request the request paid for
   */
  record Clear(byte[] scrip, Nonce nonce, RequestDescriptor request) implements Payment {}

  /**
   * Scrip with a request MAC under the customer secret.
   *
   * @param scrip the scrip's binary encoding
   * @param nonce fresh per payment, re-sent on retry
   * @param mac 16-byte request MAC
   * @param request the request paid for
   */
  record Signed(byte[] scrip, Nonce nonce, byte[] mac, RequestDescriptor request)
      implements Payment {}

  /**
   * Scrip and nonce sealed under the customer's private-variant key; only the vendor and customer
   * ID travel in the clear.
   *
   * @param vendor the vendor named in the clear
   * @param customerId the customer ID named in the clear
   * @param sealedPayment the sealed payment plaintext
   * @param request the request paid for (its body digest is over the body as sent, sealed)
   */
  record Private(String vendor, long customerId, byte[] sealedPayment, RequestDescriptor request)
      implements Payment {}
}
