package org.millicent.protocol;

import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import org.millicent.failure.ForgedException;
import org.millicent.failure.MalformedException;
import org.millicent.internal.Pool;

/**
 * The sealed-message format of the private variant and of secrets passed on by brokers
 * (docs/PROTOCOL.md, "Sealed messages"): {@code 0x01 || nonce(12) || AES-256-GCM(ciphertext ||
 * tag(16))}. Thread-safe; {@link Cipher}s come from a pool (see {@link Pool}).
 */
public final class SealedBox {
  /** The version byte of the format. */
  public static final int VERSION = 1;

  /** GCM nonce length in bytes. */
  public static final int NONCE_LENGTH = 12;

  /** GCM tag length in bytes. */
  public static final int TAG_LENGTH = 16;

  /** Bytes a sealed message adds to its plaintext. */
  public static final int OVERHEAD = 1 + NONCE_LENGTH + TAG_LENGTH;

  private static final Pool<Cipher> CIPHERS =
      new Pool<>(
          () -> {
            try {
              return Cipher.getInstance("AES/GCM/NoPadding");
            } catch (GeneralSecurityException e) {
              throw new IllegalStateException("this JDK has no AES-GCM", e);
            }
          });

  private SealedBox() {}

  /** Seals under a fresh random nonce. */
  public static byte[] seal(SecretKey key, SecureRandom random, byte[] aad, byte[] plaintext) {
    byte[] nonce = new byte[NONCE_LENGTH];
    random.nextBytes(nonce);
    return seal(key, nonce, aad, plaintext);
  }

  /** Seals under the given 12-byte nonce, which must never repeat under one key. */
  public static byte[] seal(SecretKey key, byte[] nonce, byte[] aad, byte[] plaintext) {
    if (nonce.length != NONCE_LENGTH) {
      throw new IllegalArgumentException("GCM nonce must be 12 bytes");
    }
    Cipher c = CIPHERS.take();
    try {
      c.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_LENGTH * 8, nonce));
      c.updateAAD(aad);
      byte[] out = new byte[1 + NONCE_LENGTH + c.getOutputSize(plaintext.length)];
      out[0] = VERSION;
      System.arraycopy(nonce, 0, out, 1, NONCE_LENGTH);
      c.doFinal(plaintext, 0, plaintext.length, out, 1 + NONCE_LENGTH);
      return out;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM failed to seal", e);
    } finally {
      CIPHERS.give(c);
    }
  }

  /**
   * Opens a sealed message.
   *
   * @throws MalformedException when the message is too short or has an unknown version
   * @throws ForgedException when the tag does not verify (wrong key, altered bytes or wrong AAD)
   */
  public static byte[] open(SecretKey key, byte[] sealed, byte[] aad) {
    if (sealed.length < OVERHEAD) {
      throw new MalformedException(
          "sealed message must be at least " + OVERHEAD + " bytes, found " + sealed.length);
    }
    if (sealed[0] != VERSION) {
      throw new MalformedException(
          "expected sealed message version " + VERSION + ", found " + (sealed[0] & 0xff));
    }
    Cipher c = CIPHERS.take();
    try {
      c.init(
          Cipher.DECRYPT_MODE,
          key,
          new GCMParameterSpec(TAG_LENGTH * 8, Arrays.copyOfRange(sealed, 1, 1 + NONCE_LENGTH)));
      c.updateAAD(aad);
      return c.doFinal(sealed, 1 + NONCE_LENGTH, sealed.length - 1 - NONCE_LENGTH);
    } catch (AEADBadTagException e) {
      throw new ForgedException("sealed message does not verify under the customer key", e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM failed to open", e);
    } finally {
      CIPHERS.give(c);
    }
  }

  /** The GCM tag (last 16 bytes) of a sealed message: a fingerprint of it. */
  public static byte[] tag(byte[] sealed) {
    if (sealed.length < OVERHEAD) {
      throw new MalformedException("sealed message is too short to have a tag");
    }
    return Arrays.copyOfRange(sealed, sealed.length - TAG_LENGTH, sealed.length);
  }
}
