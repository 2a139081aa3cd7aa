package org.millicent.vendor;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.jspecify.annotations.Nullable;
import org.millicent.bytes.Base64Url;
import org.millicent.bytes.ConstantTime;
import org.millicent.protocol.Headers;
import org.millicent.protocol.Variant;

/**
 * The {@code Millicent-Paid-*} headers a vendor gateway sends its origin with a paid request, and
 * their verification by the origin (docs/ORIGIN.md): what was paid, when, for which method and
 * target, and an HMAC-SHA-256 over a canonical form of all of it under a key shared with the
 * origin. An origin written in Java verifies with {@link #verify}; one in another language follows
 * docs/ORIGIN.md. Stateless and thread-safe.
 *
 * <p>HMAC comes from the JDK ({@code javax.crypto.Mac}): the core's pooled HMAC is internal to its
 * module, and this class is also meant for origins that load only it.
 */
public final class PaidHeaders {
  /** When the gateway signed, in Unix seconds from its clock. */
  public static final String TIMESTAMP = Headers.PAID_PREFIX + "Timestamp";

  /** The method of the request forwarded to the origin. */
  public static final String METHOD = Headers.PAID_PREFIX + "Method";

  /** The request target (path and query) the origin is sent. */
  public static final String TARGET = Headers.PAID_PREFIX + "Target";

  /** The price charged, in millicents (decimal). */
  public static final String PRICE = Headers.PAID_PREFIX + "Price";

  /** The customer ID of the spent scrip (unsigned decimal). */
  public static final String CUSTOMER_ID = Headers.PAID_PREFIX + "Customer-Id";

  /** The scrip's properties: {@code key=value&...}, sorted, percent-encoded ({@link #encode}). */
  public static final String PROPERTIES = Headers.PAID_PREFIX + "Properties";

  /** The spent scrip's ID, {@code keyId:serial}. */
  public static final String SCRIP_ID = Headers.PAID_PREFIX + "Scrip-Id";

  /** The protocol variant: {@code clear}, {@code signed} or {@code private}. */
  public static final String VARIANT = Headers.PAID_PREFIX + "Variant";

  /** The payment ID (base64url): the same for a replay, an idempotency key for the origin. */
  public static final String PAYMENT_ID = Headers.PAID_PREFIX + "Payment-Id";

  /** {@code true} for an identical retry of a request already charged, else {@code false}. */
  public static final String REPLAY = Headers.PAID_PREFIX + "Replay";

  /** Base64url (unpadded) of the HMAC-SHA-256 of {@link #canonicalForm} under the shared key. */
  public static final String SIGNATURE = Headers.PAID_PREFIX + "Signature";

  /** The signed headers, in the order of the canonical form. */
  public static final List<String> SIGNED =
      List.of(
          TIMESTAMP,
          METHOD,
          TARGET,
          PRICE,
          CUSTOMER_ID,
          PROPERTIES,
          SCRIP_ID,
          VARIANT,
          PAYMENT_ID,
          REPLAY);

  /** The first line of the canonical form: names the format and its version. */
  public static final String FORMAT = "millicent-paid-v1";

  /** The shortest key accepted, in bytes. */
  public static final int MIN_KEY_BYTES = 32;

  private static final String HMAC = "HmacSHA256";

  private PaidHeaders() {}

  /**
   * The headers that tell an origin about {@code payment}, signature last, in order.
   *
   * @param method the method forwarded to the origin
   * @param target the request target the origin receives (its path and query, as sent)
   * @param epochSeconds the time of signing, Unix seconds
   * @param key the key shared with the origin, at least {@value #MIN_KEY_BYTES} bytes
   */
  public static Map<String, String> sign(
      VerifiedPayment payment, String method, String target, long epochSeconds, byte[] key) {
    List<String> values =
        List.of(
            Long.toString(epochSeconds),
            method,
            target,
            Long.toString(payment.priceMillicents()),
            Long.toUnsignedString(payment.customerId()),
            encode(payment.properties()),
            payment.scripId(),
            payment.variant().wireName(),
            payment.paymentId(),
            Boolean.toString(payment.replay()));
    Map<String, String> out = new LinkedHashMap<>();
    for (int i = 0; i < SIGNED.size(); i++) {
      out.put(SIGNED.get(i), values.get(i));
    }
    out.put(SIGNATURE, Base64Url.encode(hmac(key, canonicalForm(values))));
    return out;
  }

  /**
   * The bytes the signature covers: the line {@value #FORMAT}, then for each of the {@link #SIGNED}
   * header values in that order its length in bytes (decimal), a colon, the value and a line feed,
   * all ASCII. The length prefix makes it unambiguous whatever a value holds.
   *
   * @param values the ten values, in the order of {@link #SIGNED}
   */
  public static byte[] canonicalForm(List<String> values) {
    if (values.size() != SIGNED.size()) {
      throw new IllegalArgumentException(
          "expected " + SIGNED.size() + " values, found " + values.size());
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(256);
    out.writeBytes((FORMAT + "\n").getBytes(StandardCharsets.US_ASCII));
    for (String v : values) {
      byte[] b = v.getBytes(StandardCharsets.UTF_8);
      out.writeBytes((b.length + ":").getBytes(StandardCharsets.US_ASCII));
      out.writeBytes(b);
      out.write('\n');
    }
    return out.toByteArray();
  }

  /**
   * Properties as one header value: {@code key=value} pairs sorted by key and joined by {@code &},
   * each key and value percent-encoded as UTF-8 with every byte but {@code A-Z a-z 0-9 - . _ ~}
   * written {@code %XX} (upper-case hex); empty for none. One map has exactly one encoding.
   */
  public static String encode(Map<String, String> properties) {
    StringBuilder sb = new StringBuilder();
    for (Map.Entry<String, String> e : new TreeMap<>(properties).entrySet()) {
      if (!sb.isEmpty()) {
        sb.append('&');
      }
      sb.append(percent(e.getKey())).append('=').append(percent(e.getValue()));
    }
    return sb.toString();
  }

  /**
   * Verifies the {@code Millicent-Paid-*} headers of a request an origin received and returns what
   * was paid. Checks, in order: every signed header and the signature present once, in visible
   * ASCII; the signature over the canonical form under {@code key} (compared in constant time); the
   * timestamp within {@code maxAge} of {@code clock}'s time, either way; the signed method and
   * target equal to the request's; and each value well-formed.
   *
   * @param method the method of the request the origin received
   * @param target its request target (path and query, as received)
   * @param headers its headers, names in any case
   * @param key the key shared with the gateway
   * @param clock the origin's clock
   * @param maxAge how far the timestamp may lie from the origin's time (clock skew and transit)
   * @throws Invalid naming the first check that failed
   * @throws IllegalArgumentException when {@code key} is shorter than {@value #MIN_KEY_BYTES} bytes
   */
  public static VerifiedPayment verify(
      String method,
      String target,
      Map<String, List<String>> headers,
      byte[] key,
      InstantSource clock,
      Duration maxAge)
      throws Invalid {
    List<String> values = new ArrayList<>(SIGNED.size());
    for (String name : SIGNED) {
      values.add(single(headers, name));
    }
    byte[] signature;
    try {
      signature = Base64Url.decode(single(headers, SIGNATURE));
    } catch (IllegalArgumentException e) {
      throw new Invalid(Reason.MALFORMED, SIGNATURE + " is not base64url");
    }
    if (!ConstantTime.equal(hmac(key, canonicalForm(values)), signature)) {
      throw new Invalid(Reason.BAD_SIGNATURE, "the signature does not match the headers");
    }
    long at = number(values.get(0), TIMESTAMP);
    long now = clock.instant().getEpochSecond();
    if (Math.abs(now - at) > maxAge.toSeconds()) {
      throw new Invalid(
          Reason.EXPIRED, "signed at " + at + ", " + (now - at) + " s from now; allowed " + maxAge);
    }
    if (!values.get(1).equals(method) || !values.get(2).equals(target)) {
      throw new Invalid(
          Reason.OTHER_REQUEST,
          "signed for "
              + values.get(1)
              + " "
              + values.get(2)
              + ", received "
              + method
              + " "
              + target);
    }
    Variant variant = Variant.fromWireName(values.get(7));
    if (variant == null || !values.get(9).matches("true|false")) {
      throw new Invalid(Reason.MALFORMED, VARIANT + " or " + REPLAY + " is not a known value");
    }
    long customer;
    try {
      customer = Long.parseUnsignedLong(values.get(4));
    } catch (NumberFormatException e) {
      throw new Invalid(Reason.MALFORMED, CUSTOMER_ID + " is not an unsigned 64-bit decimal");
    }
    return new VerifiedPayment(
        number(values.get(3), PRICE),
        customer,
        decode(values.get(5)),
        values.get(6),
        variant,
        values.get(8),
        Boolean.parseBoolean(values.get(9)));
  }

  /** Why {@link #verify} refused a request's headers. */
  public enum Reason {
    /** A signed header or the signature is absent or repeated. */
    MISSING,
    /** A value is not visible ASCII, the signature not base64url, or a value not of its form. */
    MALFORMED,
    /** The signature does not match: a wrong key, or a value changed after signing. */
    BAD_SIGNATURE,
    /** The timestamp lies further than the allowed age from the origin's time. */
    EXPIRED,
    /** The signature covers another method or target than the request's. */
    OTHER_REQUEST
  }

  /** Headers that do not prove a paid request; the message says which check failed. */
  public static final class Invalid extends Exception {
    private static final long serialVersionUID = 1L;

    /** The failed check. */
    private final Reason reason;

    Invalid(Reason reason, String message) {
      super(reason.name().toLowerCase(java.util.Locale.ROOT) + ": " + message);
      this.reason = reason;
    }

    /** The failed check. */
    public Reason reason() {
      return reason;
    }
  }

  private static String single(Map<String, List<String>> headers, String name) throws Invalid {
    @Nullable String found = null;
    int count = 0;
    for (Map.Entry<String, List<String>> h : headers.entrySet()) {
      if (h.getKey() != null && h.getKey().equalsIgnoreCase(name)) {
        for (String v : h.getValue()) {
          found = v;
          count++;
        }
      }
    }
    if (count != 1 || found == null) {
      throw new Invalid(Reason.MISSING, name + " expected once, found " + count + " times");
    }
    for (int i = 0; i < found.length(); i++) {
      char c = found.charAt(i);
      if (c < 0x20 || c > 0x7e) {
        throw new Invalid(Reason.MALFORMED, name + " holds a character outside visible ASCII");
      }
    }
    return found;
  }

  private static long number(String v, String name) throws Invalid {
    if (!v.matches("0|[1-9][0-9]{0,17}")) {
      throw new Invalid(Reason.MALFORMED, name + " is not a decimal below 10^18");
    }
    return Long.parseLong(v);
  }

  private static SortedMap<String, String> decode(String v) throws Invalid {
    SortedMap<String, String> out = new TreeMap<>();
    if (!v.isEmpty()) {
      for (String pair : v.split("&", -1)) {
        int eq = pair.indexOf('=');
        if (eq < 0) {
          throw new Invalid(Reason.MALFORMED, PROPERTIES + " holds a pair without '='");
        }
        out.put(unpercent(pair.substring(0, eq)), unpercent(pair.substring(eq + 1)));
      }
    }
    if (!encode(out).equals(v)) { // one map, one encoding: nothing else is accepted
      throw new Invalid(Reason.MALFORMED, PROPERTIES + " is not in its canonical encoding");
    }
    return out;
  }

  private static String percent(String s) {
    StringBuilder sb = new StringBuilder();
    for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xff;
      if ((c >= 'A' && c <= 'Z')
          || (c >= 'a' && c <= 'z')
          || (c >= '0' && c <= '9')
          || c == '-'
          || c == '.'
          || c == '_'
          || c == '~') {
        sb.append((char) c);
      } else {
        sb.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)));
        sb.append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
      }
    }
    return sb.toString();
  }

  private static String unpercent(String s) throws Invalid {
    ByteArrayOutputStream out = new ByteArrayOutputStream(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '%') {
        int hi = i + 2 < s.length() ? Character.digit(s.charAt(i + 1), 16) : -1;
        int lo = hi < 0 ? -1 : Character.digit(s.charAt(i + 2), 16);
        if (lo < 0) {
          throw new Invalid(Reason.MALFORMED, PROPERTIES + " holds a bad %-escape");
        }
        out.write(hi << 4 | lo);
        i += 2;
      } else {
        out.write(c);
      }
    }
    // Invalid UTF-8 decodes to U+FFFD, whose encoding differs from the input: refused by decode.
    return out.toString(StandardCharsets.UTF_8);
  }

  private static byte[] hmac(byte[] key, byte[] data) {
    if (key.length < MIN_KEY_BYTES) {
      throw new IllegalArgumentException(
          "a Millicent-Paid key needs at least " + MIN_KEY_BYTES + " bytes, found " + key.length);
    }
    try {
      Mac mac = Mac.getInstance(HMAC);
      mac.init(new SecretKeySpec(key, HMAC));
      return mac.doFinal(data);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("this JDK has no usable HMAC-SHA-256", e);
    }
  }
}
