package org.millicent.broker;

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.millicent.keys.CustomerSecret;
import org.millicent.keys.SecretBytes;

/**
 * One vendor whose scrip the broker sells, and how (docs/BROKER.md, "Configuration"). Immutable;
 * {@code toString} never prints a token or secret.
 *
 * <p>Like {@link BrokerConfig}, an entry is validated as a whole so that every problem is reported
 * together: an entry read from a file may lack its vendor, URL or supply until then, and the
 * accessors of those three throw on such an entry. Every entry of a {@link BrokerConfig} has them.
 *
 * @param vendor the vendor id
 * @param url the vendor's base URL
 * @param supply licensed minting or warehouse
 * @param discountBps the discount the broker gets, in basis points (500 = 5 %): asked for when
 *     obtaining a licence, published in {@code /.well-known/millicent}
 * @param token the broker's bearer token at the vendor, for {@code /millicent/broker/...}
 * @param settlementToken the vendor's bearer token at this broker, for {@code POST
 *     /broker/settlements}; empty when the vendor is settled only by pulling its report
 * @param licenceAdminToken licensed: the vendor's admin token, to obtain a licence at start
 * @param licenceKeyIds licensed: how many key ids to ask for
 * @param licenceFile licensed: a licence file (the JSON the vendor's admin endpoint returns)
 * @param customerSecret warehouse: the broker's own customer secret at the vendor, under which the
 *     vendor seals customer secrets it hands over; empty to ask the vendor ({@code GET
 *     /millicent/broker/account}) at first use
 * @param lotCount warehouse: pieces per bulk lot
 * @param lotValueMillicents warehouse: value of each piece of a lot; warehouse sales are whole
 *     multiples of it
 * @param publicUrls the URLs customers reach the vendor at, published in {@code
 *     /.well-known/millicent} so that wallets pay the vendor's scrip only there (docs/WALLET.md,
 *     "Vouched origins"); empty means {@code url} alone, see {@link #origins()}
 */
public record VendorConfig(
    @Nullable String vendor,
    @Nullable URI url,
    @Nullable Supply supply,
    int discountBps,
    Optional<String> token,
    Optional<String> settlementToken,
    Optional<String> licenceAdminToken,
    int licenceKeyIds,
    Optional<Path> licenceFile,
    Optional<SecretBytes> customerSecret,
    int lotCount,
    long lotValueMillicents,
    List<URI> publicUrls) {

  /** Copies the list of public URLs; validation happens in {@link BrokerConfig}. */
  public VendorConfig {
    publicUrls = publicUrls == null ? null : List.copyOf(publicUrls);
  }

  /** The vendor id, set in every validated entry. */
  @Override
  public String vendor() {
    return validated(vendor, "vendor");
  }

  /** The vendor's base URL, set in every validated entry. */
  @Override
  public URI url() {
    return validated(url, "url");
  }

  /** Licensed minting or warehouse, set in every validated entry. */
  @Override
  public Supply supply() {
    return validated(supply, "supply");
  }

  /** The vendor id as configured, null when missing: for validation, which reports that. */
  @Nullable String configuredVendor() {
    return vendor;
  }

  private static <T> T validated(@Nullable T value, String setting) {
    if (value == null) {
      throw new IllegalStateException(
          "vendor entry without its " + setting + ": a BrokerConfig would have refused it");
    }
    return value;
  }

  /**
   * The URLs customers reach the vendor at: {@code publicUrls}, or {@code url} when none is
   * configured (the broker reaches the vendor where its customers do).
   */
  public List<URI> origins() {
    return publicUrls == null || publicUrls.isEmpty() ? List.of(url) : publicUrls;
  }

  /** This entry with the URLs customers reach the vendor at ({@code public_urls}). */
  public VendorConfig withPublicUrls(List<URI> urls) {
    return new VendorConfig(
        vendor,
        url,
        supply,
        discountBps,
        token,
        settlementToken,
        licenceAdminToken,
        licenceKeyIds,
        licenceFile,
        customerSecret,
        lotCount,
        lotValueMillicents,
        urls);
  }

  /** A licensed vendor that the broker obtains a licence from with the vendor's admin token. */
  public static VendorConfig licensed(
      String vendor,
      URI url,
      @Nullable String brokerToken,
      @Nullable String vendorAdminToken,
      int discountBps) {
    return new VendorConfig(
        vendor,
        url,
        Supply.LICENSED,
        discountBps,
        Optional.ofNullable(brokerToken),
        Optional.empty(),
        Optional.ofNullable(vendorAdminToken),
        1,
        Optional.empty(),
        Optional.empty(),
        0,
        0,
        List.of());
  }

  /**
   * A warehouse vendor: lots of {@code lotCount} pieces of {@code lotValueMillicents}. With a null
   * {@code brokerCustomerSecret} the broker asks the vendor for it at first use.
   */
  public static VendorConfig warehouse(
      String vendor,
      URI url,
      String brokerToken,
      @Nullable CustomerSecret brokerCustomerSecret,
      int discountBps,
      int lotCount,
      long lotValueMillicents) {
    return new VendorConfig(
        vendor,
        url,
        Supply.WAREHOUSE,
        discountBps,
        Optional.of(brokerToken),
        Optional.empty(),
        Optional.empty(),
        0,
        Optional.empty(),
        Optional.ofNullable(brokerCustomerSecret).map(s -> SecretBytes.copyOf(s.toByteArray())),
        lotCount,
        lotValueMillicents,
        List.of());
  }

  /** This entry with a token the vendor uses to push settlements to the broker. */
  public VendorConfig withSettlementToken(String t) {
    return new VendorConfig(
        vendor,
        url,
        supply,
        discountBps,
        token,
        Optional.of(t),
        licenceAdminToken,
        licenceKeyIds,
        licenceFile,
        customerSecret,
        lotCount,
        lotValueMillicents,
        publicUrls);
  }

  /** This licensed entry reading its licence from a file instead of the admin endpoint. */
  public VendorConfig withLicenceFile(Path file) {
    return new VendorConfig(
        vendor,
        url,
        supply,
        discountBps,
        token,
        settlementToken,
        Optional.empty(),
        Math.max(1, licenceKeyIds),
        Optional.of(file),
        customerSecret,
        lotCount,
        lotValueMillicents,
        publicUrls);
  }

  List<String> problems(String at) {
    List<String> p = new ArrayList<>();
    BrokerConfigCheck.checkId(at + ".vendor", vendor, p);
    if (url == null
        || !("http".equals(url.getScheme()) || "https".equals(url.getScheme()))
        || url.getHost() == null) {
      p.add(at + ".url: expected the vendor's http or https base URL, found " + url);
    } else if (url.getRawUserInfo() != null) {
      // Published in the manifest and /broker/admin/vendors: a password there would leak. The
      // URL is not echoed for the same reason.
      p.add(at + ".url: must not carry a user name or password (user:password@)");
    }
    if (publicUrls == null) {
      p.add(at + ".public_urls: must be present or empty, not null");
    } else {
      for (int i = 0; i < publicUrls.size(); i++) {
        URI u = publicUrls.get(i);
        if (u == null
            || !("http".equals(u.getScheme()) || "https".equals(u.getScheme()))
            || u.getHost() == null) {
          p.add(
              at
                  + ".public_urls["
                  + i
                  + "]: expected an http or https URL customers reach the vendor at, found "
                  + u);
        } else if (u.getRawUserInfo() != null) {
          p.add(
              at
                  + ".public_urls["
                  + i
                  + "]: must not carry a user name or password (user:password@)");
        }
      }
    }
    if (supply == null) {
      p.add(at + ".supply: expected \"licensed\" or \"warehouse\", found nothing");
    }
    if (discountBps < 0 || discountBps >= 10_000) {
      p.add(at + ".discount_bps: expected 0..9999 basis points, found " + discountBps);
    }
    if (token == null
        || settlementToken == null
        || licenceAdminToken == null
        || licenceFile == null
        || customerSecret == null) {
      p.add(at + ": optional settings must be present or empty, not null");
      return p;
    }
    if (token.isPresent() && token.get().isBlank()) {
      p.add(at + ".token: expected the broker's bearer token at the vendor, found blank text");
    }
    if (settlementToken.isPresent() && settlementToken.get().isBlank()) {
      p.add(at + ".settlement_token: expected the vendor's bearer token here, found blank text");
    }
    if (licenceAdminToken.isPresent() && licenceAdminToken.get().isBlank()) {
      p.add(at + ".licence.admin_token: expected the vendor's admin token, found blank text");
    }
    if (supply == Supply.LICENSED) {
      if (licenceKeyIds < 1 || licenceKeyIds > 16) {
        p.add(at + ".licence.key_ids: expected 1..16, found " + licenceKeyIds);
      }
      if (licenceAdminToken.isPresent() && licenceFile.isPresent()) {
        p.add(at + ".licence: give either admin_token or file, not both");
      }
    }
    if (supply == Supply.WAREHOUSE) {
      if (token.isEmpty()) {
        p.add(at + ".token: a warehouse vendor needs the broker's bearer token at the vendor");
      }
      if (customerSecret.isPresent() && customerSecret.get().length() != CustomerSecret.LENGTH) {
        p.add(at + ".customer_secret: expected 32 bytes (base64url)");
      }
      if (lotCount < 1 || lotCount > 10_000) {
        p.add(at + ".lot.count: expected 1..10000, found " + lotCount);
      }
      if (lotValueMillicents < 1 || lotValueMillicents > BrokerConfig.MAX_AMOUNT_MILLICENTS) {
        p.add(
            at
                + ".lot.value_millicents: expected 1.."
                + BrokerConfig.MAX_AMOUNT_MILLICENTS
                + ", found "
                + lotValueMillicents);
      }
    }
    return p;
  }

  /** Names the vendor, URL and supply only. */
  @Override
  public String toString() {
    return vendor + "(" + (supply == null ? "?" : supply.wireName()) + " " + url + ")";
  }
}
