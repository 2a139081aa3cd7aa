package org.millicent.protocol;

import java.util.Arrays;
import java.util.HexFormat;
import org.millicent.internal.Hmac;

/**
 * What a payment is bound to: the authority the customer addressed (scheme, host, port), the HTTP
 * method, the request target (path and query, exactly as sent) and the SHA-256 digest of the
 * request body (docs/PROTOCOL.md, "Request MAC"). Immutable.
 *
 * @param authority the origin the customer addressed, canonical
 * @param method the method in upper case, 1 to 16 ASCII letters
 * @param target the request target, 1 to 4096 UTF-8 bytes, starting with {@code /}
 * @param bodyDigest SHA-256 of the body bytes (of the empty string when there is no body)
 */
public record RequestDescriptor(
    Authority authority, String method, String target, byte[] bodyDigest) {
  private static final byte[] EMPTY_DIGEST = Hmac.sha256(new byte[0]);

  /** Longest target accepted. */
  public static final int MAX_TARGET_BYTES = 4096;

  /** Validates and copies. */
  public RequestDescriptor {
    if (authority == null) {
      throw new IllegalArgumentException("the authority the customer addressed is missing");
    }
    if (method == null || method.isEmpty() || method.length() > 16) {
      throw new IllegalArgumentException("method must be 1..16 characters, was " + method);
    }
    for (int i = 0; i < method.length(); i++) {
      char c = method.charAt(i);
      if (c < 'A' || c > 'Z') {
        throw new IllegalArgumentException("method must be upper-case ASCII letters: " + method);
      }
    }
    if (target == null
        || target.isEmpty()
        || target.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > MAX_TARGET_BYTES) {
      throw new IllegalArgumentException("target must be 1.." + MAX_TARGET_BYTES + " bytes");
    }
    if (bodyDigest == null || bodyDigest.length != 32) {
      throw new IllegalArgumentException("body digest must be 32 bytes of SHA-256");
    }
    bodyDigest = bodyDigest.clone();
  }

  /** A descriptor for a request whose body is {@code body}. */
  public static RequestDescriptor of(
      Authority authority, String method, String target, byte[] body) {
    return new RequestDescriptor(authority, method, target, digest(body));
  }

  /** SHA-256 of {@code body}; the empty body's digest is computed once. */
  public static byte[] digest(byte[] body) {
    return body == null || body.length == 0 ? EMPTY_DIGEST.clone() : Hmac.sha256(body);
  }

  /** A copy of the body digest. */
  @Override
  public byte[] bodyDigest() {
    return bodyDigest.clone();
  }

  byte[] unsafeDigest() {
    return bodyDigest;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RequestDescriptor r
        && authority.equals(r.authority)
        && method.equals(r.method)
        && target.equals(r.target)
        && Arrays.equals(bodyDigest, r.bodyDigest);
  }

  @Override
  public int hashCode() {
    return ((authority.hashCode() * 31 + method.hashCode()) * 31 + target.hashCode()) * 31
        + Arrays.hashCode(bodyDigest);
  }

  @Override
  public String toString() {
    return method + " " + authority + target + " sha256=" + HexFormat.of().formatHex(bodyDigest);
  }
}
