package org.millicent.keys;

import java.security.GeneralSecurityException;
import java.util.Arrays;
import javax.crypto.KDF;
import javax.crypto.SecretKey;
import javax.crypto.spec.HKDFParameterSpec;
import org.jspecify.annotations.Nullable;
import org.millicent.bytes.ConstantTime;
import org.millicent.internal.Hmac;

/**
 * The secret a customer shares with one vendor: PRF(customer master secret, vendor and customer
 * ID). It keys the request and reply MACs and, through HKDF, the private variant's AES-256-GCM key
 * (docs/PROTOCOL.md, "Customer secret" and "Private variant"). Immutable and thread-safe; never
 * printed.
 */
public final class CustomerSecret {
  /** Length in bytes. */
  public static final int LENGTH = 32;

  /** HKDF salt of the private-variant key derivation. */
  public static final byte[] PRIVATE_KEY_SALT =
      "millicent-private-v2".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

  /** HKDF info of the private-variant key derivation. */
  public static final byte[] PRIVATE_KEY_INFO =
      "aes-256-gcm key".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

  private final byte[] secret;
  private volatile @Nullable SecretKey privateKey;

  private CustomerSecret(byte[] secret) {
    this.secret = secret;
  }

  /**
   * Wraps a copy of a 32-byte secret, as received (sealed) from a broker.
   *
   * @throws IllegalArgumentException when the length is not 32
   */
  public static CustomerSecret of(byte[] secret) {
    if (secret.length != LENGTH) {
      throw new IllegalArgumentException(
          "customer secret must be " + LENGTH + " bytes, was " + secret.length);
    }
    return new CustomerSecret(secret.clone());
  }

  static CustomerSecret wrap(byte[] secret) {
    return new CustomerSecret(secret);
  }

  /** HMAC-SHA-256 of {@code input} under this secret, all 32 bytes. */
  public byte[] hmac(byte[] input) {
    return Hmac.oneShot(secret, input);
  }

  /** The AES-256-GCM key of the private variant: HKDF-SHA256(salt, secret, info), 32 bytes. */
  public SecretKey privateKey() {
    SecretKey k = privateKey;
    if (k == null) {
      try {
        KDF hkdf = KDF.getInstance("HKDF-SHA256");
        k =
            hkdf.deriveKey(
                "AES",
                HKDFParameterSpec.ofExtract()
                    .addIKM(secret)
                    .addSalt(PRIVATE_KEY_SALT)
                    .thenExpand(PRIVATE_KEY_INFO, 32));
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("HKDF-SHA256 is not available", e);
      }
      privateKey = k;
    }
    return k;
  }

  /** A copy of the secret bytes, to hand to the customer sealed or to store; never log them. */
  public byte[] toByteArray() {
    return secret.clone();
  }

  /** Whether both are the same secret, compared in constant time. */
  public boolean sameAs(CustomerSecret other) {
    return ConstantTime.equal(secret, other.secret);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof CustomerSecret c && sameAs(c);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(new int[] {LENGTH});
  }

  /** Never prints the secret. */
  @Override
  public String toString() {
    return "CustomerSecret[redacted]";
  }
}
