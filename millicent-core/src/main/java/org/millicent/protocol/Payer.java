package org.millicent.protocol;

import java.security.SecureRandom;
import java.util.Optional;
import org.millicent.failure.ForgedException;
import org.millicent.failure.MalformedException;
import org.millicent.keys.CustomerSecret;
import org.millicent.scrip.Scrip;
import org.millicent.scrip.ScripCodec;

/**
 * The customer's side of the protocol: makes payments in each variant and checks what comes back
 * (docs/PROTOCOL.md, "Variants"). Stateless and thread-safe.
 */
public final class Payer {
  private Payer() {}

  /** A clear payment: the scrip and a nonce. */
  public static Payment.Clear clear(Scrip scrip, Nonce nonce, RequestDescriptor request) {
    return new Payment.Clear(ScripCodec.encode(scrip), nonce, request);
  }

  /** A signed payment: scrip, nonce and the request MAC under the customer secret. */
  public static Payment.Signed signed(
      Scrip scrip, CustomerSecret secret, Nonce nonce, RequestDescriptor request) {
    byte[] encoded = ScripCodec.encode(scrip);
    byte[] mac = Macs.mac(secret, Macs.requestInput(encoded, nonce, request));
    return new Payment.Signed(encoded, nonce, mac, request);
  }

  /**
   * A private payment: scrip and nonce sealed under the customer's private key. {@code request}
   * must carry the digest of the body as it will be sent (sealed with {@link #sealRequestBody}).
   */
  public static Payment.Private sealed(
      Scrip scrip,
      CustomerSecret secret,
      Nonce nonce,
      RequestDescriptor request,
      SecureRandom random) {
    byte[] aad = PrivateMessages.paymentAad(scrip.vendor(), scrip.customerId(), request);
    byte[] sealedPayment =
        SealedBox.seal(
            secret.privateKey(),
            random,
            aad,
            PrivateMessages.paymentPlaintext(ScripCodec.encode(scrip), nonce));
    return new Payment.Private(scrip.vendor(), scrip.customerId(), sealedPayment, request);
  }

  /** Seals a request body for the private variant. */
  public static byte[] sealRequestBody(
      CustomerSecret secret, String vendor, long customerId, byte[] body, SecureRandom random) {
    return SealedBox.seal(
        secret.privateKey(), random, PrivateMessages.requestBodyAad(vendor, customerId), body);
  }

  /** Opens a request body sealed with {@link #sealRequestBody}. */
  public static byte[] openRequestBody(
      CustomerSecret secret, String vendor, long customerId, byte[] sealed) {
    return SealedBox.open(
        secret.privateKey(), sealed, PrivateMessages.requestBodyAad(vendor, customerId));
  }

  /**
   * Checks the reply MAC of a signed purchase and returns the change it vouches for.
   *
   * @param requestMac the MAC the customer sent
   * @param change the change encoding from the response (empty when none)
   * @throws ForgedException when the reply MAC does not verify
   * @throws MalformedException when the change does not decode
   */
  public static Optional<Scrip> verifySignedReply(
      CustomerSecret secret,
      byte[] requestMac,
      int status,
      byte[] change,
      byte[] responseBodyDigest,
      byte[] replyMac) {
    Macs.verify(
        secret, Macs.replyInput(requestMac, status, change, responseBodyDigest), replyMac, "reply");
    return change.length == 0 ? Optional.empty() : Optional.of(ScripCodec.decode(change));
  }

  /**
   * Checks the receipt of a signed payment's answer and returns the change it vouches for.
   *
   * @param requestMac the MAC the customer sent
   * @param responseBody the response body exactly as received
   * @throws ForgedException when the reply MAC does not verify
   * @throws MalformedException when the change does not decode
   */
  public static Optional<Scrip> verifySignedReceipt(
      CustomerSecret secret, byte[] requestMac, int status, Receipt receipt, byte[] responseBody) {
    return verifySignedReply(
        secret,
        requestMac,
        status,
        receipt.change(),
        RequestDescriptor.digest(responseBody),
        receipt.mac());
  }

  /**
   * Opens the sealed change of a private purchase.
   *
   * @throws ForgedException when it does not verify
   */
  public static Optional<Scrip> openChange(
      CustomerSecret secret, Payment.Private payment, byte[] sealedChange) {
    byte[] plain =
        SealedBox.open(
            secret.privateKey(),
            sealedChange,
            PrivateMessages.changeAad(SealedBox.tag(payment.sealedPayment())));
    return plain.length == 0 ? Optional.empty() : Optional.of(ScripCodec.decode(plain));
  }

  /**
   * Opens the sealed response body of a private purchase.
   *
   * @throws ForgedException when it does not verify
   */
  public static byte[] openResponse(
      CustomerSecret secret, Payment.Private payment, int status, byte[] sealedBody) {
    return SealedBox.open(
        secret.privateKey(),
        sealedBody,
        PrivateMessages.responseAad(SealedBox.tag(payment.sealedPayment()), status));
  }

  /** Seals a customer secret for transport under a key the customer already holds. */
  public static byte[] sealSecret(
      CustomerSecret transportKey,
      String vendor,
      long customerId,
      CustomerSecret secret,
      SecureRandom random) {
    return SealedBox.seal(
        transportKey.privateKey(),
        random,
        PrivateMessages.secretAad(vendor, customerId),
        secret.toByteArray());
  }

  /**
   * Opens a customer secret sealed with {@link #sealSecret}.
   *
   * @throws ForgedException when it does not verify under {@code transportKey}
   */
  public static CustomerSecret openSecret(
      CustomerSecret transportKey, String vendor, long customerId, byte[] sealed) {
    return CustomerSecret.of(
        SealedBox.open(
            transportKey.privateKey(), sealed, PrivateMessages.secretAad(vendor, customerId)));
  }
}
