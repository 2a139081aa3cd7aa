package org.millicent.wallet;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.millicent.failure.Causes;
import org.millicent.scrip.ScripBody;
import org.millicent.wallet.http.Request;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where the wallet may spend a vendor's scrip (docs/WALLET.md, "Vouched origins"). Anyone can
 * answer 402 in a vendor's name, so the name in an offer proves nothing: the wallet pays vendor V's
 * scrip, buys scrip for V, and sends V renewals and merges only at an origin (scheme, host, port)
 * vouched for V, either by the manifest of a broker the wallet has an account at ({@code
 * public_urls} of each vendor it sells) or by the user. An origin learned any other way, such as
 * from the 402 itself, is never used, so a vendor name is never re-pointed at a new origin
 * silently.
 *
 * <p>Thread-safe.
 */
final class VendorOrigins {
  // Logs as the wallet, the category users configure.
  private static final Logger log = LoggerFactory.getLogger(Wallet.class);

  private final WalletOptions options;
  private final WalletStore store;
  private final BrokerClient brokers;

  VendorOrigins(WalletOptions options, WalletStore store, BrokerClient brokers) {
    this.options = options;
    this.store = store;
    this.brokers = brokers;
  }

  private Instant now() {
    return options.clock().instant();
  }

  /**
   * Checks that {@code origin} is vouched for {@code vendor}; when it is not, reads the manifests
   * of the wallet's brokers once more (one may have started selling the vendor there) and checks
   * again.
   *
   * @param named the brokers the offer names, for the message
   * @throws WalletException {@code unvouched-origin} when it is still not vouched; {@code
   *     not-registered} when the wallet has no broker account at all (registering is then the way
   *     to learn where vendors are)
   * @throws InterruptedException when interrupted while reading a manifest
   */
  void check(String vendor, String origin, List<URI> named) throws InterruptedException {
    if (vouched(vendor).contains(origin)) {
      return;
    }
    learnFromAllBrokers();
    List<String> vouched = vouched(vendor);
    if (vouched.contains(origin)) {
      return;
    }
    if (store.brokers().isEmpty()) {
      throw new WalletException(
          WalletException.Code.NOT_REGISTERED,
          "the wallet has no broker account"
              + (named.isEmpty()
                  ? ""
                  : "; "
                      + vendor
                      + "'s scrip is sold by "
                      + String.join(", ", named.stream().map(URI::toString).toList()))
              + ": open one with `millicent wallet register --broker URL` (the wallet then pays "
              + vendor
              + " at "
              + origin
              + " only if that broker's manifest vouches for it); nothing was bought or sent");
    }
    throw new WalletException(
        WalletException.Code.UNVOUCHED_ORIGIN,
        origin
            + " answered as "
            + vendor
            + ", but "
            + (vouched.isEmpty()
                ? "no origin is vouched for " + vendor
                : vendor + "'s vouched origins are " + String.join(", ", vouched))
            + ": nothing was bought or sent. If "
            + origin
            + " really is "
            + vendor
            + ", vouch for it with `millicent wallet vendors add "
            + vendor
            + " "
            + origin
            + "`");
  }

  /**
   * Where to send {@code vendor} an exchange: the origin the wallet last paid it at, if still
   * vouched, else the first vouched one (remembered from now on).
   *
   * @throws WalletException {@code unvouched-origin} when no origin is vouched for the vendor
   * @throws InterruptedException when interrupted while reading a manifest
   */
  VendorSite exchangeSite(String vendor) throws InterruptedException {
    Optional<VendorSite> site = store.vendor(vendor);
    List<String> vouched = vouched(vendor);
    if (vouched.isEmpty()) {
      learnFromAllBrokers();
      vouched = vouched(vendor);
    }
    if (site.isPresent() && site.get().origin().filter(vouched::contains).isPresent()) {
      return site.get();
    }
    if (vouched.isEmpty()) {
      throw new WalletException(
          WalletException.Code.UNVOUCHED_ORIGIN,
          "no origin is vouched for "
              + vendor
              + " by the wallet's brokers or by the user, so the wallet sends it nothing: vouch"
              + " for one with `millicent wallet vendors add "
              + vendor
              + " URL`");
    }
    store.sawVendor(vendor, vouched.getFirst(), List.of(), now());
    return store.vendor(vendor).orElseThrow();
  }

  /**
   * Reads {@code broker}'s manifest and replaces the origins it vouches for; remembers that the
   * broker sells each vendor it lists. Best effort: when the manifest cannot be read, what the
   * broker vouched for before stays.
   *
   * @return whether the manifest was read
   * @throws InterruptedException when interrupted
   */
  boolean learn(URI broker) throws InterruptedException {
    JsonNode manifest;
    try {
      manifest = brokers.manifest(broker);
    } catch (WalletException e) {
      log.debug("could not read the manifest of {}: {}", broker, Causes.describe(e));
      return false;
    }
    Map<String, Set<String>> origins = new LinkedHashMap<>();
    for (JsonNode v : manifest.withArray("vendors")) {
      String vendor = v.path("vendor").asText("");
      try {
        ScripBody.checkVendor(vendor);
      } catch (IllegalArgumentException e) {
        log.debug("broker {} lists a vendor with a bad id: {}", broker, e.getMessage());
        continue;
      }
      Set<String> mine = origins.computeIfAbsent(vendor, k -> new LinkedHashSet<>());
      JsonNode urls = v.path("public_urls");
      List<String> texts = new ArrayList<>();
      if (urls.isArray() && !urls.isEmpty()) {
        urls.forEach(u -> texts.add(u.asText("")));
      } else {
        texts.add(v.path("url").asText(""));
      }
      for (String t : texts) {
        try {
          mine.add(originOf(URI.create(t)));
        } catch (IllegalArgumentException e) {
          log.debug("broker {} lists a bad URL for {}: {}", broker, vendor, e.getMessage());
        }
      }
    }
    store.replaceBrokerOrigins(broker, origins, now());
    for (String vendor : origins.keySet()) {
      store.sawVendor(vendor, null, List.of(broker), now());
    }
    return true;
  }

  private void learnFromAllBrokers() throws InterruptedException {
    for (BrokerAccount a : store.brokers()) {
      learn(a.url());
    }
  }

  private List<String> vouched(String vendor) {
    return store.vouchedOrigins(vendor).stream().map(VouchedOrigin::origin).distinct().toList();
  }

  /** See {@link Wallet#vouch}. */
  VouchedOrigin vouch(String vendor, URI url) {
    checkVendor(vendor);
    String origin = userOrigin(url);
    store.addUserOrigin(vendor, origin, now());
    return store.vouchedOrigins(vendor).stream()
        .filter(o -> o.byUser() && o.origin().equals(origin))
        .findFirst()
        .orElseThrow();
  }

  /** See {@link Wallet#unvouch}. */
  int unvouch(String vendor, Optional<URI> url) {
    checkVendor(vendor);
    return store.removeUserOrigins(vendor, url.map(VendorOrigins::userOrigin).orElse(null));
  }

  private static void checkVendor(String vendor) {
    try {
      ScripBody.checkVendor(vendor);
    } catch (IllegalArgumentException e) {
      throw new WalletException(WalletException.Code.BAD_REQUEST, e.getMessage(), e);
    }
  }

  private static String userOrigin(URI url) {
    try {
      return originOf(url);
    } catch (IllegalArgumentException e) {
      throw new WalletException(WalletException.Code.BAD_REQUEST, e.getMessage(), e);
    }
  }

  /**
   * The origin of an absolute http(s) URL: {@code scheme://host:port}, as {@link Request#origin()}
   * writes it.
   *
   * @throws IllegalArgumentException when {@code url} is not an absolute http(s) URL with a host
   */
  static String originOf(URI url) {
    String scheme = url.getScheme();
    if (scheme == null
        || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))
        || url.getHost() == null) {
      throw new IllegalArgumentException(
          "expected an absolute http or https URL with a host, found " + url);
    }
    return Request.origin(url);
  }
}
