package org.millicent.protocol;

import java.util.LinkedHashMap;
import java.util.Map;
import org.millicent.failure.MalformedException;
import org.millicent.scrip.ScripCodec;

/**
 * The {@code Authorization: Millicent ...} header that carries a payment, in each variant
 * (docs/PROTOCOL.md, "HTTP binding"). Stateless and thread-safe.
 */
public final class PaymentHeader {
  /** Protocol version carried in {@code v=}. */
  public static final String VERSION = "2";

  private PaymentHeader() {}

  /** Formats the header value for a payment. */
  public static String format(Payment payment) {
    Map<String, String> p = new LinkedHashMap<>();
    p.put("v", VERSION);
    switch (payment) {
      case Payment.Clear c -> {
        p.put("variant", Variant.CLEAR.wireName());
        p.put("scrip", AuthParams.bytesText(c.scrip()));
        p.put("nonce", c.nonce().toString());
      }
      case Payment.Signed s -> {
        p.put("variant", Variant.SIGNED.wireName());
        p.put("scrip", AuthParams.bytesText(s.scrip()));
        p.put("nonce", s.nonce().toString());
        p.put("mac", AuthParams.bytesText(s.mac()));
      }
      case Payment.Private v -> {
        p.put("variant", Variant.PRIVATE.wireName());
        p.put("vendor", v.vendor());
        p.put("customer", Long.toUnsignedString(v.customerId()));
        p.put("payment", AuthParams.bytesText(v.sealedPayment()));
      }
    }
    return AuthParams.format(p);
  }

  /**
   * Parses a header value into a payment for {@code request}.
   *
   * @throws MalformedException when the header is not a well-formed Millicent payment
   */
  public static Payment parse(String header, RequestDescriptor request) {
    Map<String, String> p = AuthParams.parse(header);
    AuthParams.requireVersion(p);
    String variantName = AuthParams.require(p, "variant");
    Variant variant = Variant.fromWireName(variantName);
    if (variant == null) {
      throw new MalformedException("unknown variant \"" + variantName + '"');
    }
    return switch (variant) {
      case CLEAR ->
          new Payment.Clear(scripBytes(p), Nonce.parse(AuthParams.require(p, "nonce")), request);
      case SIGNED ->
          new Payment.Signed(
              scripBytes(p), Nonce.parse(AuthParams.require(p, "nonce")), bytes(p, "mac"), request);
      case PRIVATE -> {
        long customer;
        try {
          customer = Long.parseUnsignedLong(AuthParams.require(p, "customer"));
        } catch (NumberFormatException e) {
          throw new MalformedException("customer is not an unsigned 64-bit decimal", e);
        }
        yield new Payment.Private(
            AuthParams.require(p, "vendor"), customer, bytes(p, "payment"), request);
      }
    };
  }

  private static byte[] scripBytes(Map<String, String> p) {
    return ScripCodec.tokenBytes(AuthParams.require(p, "scrip"));
  }

  private static byte[] bytes(Map<String, String> p, String name) {
    return AuthParams.requireBytes(p, name, AuthParams.MAX_LENGTH);
  }
}
