package org.millicent.vendor;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** Checks the Millicent-Paid-* headers of a request with the JDK only (docs/ORIGIN.md). */
final class PaidCheck {
  static final List<String> SIGNED =
      List.of(
          "Timestamp",
          "Method",
          "Target",
          "Price",
          "Customer-Id",
          "Properties",
          "Scrip-Id",
          "Variant",
          "Payment-Id",
          "Replay");

  /**
   * The signed values by name ("Price" -> "250"), or a SecurityException.
   *
   * @param header a request header's value by name (any case), null when absent
   */
  static Map<String, String> verify(
      String method,
      String target,
      UnaryOperator<String> header,
      byte[] key,
      long nowSeconds,
      long maxAgeSeconds)
      throws GeneralSecurityException {
    ByteArrayOutputStream canonical = new ByteArrayOutputStream();
    canonical.writeBytes("millicent-paid-v1\n".getBytes(StandardCharsets.US_ASCII));
    Map<String, String> values = new LinkedHashMap<>();
    for (String name : SIGNED) {
      String v = header.apply("Millicent-Paid-" + name);
      if (v == null) {
        throw new SecurityException("no Millicent-Paid-" + name);
      }
      byte[] b = v.getBytes(StandardCharsets.UTF_8);
      canonical.writeBytes((b.length + ":").getBytes(StandardCharsets.US_ASCII));
      canonical.writeBytes(b);
      canonical.write('\n');
      values.put(name, v);
    }
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(key, "HmacSHA256"));
    byte[] expected = mac.doFinal(canonical.toByteArray());
    String signature = header.apply("Millicent-Paid-Signature");
    byte[] given;
    try {
      given = Base64.getUrlDecoder().decode(signature == null ? "" : signature);
    } catch (IllegalArgumentException e) {
      given = new byte[0];
    }
    if (!MessageDigest.isEqual(expected, given)) {
      throw new SecurityException("Millicent-Paid-Signature does not match");
    }
    long at = Long.parseLong(values.get("Timestamp"));
    if (Math.abs(nowSeconds - at) > maxAgeSeconds) {
      throw new SecurityException("signed at " + at + ", too far from now");
    }
    if (!values.get("Method").equals(method) || !values.get("Target").equals(target)) {
      throw new SecurityException("signed for another request");
    }
    return values;
  }
}
