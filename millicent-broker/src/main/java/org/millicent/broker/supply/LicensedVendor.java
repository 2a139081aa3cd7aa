package org.millicent.broker.supply;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import org.millicent.broker.books.Books;
import org.millicent.broker.books.Entry;
import org.millicent.broker.issuing.IssuerSerials;
import org.millicent.broker.store.LicenceStore;
import org.millicent.keys.CustomerSecret;
import org.millicent.keys.CustomerSecrets;
import org.millicent.keys.KeyState;
import org.millicent.keys.MasterSecrets;
import org.millicent.purchase.ScripMinter;
import org.millicent.scrip.Scrip;
import org.millicent.scrip.ScripProperties;

/**
 * Licensed production for one vendor (docs/BROKER.md, "Licensed production"): mints the vendor's
 * scrip locally under the delegated key ids, bound to customer IDs the broker allocates in the
 * licence's customer-ID space, and derives those customers' vendor secrets. Each broker customer
 * gets one random customer ID per vendor, so vendors cannot link a customer across vendors. Every
 * piece minted is recorded by the caller in the books. Thread-safe.
 */
public final class LicensedVendor {
  private final String vendor;
  private final Books books;
  private final SecureRandom random;
  private final IssuerSerials serials;
  private final Map<Long, Long> idAtVendor = new ConcurrentHashMap<>();
  private final Set<Long> taken = ConcurrentHashMap.newKeySet();
  private final Map<Integer, Licence> licenceOfKey = new ConcurrentHashMap<>();
  private volatile @Nullable InForce inForce;
  private final CustomerSecrets customerSecrets = new CustomerSecrets();

  /** Licensed production for {@code vendor}, with no licence yet. */
  public LicensedVendor(String vendor, Books books, SecureRandom random) {
    this.vendor = vendor;
    this.books = books;
    this.random = random;
    this.serials = new IssuerSerials(books.database(), vendor);
    reload();
    books.onReload(this::reload);
  }

  private void reload() {
    serials.reload();
    idAtVendor.clear();
    taken.clear();
    new LicenceStore(books.database())
        .forEachVendorCustomer(
            vendor,
            (customer, atVendor) -> {
              idAtVendor.put(customer, atVendor);
              taken.add(atVendor);
            });
  }

  /** The vendor. */
  public String vendor() {
    return vendor;
  }

  /** The licence in force and the minter of its keys, put in force together. */
  private record InForce(Licence licence, ScripMinter minter) {}

  /** The licence in force, if any. */
  public Optional<Licence> licence() {
    return Optional.ofNullable(inForce).map(InForce::licence);
  }

  /** The licence that delegated {@code keyId} (also a revoked or replaced one), if any. */
  public Optional<Licence> licenceOfKey(int keyId) {
    return Optional.ofNullable(licenceOfKey.get(keyId));
  }

  /** Puts {@code l} in force; keys of earlier licences stay known for settlement. */
  public synchronized void use(Licence l) {
    if (!l.vendor().equals(vendor)) {
      throw new IllegalArgumentException(
          "licence is for vendor " + l.vendor() + ", this is " + vendor);
    }
    MasterSecrets m = new MasterSecrets();
    l.keys().forEach((id, s) -> m.put(id, s, KeyState.ACTIVE));
    customerSecrets.put(l.customerSelector(), l.customerMasterSecret());
    l.keys().keySet().forEach(k -> licenceOfKey.put(k, l));
    this.inForce = new InForce(l, new ScripMinter(vendor, m, serials));
  }

  /** Notes an older licence's keys, for settling scrip minted under them. */
  public synchronized void remember(Licence l) {
    l.keys().keySet().forEach(k -> licenceOfKey.putIfAbsent(k, l));
    if (!customerSecrets.selectors().contains(l.customerSelector())) {
      customerSecrets.put(l.customerSelector(), l.customerMasterSecret());
    }
  }

  /** The customer's ID at this vendor, if one was allocated. Lock-free. */
  public java.util.OptionalLong knownCustomerIdAtVendor(long brokerCustomerId) {
    Long id = idAtVendor.get(brokerCustomerId);
    return id == null ? java.util.OptionalLong.empty() : java.util.OptionalLong.of(id);
  }

  /**
   * The customer's ID at this vendor, allocating one (and adding its row to {@code entry}) on first
   * use. Call under the books' decision lock.
   */
  public long customerIdAtVendor(long brokerCustomerId, Entry entry) {
    Long id = idAtVendor.get(brokerCustomerId);
    if (id != null) {
      return id;
    }
    Licence l = requireLicence();
    long candidate;
    do {
      candidate = ((long) l.customerSelector() << 56) | (random.nextLong() & ((1L << 56) - 1));
    } while (!taken.add(candidate));
    long vcid = candidate;
    idAtVendor.put(brokerCustomerId, vcid);
    entry.write(
        (h, entryId) -> LicenceStore.insertVendorCustomer(h, vendor, brokerCustomerId, vcid));
    return vcid;
  }

  /**
   * Mints a piece of the vendor's scrip under the licence's first key id.
   *
   * @throws IllegalStateException when there is no licence
   */
  public Scrip mint(long valueMillicents, long customerIdAtVendor, Instant now) {
    InForce f = requireInForce();
    Licence l = f.licence();
    Instant expires =
        now.plus(Duration.ofSeconds(l.scripLifetimeSeconds())).truncatedTo(ChronoUnit.SECONDS);
    return f.minter()
        .mintUnder(
            l.keys().keySet().iterator().next(),
            valueMillicents,
            customerIdAtVendor,
            expires,
            ScripProperties.NONE);
  }

  /** The customer secret of {@code customerIdAtVendor} at this vendor. */
  public CustomerSecret customerSecret(long customerIdAtVendor) {
    return customerSecrets.derive(vendor, customerIdAtVendor);
  }

  private Licence requireLicence() {
    return requireInForce().licence();
  }

  private InForce requireInForce() {
    InForce f = inForce;
    if (f == null) {
      throw new IllegalStateException("no licence for vendor " + vendor);
    }
    return f;
  }
}
