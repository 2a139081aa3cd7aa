package org.millicent.broker;

import java.nio.file.Files;
import java.security.SecureRandom;
import java.time.InstantSource;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.millicent.broker.books.Books;
import org.millicent.broker.books.Entry;
import org.millicent.broker.store.LicenceStore;
import org.millicent.broker.supply.Licence;
import org.millicent.broker.supply.LicensedVendor;
import org.millicent.broker.supply.VendorClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The licences of the broker's licensed vendors (docs/BROKER.md, "Licensed production"): loaded
 * from the books at start, obtained when missing from the vendor's admin endpoint or a licence
 * file, stored in the books when installed. {@link Broker} delegates to it.
 *
 * <p>Thread-safe: obtaining a licence holds the vendor's {@link LicensedVendor} monitor, so one
 * vendor's licence is fetched once however many sales wait for it.
 */
final class Licensing {
  // Logs as the broker, the category operators configure.
  private static final Logger log = LoggerFactory.getLogger(Broker.class);

  private final BrokerConfig config;
  private final VendorDirectory vendors;
  private final Books books;
  private final VendorClient client;
  private final InstantSource clock;
  private final Map<String, LicensedVendor> licensed;

  /** The licensing of {@code licensed}, the broker's licensed vendors by name. */
  Licensing(
      BrokerConfig config,
      VendorDirectory vendors,
      Books books,
      VendorClient client,
      InstantSource clock,
      Map<String, LicensedVendor> licensed) {
    this.config = config;
    this.vendors = vendors;
    this.books = books;
    this.client = client;
    this.clock = clock;
    this.licensed = licensed;
  }

  /**
   * The licensed vendors among {@code vendors}, by name, in a map that vendors joining later are
   * added to while sales read it.
   */
  static Map<String, LicensedVendor> vendorsOf(
      List<VendorConfig> vendors, Books books, SecureRandom random) {
    Map<String, LicensedVendor> licensed = Collections.synchronizedMap(new LinkedHashMap<>());
    for (VendorConfig v : vendors) {
      if (v.supply() == Supply.LICENSED) {
        licensed.put(v.vendor(), new LicensedVendor(v.vendor(), books, random));
      }
    }
    return licensed;
  }

  /** Adds a licensed vendor (one that joined while the broker runs); its licence comes next. */
  void add(LicensedVendor lv) {
    licensed.putIfAbsent(lv.vendor(), lv);
  }

  /**
   * The licensed vendor {@code vendor}.
   *
   * @throws BrokerException {@code unknown-vendor} when this broker does not sell it under licence
   */
  LicensedVendor require(String vendor) {
    LicensedVendor lv = vendor(vendor);
    if (lv == null) {
      throw new BrokerException(
          BrokerError.UNKNOWN_VENDOR, "vendor \"" + vendor + "\" is not sold under licence here");
    }
    return lv;
  }

  /** The licensed vendor {@code vendor}, or null when it is not one. */
  @Nullable LicensedVendor vendor(String vendor) {
    return licensed.get(vendor);
  }

  /**
   * Puts in force each vendor's latest stored licence, or obtains one; a licence that cannot be
   * obtained now (vendor down) is logged and retried at the first sale.
   */
  void load() {
    for (LicensedVendor lv : licensed.values()) {
      List<Licence> stored = storedLicences(lv.vendor());
      for (Licence l : stored) {
        lv.remember(l);
      }
      if (!stored.isEmpty()) {
        lv.use(stored.getLast());
        continue;
      }
      try {
        ensure(lv);
      } catch (BrokerException e) {
        if (e.code() == BrokerError.NO_LICENCE) {
          log.info("broker: {}", e.getMessage());
        } else {
          log.warn("broker: no licence for {} yet: {}", lv.vendor(), e.getMessage());
        }
      }
    }
  }

  private List<Licence> storedLicences(String vendor) {
    return new LicenceStore(books.database()).licences(vendor, config.brokerId());
  }

  /**
   * The licence in force for {@code lv}, obtained (from the licence file or the vendor's admin
   * endpoint) and installed first when there is none.
   *
   * @throws BrokerException {@code no-licence} when none is configured or the file cannot be read,
   *     {@code vendor-unavailable} when the vendor cannot be reached
   */
  Licence ensure(LicensedVendor lv) {
    synchronized (lv) {
      Optional<Licence> have = lv.licence();
      if (have.isPresent()) {
        return have.get();
      }
      VendorConfig vc = vendors.find(lv.vendor()).orElseThrow();
      Licence l;
      if (vc.licenceFile().isPresent()) {
        try {
          l =
              Licence.fromJson(
                  new com.fasterxml.jackson.databind.ObjectMapper()
                      .readTree(Files.readAllBytes(vc.licenceFile().get())));
        } catch (java.io.IOException e) {
          // The path and the reason go to the log; a client only learns that there is no licence.
          log.warn(
              "broker: cannot read the licence file {} of {}: {}",
              vc.licenceFile().get(),
              lv.vendor(),
              org.millicent.failure.Causes.describe(e));
          throw new BrokerException(
              BrokerError.NO_LICENCE,
              "the licence file of vendor " + lv.vendor() + " cannot be read",
              e);
        }
      } else if (vc.licenceAdminToken().isPresent()) {
        l =
            client.obtainLicence(
                vc.url(),
                vc.licenceAdminToken().get(),
                config.brokerId(),
                vc.licenceKeyIds(),
                vc.discountBps());
      } else {
        throw new BrokerException(
            BrokerError.NO_LICENCE,
            "no licence for vendor "
                + lv.vendor()
                + ": configure licence.admin_token or licence.file, or import one with"
                + " `millicent broker licences import`");
      }
      return install(l);
    }
  }

  /** See {@link Broker#installLicence}. */
  Licence install(Licence l) {
    LicensedVendor lv = licensed.get(l.vendor());
    if (lv == null) {
      throw new BrokerException(
          BrokerError.UNKNOWN_VENDOR,
          "vendor " + l.vendor() + " is not configured as a licensed vendor of this broker");
    }
    String id = config.brokerId();
    if (!l.broker().isEmpty() && !l.broker().equals(id)) {
      throw new BrokerException(
          BrokerError.BAD_REQUEST,
          "licence " + l.licenceId() + " is for broker " + l.broker() + ", this is " + id);
    }
    Optional<Licence> stored = refuseConflict(l);
    if (stored.isEmpty()) {
      long now = clock.millis();
      books.submitAndAwait(
          new Entry("licence").write((h, entryId) -> LicenceStore.insert(h, l, now)));
    }
    lv.use(l);
    log.info("broker: licence {} in force", l);
    return l;
  }

  /**
   * Refuses ({@code licence-conflict}) a licence whose id the broker already holds with other terms
   * or for another vendor.
   *
   * @return the stored licence of that id, if any
   */
  Optional<Licence> refuseConflict(Licence l) {
    Optional<Licence> stored = storedLicence(l.licenceId());
    if (stored.isPresent() && !sameTerms(stored.get(), l)) {
      // Installing it in memory would change the terms of scrip already sold (its discount at
      // settlement, its lifetime) without the books knowing; terms change only by a new licence.
      throw new BrokerException(
          BrokerError.LICENCE_CONFLICT,
          "licence "
              + l.licenceId()
              + (stored.get().vendor().equals(l.vendor())
                  ? " is already held with other terms (keys, customer secret, discount or"
                      + " lifetime); a licence never changes in place: issue a new licence id and"
                      + " revoke the old one"
                  : " is already held for vendor "
                      + stored.get().vendor()
                      + ", not "
                      + l.vendor()));
    }
    return stored;
  }

  /** The licence stored under {@code licenceId}, revoked or not. */
  private Optional<Licence> storedLicence(String licenceId) {
    return new LicenceStore(books.database()).licence(licenceId, config.brokerId());
  }

  /**
   * Whether two licences grant exactly the same: vendor, key ids with their secrets, customer
   * selector with its secret, discount and scrip lifetime (secrets compared in constant time).
   */
  static boolean sameTerms(Licence a, Licence b) {
    boolean same =
        a.vendor().equals(b.vendor())
            && a.keys().keySet().equals(b.keys().keySet())
            && a.customerSelector() == b.customerSelector()
            && a.discountBps() == b.discountBps()
            && a.scripLifetimeSeconds() == b.scripLifetimeSeconds();
    same &=
        org.millicent.bytes.ConstantTime.equal(
            a.customerMasterSecret().toByteArray(), b.customerMasterSecret().toByteArray());
    for (Map.Entry<Integer, org.millicent.keys.SecretBytes> k : a.keys().entrySet()) {
      org.millicent.keys.SecretBytes o = b.keys().get(k.getKey());
      same &=
          o != null
              && org.millicent.bytes.ConstantTime.equal(
                  k.getValue().toByteArray(), o.toByteArray());
    }
    return same;
  }

  /** See {@link Broker#licences}. */
  Map<String, Optional<Licence>> licences() {
    Map<String, Optional<Licence>> out = new LinkedHashMap<>();
    licensed.forEach((v, lv) -> out.put(v, lv.licence()));
    return out;
  }
}
