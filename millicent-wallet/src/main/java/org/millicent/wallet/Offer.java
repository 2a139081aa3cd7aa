package org.millicent.wallet;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.millicent.failure.MalformedException;
import org.millicent.protocol.AuthParams;
import org.millicent.protocol.PaymentHeader;
import org.millicent.protocol.Variant;
import org.millicent.scrip.ScripBody;
import org.millicent.wallet.http.Response;

/**
 * A vendor's offer, read from the {@code WWW-Authenticate: Millicent ...} challenge of a {@code
 * 402} (docs/HTTP-API.md, "Offer"). Immutable.
 *
 * @param vendor the vendor id its scrip carries
 * @param priceMillicents the resource's base price (price rules may add to it)
 * @param currency the currency the millicents are of
 * @param variants the protocol variants the vendor takes
 * @param brokers base URLs of brokers that sell the vendor's scrip
 */
public record Offer(
    String vendor,
    long priceMillicents,
    String currency,
    Set<Variant> variants,
    List<URI> brokers) {

  /** Validates and copies. */
  public Offer {
    ScripBody.checkVendor(vendor);
    if (priceMillicents < 0) {
      throw new IllegalArgumentException("price must be >= 0, was " + priceMillicents);
    }
    variants = variants.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(variants));
    brokers = List.copyOf(brokers);
  }

  /**
   * The offer in a 402 response.
   *
   * @throws WalletException {@code bad-response} when the response carries no well-formed Millicent
   *     challenge
   */
  public static Offer from(Response response) {
    for (String value : response.headerValues("WWW-Authenticate")) {
      if (value.stripLeading().regionMatches(true, 0, AuthParams.SCHEME, 0, 9)) {
        return parse(value);
      }
    }
    throw new WalletException(
        WalletException.Code.BAD_RESPONSE,
        "expected a WWW-Authenticate: Millicent challenge in the 402 from "
            + response.request().uri()
            + ", found none");
  }

  /**
   * Parses one {@code Millicent ...} challenge.
   *
   * @throws WalletException {@code bad-response} when a parameter is missing or out of range
   */
  public static Offer parse(String challenge) {
    try {
      Map<String, String> p = AuthParams.parse(challenge);
      String v = AuthParams.require(p, "v");
      if (!PaymentHeader.VERSION.equals(v)) {
        throw new MalformedException(
            "expected Millicent protocol version " + PaymentHeader.VERSION + ", found " + v);
      }
      long price = Long.parseLong(AuthParams.require(p, "price"));
      Set<Variant> variants = EnumSet.noneOf(Variant.class);
      for (String name : p.getOrDefault("variants", "signed").trim().split("\\s+")) {
        Variant variant = Variant.fromWireName(name.toLowerCase(Locale.ROOT));
        if (variant != null) {
          variants.add(variant);
        }
      }
      List<URI> brokers = new ArrayList<>();
      String list = p.getOrDefault("brokers", "").trim();
      if (!list.isEmpty()) {
        for (String b : list.split("\\s+")) {
          brokers.add(brokerUri(b));
        }
      }
      return new Offer(
          AuthParams.require(p, "vendor"),
          price,
          p.getOrDefault("currency", "USD"),
          variants,
          brokers);
    } catch (MalformedException | IllegalArgumentException | URISyntaxException e) {
      throw new WalletException(
          WalletException.Code.BAD_RESPONSE,
          "the vendor's offer is malformed: " + e.getMessage(),
          e);
    }
  }

  /** A broker base URL without a trailing slash, so that URLs compare as strings. */
  static URI brokerUri(String text) throws URISyntaxException {
    String s = text.strip();
    while (s.endsWith("/")) {
      s = s.substring(0, s.length() - 1);
    }
    URI u = new URI(s);
    if (u.getScheme() == null
        || !(u.getScheme().equals("http") || u.getScheme().equals("https"))
        || u.getHost() == null) {
      throw new URISyntaxException(text, "a broker URL must be an absolute http(s) URL");
    }
    return u;
  }
}
