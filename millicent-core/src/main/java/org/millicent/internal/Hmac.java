package org.millicent.internal;

import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.jspecify.annotations.Nullable;

/**
 * HMAC-SHA-256 under one fixed key, with a {@link Pool} of initialised {@link Mac}s so the hot path
 * never pays for {@code Mac.getInstance} and {@code init}, also on virtual threads (one per
 * request), where a per-thread cache would be rebuilt for every request. Thread-safe. Has no {@code
 * toString} that could print the key.
 */
public final class Hmac {
  /** The HMAC output length in bytes. */
  public static final int LENGTH = 32;

  private static final String ALGORITHM = "HmacSHA256";
  private static final Pool<Scratch> SCRATCH = new Pool<>(Scratch::new);

  /**
   * A pooled Mac for {@link #oneShot} and the key array it was last keyed with. Re-keying costs a
   * key copy and the pad computation, so a key used twice in a row (a customer secret: request MAC,
   * then reply MAC) is keyed once when the same scratch comes back. The array is compared by
   * identity: no comparison that depends on secret bytes. It stays referenced until the scratch's
   * next key, as the Mac's own pads (derived from it) would anyway.
   */
  private static final class Scratch {
    final Mac mac = newMac();
    byte @Nullable [] key;
  }

  private final SecretKeySpec key;
  private final Pool<Mac> macs;

  /** Prepares HMAC-SHA-256 under a copy of {@code key}. */
  public Hmac(byte[] key) {
    this.key = new SecretKeySpec(key, ALGORITHM);
    this.macs = new Pool<>(() -> initialised(this.key));
  }

  /** The full 32-byte HMAC of {@code data}. */
  public byte[] compute(byte[] data) {
    return compute(data, 0, data.length);
  }

  /** The full 32-byte HMAC of part of {@code data}. */
  public byte[] compute(byte[] data, int off, int len) {
    Mac mac = macs.take();
    try {
      mac.update(data, off, len);
      return mac.doFinal();
    } finally {
      macs.give(mac);
    }
  }

  /**
   * HMAC-SHA-256 under a key used once or a few times in a row (a derived customer secret), with a
   * pooled Mac. The caller must never modify {@code key} after passing it: a pooled Mac is re-keyed
   * only when a different array arrives.
   */
  public static byte[] oneShot(byte[] key, byte[] data) {
    Scratch s = SCRATCH.take();
    try {
      if (s.key != key) {
        s.key = null;
        try {
          s.mac.init(new SecretKeySpec(key, ALGORITHM));
        } catch (InvalidKeyException e) {
          throw new IllegalStateException("HMAC-SHA-256 rejected a key", e);
        }
        s.key = key;
      }
      return s.mac.doFinal(data);
    } finally {
      SCRATCH.give(s);
    }
  }

  private static Mac initialised(SecretKeySpec key) {
    Mac mac = newMac();
    try {
      mac.init(key);
    } catch (InvalidKeyException e) {
      throw new IllegalStateException("HMAC-SHA-256 rejected a key", e);
    }
    return mac;
  }

  private static Mac newMac() {
    try {
      return Mac.getInstance(ALGORITHM);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("this JDK has no HMAC-SHA-256", e);
    }
  }

  /** SHA-256 of {@code data}, with a pooled digest. */
  public static byte[] sha256(byte[] data) {
    java.security.MessageDigest d = SHA256.take();
    try {
      return d.digest(data);
    } finally {
      SHA256.give(d);
    }
  }

  private static final Pool<java.security.MessageDigest> SHA256 =
      new Pool<>(
          () -> {
            try {
              return java.security.MessageDigest.getInstance("SHA-256");
            } catch (GeneralSecurityException e) {
              throw new IllegalStateException("this JDK has no SHA-256", e);
            }
          });
}
