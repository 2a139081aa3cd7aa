package org.millicent.purchase;

import java.security.SecureRandom;
import org.jspecify.annotations.Nullable;
import org.millicent.keys.CustomerSecret;
import org.millicent.protocol.Macs;
import org.millicent.protocol.PrivateMessages;
import org.millicent.protocol.SealedBox;
import org.millicent.protocol.Variant;

/**
 * The vendor's half of a reply (docs/PROTOCOL.md, "Reply MAC" and "Private variant"): the signed
 * variant's reply MAC, the private variant's sealed body and change. Shared by purchases and
 * exchanges. Holds the customer secret; never prints it. Immutable and thread-safe.
 */
final class ReplySigner {
  private final @Nullable Variant variant;
  private final byte[] fingerprint;
  private final @Nullable CustomerSecret secret;

  ReplySigner(@Nullable Variant variant, byte[] fingerprint, @Nullable CustomerSecret secret) {
    this.variant = variant;
    this.fingerprint = fingerprint;
    this.secret = secret;
  }

  byte[] replyMac(int status, byte[] change, byte[] responseBodyDigest) {
    if (variant != Variant.SIGNED) {
      throw new IllegalStateException(
          "reply MACs belong to the signed variant, this is " + variant);
    }
    return Macs.mac(secret(), Macs.replyInput(fingerprint, status, change, responseBodyDigest));
  }

  byte[] sealResponse(int status, byte[] body, SecureRandom random) {
    requirePrivate();
    return SealedBox.seal(
        secret().privateKey(), random, PrivateMessages.responseAad(fingerprint, status), body);
  }

  byte[] sealChange(byte[] change, SecureRandom random) {
    requirePrivate();
    return SealedBox.seal(
        secret().privateKey(), random, PrivateMessages.changeAad(fingerprint), change);
  }

  /** The customer secret, which every variant that signs or seals has. */
  private CustomerSecret secret() {
    if (secret == null) {
      throw new IllegalStateException("the " + variant + " variant has no customer secret");
    }
    return secret;
  }

  private void requirePrivate() {
    if (variant != Variant.PRIVATE) {
      throw new IllegalStateException("sealing belongs to the private variant, this is " + variant);
    }
  }

  @Override
  public String toString() {
    return "ReplySigner[" + (variant == null ? "none" : variant.wireName()) + "]";
  }
}
