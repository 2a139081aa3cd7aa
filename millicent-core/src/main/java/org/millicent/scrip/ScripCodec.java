package org.millicent.scrip;

import java.time.Instant;
import java.util.TreeMap;
import org.millicent.bytes.Base64Url;
import org.millicent.failure.MalformedException;
import org.millicent.internal.ByteReader;
import org.millicent.internal.ByteWriter;

/**
 * The one canonical binary encoding of scrip, version 2, and its base64url token form
 * (docs/PROTOCOL.md, "Scrip encoding"). Decoding is strict: every piece of scrip has exactly one
 * encoding, and anything else (trailing bytes, bad lengths, unsorted or repeated property keys,
 * unknown version, out-of-range values) fails with {@link MalformedException}. Stateless and
 * thread-safe.
 */
public final class ScripCodec {
  /** The version byte that starts every encoding this code writes or accepts. */
  public static final int VERSION = 2;

  /** Longest possible encoding, a bound for buffers and header sizes. */
  public static final int MAX_ENCODED_LENGTH =
      1
          + 1
          + ScripBody.MAX_VENDOR_LENGTH
          + 8 * 4
          + 1
          + 1
          + ScripProperties.MAX_ENTRIES
              * (2 + ScripProperties.MAX_KEY_LENGTH + ScripProperties.MAX_VALUE_BYTES)
          + Certificate.LENGTH;

  private ScripCodec() {}

  /** The exact bytes the certificate is computed over. */
  public static byte[] encodeBody(ScripBody body) {
    ByteWriter w = new ByteWriter(96);
    writeBody(body, w);
    return w.toByteArray();
  }

  /** The full binary encoding: body then the 16-byte certificate. */
  public static byte[] encode(Scrip scrip) {
    ByteWriter w = new ByteWriter(112);
    writeBody(scrip.body(), w);
    scrip.certificate().writeTo(w);
    return w.toByteArray();
  }

  /** The base64url token of the binary encoding. */
  public static String toToken(Scrip scrip) {
    return Base64Url.encode(encode(scrip));
  }

  private static void writeBody(ScripBody b, ByteWriter w) {
    w.u8(VERSION)
        .string8(b.vendor())
        .u64(b.valueMillicents())
        .u64(b.id().toLong())
        .u64(b.customerId())
        .u64(b.expiresAt().getEpochSecond())
        .u8(b.spend().wireValue())
        .u8(b.properties().entries().size());
    b.properties()
        .entries()
        .forEach(
            (k, v) -> {
              w.string8(k);
              w.string8(v);
            });
  }

  /**
   * Decodes a token.
   *
   * @throws MalformedException when the token is not strict base64url or its bytes are not a valid
   *     encoding
   */
  public static Scrip fromToken(String token) {
    return decode(tokenBytes(token));
  }

  /**
   * The bytes a token stands for, not yet decoded as scrip: how a scrip token in a header or body
   * is read before it is checked.
   *
   * @throws MalformedException when the token is empty, longer than any scrip's or not strict
   *     base64url
   */
  public static byte[] tokenBytes(String token) {
    if (token == null || token.isEmpty()) {
      throw new MalformedException("expected a scrip token, found nothing");
    }
    if (token.length() > (MAX_ENCODED_LENGTH * 4 + 2) / 3) {
      throw new MalformedException(
          "scrip token is " + token.length() + " characters, longer than any scrip");
    }
    try {
      return Base64Url.decode(token);
    } catch (IllegalArgumentException e) {
      throw new MalformedException("scrip token is not base64url: " + e.getMessage(), e);
    }
  }

  /**
   * Decodes the binary encoding.
   *
   * @throws MalformedException when the bytes are not exactly one valid encoding
   */
  public static Scrip decode(byte[] bytes) {
    ByteReader r = new ByteReader(bytes);
    try {
      int version = r.u8("version");
      if (version != VERSION) {
        throw new MalformedException("expected scrip version " + VERSION + ", found " + version);
      }
      int vendorLen = r.u8("vendor length");
      if (vendorLen == 0 || vendorLen > ScripBody.MAX_VENDOR_LENGTH) {
        throw new MalformedException(
            "vendor length must be 1.." + ScripBody.MAX_VENDOR_LENGTH + ", found " + vendorLen);
      }
      String vendor = r.utf8(vendorLen, "vendor");
      long value = r.u64("value");
      long id = r.u64("scrip id");
      long customer = r.u64("customer id");
      long expires = r.u64("expiry");
      int spendByte = r.u8("spend mode");
      SpendMode spend = SpendMode.fromWireValue(spendByte);
      if (spend == null) {
        throw new MalformedException(
            "spend mode must be 1 (bound) or 2 (bearer), found " + spendByte);
      }
      int count = r.u8("property count");
      if (count > ScripProperties.MAX_ENTRIES) {
        throw new MalformedException(
            "at most " + ScripProperties.MAX_ENTRIES + " properties, found " + count);
      }
      TreeMap<String, String> props = new TreeMap<>();
      String previous = null;
      for (int i = 0; i < count; i++) {
        int kl = r.u8("property key length");
        String key = r.utf8(kl, "property key");
        int vl = r.u8("property value length");
        String val = r.utf8(vl, "property value");
        if (previous != null && previous.compareTo(key) >= 0) {
          throw new MalformedException(
              "property keys must be strictly ascending; \""
                  + key
                  + "\" follows \""
                  + previous
                  + '"');
        }
        previous = key;
        props.put(key, val);
      }
      byte[] cert = r.raw(Certificate.LENGTH, "certificate");
      if (r.remaining() != 0) {
        throw new MalformedException(
            "expected the scrip to end after the certificate, found "
                + r.remaining()
                + " more bytes");
      }
      if (expires < 0 || expires > ScripBody.MAX_EXPIRES_AT_EPOCH_SECONDS) {
        throw new MalformedException(
            "expiry " + Long.toUnsignedString(expires) + " is out of range");
      }
      ScripBody body =
          new ScripBody(
              vendor,
              value,
              ScripId.fromLong(id),
              customer,
              Instant.ofEpochSecond(expires),
              new ScripProperties(props),
              spend);
      return new Scrip(body, Certificate.of(cert));
    } catch (ByteReader.Truncated e) {
      throw new MalformedException("scrip encoding is cut short: " + e.getMessage(), e);
    } catch (IllegalArgumentException e) {
      throw new MalformedException("scrip field out of range: " + e.getMessage(), e);
    }
  }
}
