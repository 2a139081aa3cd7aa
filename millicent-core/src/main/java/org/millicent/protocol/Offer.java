package org.millicent.protocol;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.millicent.failure.MalformedException;
import org.millicent.scrip.ScripBody;

/**
 * A seller's offer for one price, carried by {@code WWW-Authenticate: Millicent ...} on a 402
 * (docs/HTTP-API.md, "Offer"): the vendor whose scrip pays, the base price, the currency, the
 * variants taken and where to buy the scrip. Immutable.
 *
 * <p>Written in the order {@code v, vendor, price, currency, variants, brokers}; {@code variants}
 * sorted {@code clear, signed, private}. A vendor's offer always names its brokers ({@code
 * brokers=""} when none); a broker's offer for its own scrip has no {@code brokers} parameter.
 *
 * @param vendor the vendor id its scrip carries
 * @param priceMillicents the base price (price rules on scrip properties may add to it)
 * @param currency the currency the millicents are of
 * @param variants the variants taken
 * @param brokers base URLs of the brokers that sell the scrip, or empty when the offer names none
 *     (a broker's offer of its own scrip)
 */
public record Offer(
    String vendor,
    long priceMillicents,
    String currency,
    Set<Variant> variants,
    Optional<List<URI>> brokers) {

  /** The currency an offer that names none is in. */
  public static final String DEFAULT_CURRENCY = "USD";

  /**
   * Validates and copies.
   *
   * @throws IllegalArgumentException when the vendor id is not one scrip can carry, the price is
   *     negative or the currency is not a token
   */
  public Offer {
    ScripBody.checkVendor(vendor);
    if (priceMillicents < 0) {
      throw new IllegalArgumentException("price must be >= 0, was " + priceMillicents);
    }
    if (currency == null || currency.isEmpty()) {
      throw new IllegalArgumentException("currency is missing");
    }
    variants = variants.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(variants));
    brokers = brokers.map(List::copyOf);
  }

  /** The same offer at another price. */
  public Offer withPrice(long priceMillicents) {
    return new Offer(vendor, priceMillicents, currency, variants, brokers);
  }

  /** The brokers named, none when the offer names none. */
  public List<URI> brokerList() {
    return brokers.orElse(List.of());
  }

  /** The variants' wire names, sorted {@code clear, signed, private}. */
  public List<String> variantNames() {
    return variants.stream().sorted().map(Variant::wireName).toList();
  }

  /** The {@code WWW-Authenticate} value. */
  public String format() {
    Map<String, String> p = new LinkedHashMap<>();
    p.put("v", PaymentHeader.VERSION);
    p.put("vendor", vendor);
    p.put("price", Long.toString(priceMillicents));
    p.put("currency", currency);
    p.put("variants", String.join(" ", variantNames()));
    brokers.ifPresent(
        b -> p.put("brokers", b.stream().map(URI::toString).collect(Collectors.joining(" "))));
    return AuthParams.format(p);
  }

  /**
   * Parses one {@code Millicent ...} challenge. Variants it does not know are skipped (none named
   * means {@code signed}); a missing currency is {@link #DEFAULT_CURRENCY}; broker URLs lose their
   * trailing slashes, so that they compare as text.
   *
   * @throws MalformedException when it is not a version-2 Millicent challenge, a required parameter
   *     is missing, the price is not a decimal of at least 0, the vendor id is not one scrip can
   *     carry, or a broker is not an absolute http(s) URL
   */
  public static Offer parse(String challenge) {
    Map<String, String> p = AuthParams.parse(challenge);
    AuthParams.requireVersion(p);
    long price;
    try {
      price = Long.parseLong(AuthParams.require(p, "price"));
    } catch (NumberFormatException e) {
      throw new MalformedException("price is not a decimal number of millicents", e);
    }
    Set<Variant> variants = EnumSet.noneOf(Variant.class);
    for (String name : p.getOrDefault("variants", "signed").trim().split("\\s+", -1)) {
      Variant variant = Variant.fromWireName(name.toLowerCase(Locale.ROOT));
      if (variant != null) {
        variants.add(variant);
      }
    }
    Optional<List<URI>> brokers = Optional.empty();
    String list = p.get("brokers");
    if (list != null) {
      List<URI> urls = new ArrayList<>();
      for (String b : list.strip().isEmpty() ? new String[0] : list.strip().split("\\s+")) {
        urls.add(brokerUri(b));
      }
      brokers = Optional.of(urls);
    }
    try {
      return new Offer(
          AuthParams.require(p, "vendor"),
          price,
          p.getOrDefault("currency", DEFAULT_CURRENCY),
          variants,
          brokers);
    } catch (IllegalArgumentException e) {
      throw new MalformedException("offer is not valid: " + e.getMessage(), e);
    }
  }

  /**
   * A broker base URL without trailing slashes, so that URLs compare as text.
   *
   * @throws MalformedException when it is not an absolute http(s) URL with a host
   */
  public static URI brokerUri(String text) {
    String s = text.strip();
    while (s.endsWith("/")) {
      s = s.substring(0, s.length() - 1);
    }
    URI u;
    try {
      u = new URI(s);
    } catch (URISyntaxException e) {
      throw new MalformedException("broker URL is not a URL: " + e.getMessage(), e);
    }
    if (u.getScheme() == null
        || !(u.getScheme().equals("http") || u.getScheme().equals("https"))
        || u.getHost() == null) {
      throw new MalformedException(
          "a broker URL must be an absolute http(s) URL, found \"" + text + '"');
    }
    return u;
  }
}
