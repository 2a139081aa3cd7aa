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
   * again. When it is, but not by a broker the offer names that the wallet has an account at, that
   * broker's manifest is read again, in case it has started vouching for it.
   *
   * @param named the brokers the offer names
   * @return whose scrip may be paid there, and bought for it: the brokers that vouch for it for
   *     {@code vendor}, or any when the user vouched for it for every broker
   * @throws WalletException {@code unvouched-origin} when it is still not vouched; {@code
   *     not-registered} when the wallet has no broker account at all (registering is then the way
   *     to learn where vendors are)
   * @throws InterruptedException when interrupted while reading a manifest
   */
  Payers check(String vendor, String origin, List<URI> named) throws InterruptedException {
    Optional<Payers> payers = payers(vendor, origin);
    if (payers.isPresent()) {
      boolean relearned = false;
      for (BrokerAccount a : store.brokers()) {
        if (named.contains(a.url()) && !payers.get().admits(a.url().toString())) {
          relearned |= learn(a.url());
        }
      }
      return relearned
          ? payers(vendor, origin).orElseThrow(() -> unvouched(vendor, origin))
          : payers.get();
    }
    learnFromAllBrokers();
    payers = payers(vendor, origin);
    if (payers.isPresent()) {
      return payers.get();
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
    throw unvouched(vendor, origin);
  }

  private WalletException unvouched(String vendor, String origin) {
    List<String> vouched = vouched(vendor, Payers.ANY);
    return new WalletException(
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
   * Where to send {@code vendor} an exchange of scrip sold by the broker at {@code broker} ({@code
   * ""}: not known): the origin the wallet last paid the vendor at, if vouched for that broker's
   * scrip, else the first one that is (remembered from now on).
   *
   * @throws WalletException {@code unvouched-origin} when no origin is vouched for the vendor for
   *     that broker's scrip
   * @throws InterruptedException when interrupted while reading a manifest
   */
  VendorSite exchangeSite(String vendor, String broker) throws InterruptedException {
    Optional<VendorSite> site = store.origins().vendor(vendor);
    Payers of = Payers.only(broker);
    List<String> vouched = vouched(vendor, of);
    if (vouched.isEmpty()) {
      learnFromAllBrokers();
      vouched = vouched(vendor, of);
    }
    if (site.isPresent() && site.get().origin().filter(vouched::contains).isPresent()) {
      return site.get();
    }
    if (vouched.isEmpty()) {
      throw new WalletException(
          WalletException.Code.UNVOUCHED_ORIGIN,
          "no origin is vouched for "
              + vendor
              + (broker.isEmpty() ? "" : " for the scrip " + broker + " sold")
              + " by that broker or by the user, so the wallet sends it nothing: vouch"
              + " for one with `millicent wallet vendors add "
              + vendor
              + " URL`");
    }
    store.origins().sawVendor(vendor, vouched.getFirst(), List.of(), now());
    return store.origins().vendor(vendor).orElseThrow();
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
    store.origins().replaceBrokerOrigins(broker, origins, now());
    for (String vendor : origins.keySet()) {
      store.origins().sawVendor(vendor, null, List.of(broker), now());
    }
    return true;
  }

  private void learnFromAllBrokers() throws InterruptedException {
    for (BrokerAccount a : store.brokers()) {
      learn(a.url());
    }
  }

  /**
   * The origins vouched for {@code vendor} for the scrip of any of {@code payers} (a user's word
   * for every broker counts for all of them).
   */
  private List<String> vouched(String vendor, Payers payers) {
    return store.origins().vouchedOrigins(vendor).stream()
        .filter(o -> payers.anyBroker() || payers.brokers().stream().anyMatch(o::admits))
        .map(VouchedOrigin::origin)
        .distinct()
        .toList();
  }

  /** Whose scrip may be paid at {@code origin} for {@code vendor}; empty when none. */
  private Optional<Payers> payers(String vendor, String origin) {
    boolean any = false;
    Set<String> brokers = new LinkedHashSet<>();
    boolean vouched = false;
    for (VouchedOrigin o : store.origins().vouchedOrigins(vendor)) {
      if (o.origin().equals(origin)) {
        vouched = true;
        if (o.broker().isEmpty()) {
          any = true;
        } else {
          brokers.add(o.broker().get());
        }
      }
    }
    return vouched ? Optional.of(any ? Payers.ANY : new Payers(false, brokers)) : Optional.empty();
  }

  /** See {@link Wallet#vouch(String, URI, Optional)}. */
  VouchedOrigin vouch(String vendor, URI url, Optional<URI> broker) {
    checkVendor(vendor);
    String origin = userOrigin(url);
    String forBroker = broker.map(b -> BrokerPurchases.normalizeBroker(b).toString()).orElse("");
    store.origins().addUserOrigin(vendor, origin, forBroker, now());
    return store.origins().vouchedOrigins(vendor).stream()
        .filter(
            o -> o.byUser() && o.origin().equals(origin) && o.broker().orElse("").equals(forBroker))
        .findFirst()
        .orElseThrow();
  }

  /** See {@link Wallet#unvouch}. */
  int unvouch(String vendor, Optional<URI> url) {
    checkVendor(vendor);
    return store
        .origins()
        .removeUserOrigins(vendor, url.map(VendorOrigins::userOrigin).orElse(null));
  }

  private static void checkVendor(String vendor) {
    try {
      ScripBody.checkVendor(vendor);
    } catch (IllegalArgumentException e) {
      throw new WalletException(WalletException.Code.BAD_REQUEST, Causes.describe(e), e);
    }
  }

  private static String userOrigin(URI url) {
    try {
      return originOf(url);
    } catch (IllegalArgumentException e) {
      throw new WalletException(WalletException.Code.BAD_REQUEST, Causes.describe(e), e);
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
