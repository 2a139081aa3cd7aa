package org.millicent.protocol;

import java.util.LinkedHashMap;
import java.util.Map;
import org.millicent.failure.MalformedException;
import org.millicent.scrip.ScripCodec;

/**
 * The receipt of an accepted payment, carried by {@code Millicent-Receipt: Millicent ...}
 * (docs/HTTP-API.md, "Paying"): the variant paid in, the price charged, the change and the reply
 * MAC. Made by the purchase, exchange or recovery that was paid ({@code org.millicent.purchase});
 * servers only write it, wallets parse it and check it with {@link Payer}. Immutable and
 * thread-safe; holds no secret.
 *
 * <p>Written in the order {@code v, variant, price, change, mac}, the last two only when non-empty.
 * {@code change} is the change's scrip token (clear, signed) or base64url of the sealed change
 * (private, always present); {@code mac} is base64url of the signed variant's reply MAC.
 */
public final class Receipt {
  /** The longest sealed change read: a sealed scrip encoding. */
  private static final int MAX_CHANGE_BYTES = ScripCodec.MAX_ENCODED_LENGTH + SealedBox.OVERHEAD;

  private final Variant variant;
  private final long priceMillicents;
  private final byte[] change;
  private final byte[] mac;

  /**
   * A receipt.
   *
   * @param change the change's scrip encoding, or the sealed change (private); empty for none
   * @param mac the reply MAC (signed); empty for none
   * @throws IllegalArgumentException when the price is negative
   */
  public Receipt(Variant variant, long priceMillicents, byte[] change, byte[] mac) {
    if (variant == null) {
      throw new IllegalArgumentException("variant is missing");
    }
    if (priceMillicents < 0) {
      throw new IllegalArgumentException("price must be >= 0, was " + priceMillicents);
    }
    this.variant = variant;
    this.priceMillicents = priceMillicents;
    this.change = change.clone();
    this.mac = mac.clone();
  }

  /** The variant the payment came in. */
  public Variant variant() {
    return variant;
  }

  /** The price charged. */
  public long priceMillicents() {
    return priceMillicents;
  }

  /** The change's scrip encoding (sealed in the private variant); empty when there is none. */
  public byte[] change() {
    return change.clone();
  }

  /** The reply MAC; empty when the variant has none. */
  public byte[] mac() {
    return mac.clone();
  }

  /** The {@code Millicent-Receipt} value. */
  public String format() {
    Map<String, String> p = new LinkedHashMap<>();
    p.put("v", PaymentHeader.VERSION);
    p.put("variant", variant.wireName());
    p.put("price", Long.toString(priceMillicents));
    if (change.length > 0) {
      p.put("change", AuthParams.bytesText(change));
    }
    if (mac.length > 0) {
      p.put("mac", AuthParams.bytesText(mac));
    }
    return AuthParams.format(p);
  }

  /**
   * Parses a {@code Millicent-Receipt} value. The MAC's length is not checked here: a MAC of the
   * wrong length fails verification as {@code forged}.
   *
   * @throws MalformedException when it is not a version-2 Millicent header, the variant is unknown,
   *     the price is not a decimal of at least 0, or change or MAC is not strict base64url of a
   *     plausible length
   */
  public static Receipt parse(String header) {
    Map<String, String> p = AuthParams.parse(header);
    AuthParams.requireVersion(p);
    String name = AuthParams.require(p, "variant");
    Variant variant = Variant.fromWireName(name);
    if (variant == null) {
      throw new MalformedException("unknown variant \"" + name + '"');
    }
    long price;
    try {
      price = Long.parseLong(AuthParams.require(p, "price"));
    } catch (NumberFormatException e) {
      throw new MalformedException("price is not a decimal number of millicents", e);
    }
    if (price < 0) {
      throw new MalformedException("price must be >= 0, was " + price);
    }
    return new Receipt(
        variant,
        price,
        AuthParams.optionalBytes(p, "change", MAX_CHANGE_BYTES),
        AuthParams.optionalBytes(p, "mac", AuthParams.MAX_LENGTH));
  }

  @Override
  public String toString() {
    return "Receipt[" + variant.wireName() + " price=" + priceMillicents + "]";
  }
}
