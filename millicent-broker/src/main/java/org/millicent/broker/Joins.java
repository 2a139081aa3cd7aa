package org.millicent.broker;

import java.net.URI;
import java.security.SecureRandom;
import java.time.InstantSource;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.millicent.broker.books.Books;
import org.millicent.broker.books.Entry;
import org.millicent.broker.store.JoinedVendor;
import org.millicent.broker.store.JoinedVendorStore;
import org.millicent.broker.supply.Licence;
import org.millicent.broker.supply.LicensedVendor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Vendors that join the broker at run time (docs/BROKER.md, "Vendors that join"): each brings a
 * licence it issued to this broker, and from then on the broker sells its scrip as it does a
 * configured licensed vendor's. A join is kept in the {@code joined_vendors} table (its licence in
 * {@code licences}), so the broker sells the vendor again after a restart. Joining again with the
 * same licence is a no-op that may update the URLs and the token (a vendor restarted on another
 * port); a join with another licence under a name already joined, or under a configured vendor's
 * name, is refused ({@code vendor-exists}): a vendor is never silently replaced.
 *
 * <p>Thread-safe: joins are serialised.
 */
final class Joins {
  // Logs as the broker, the category operators configure.
  private static final Logger log = LoggerFactory.getLogger(Broker.class);

  /** What a join did. */
  enum Outcome {
    /** The vendor is new here. */
    JOINED,
    /** The vendor had joined with the same licence; its URLs and token are now the given ones. */
    REJOINED
  }

  /**
   * The most vendors that may join (each costs memory and a settlement call): a bound on what a
   * loopback caller, who needs no join token, can make the broker hold.
   */
  static final int MAX_JOINED = 1_000;

  private final BrokerConfig config;
  private final VendorDirectory vendors;
  private final Books books;
  private final Licensing licensing;
  private final SecureRandom random;
  private final InstantSource clock;

  Joins(
      BrokerConfig config,
      VendorDirectory vendors,
      Books books,
      Licensing licensing,
      SecureRandom random,
      InstantSource clock) {
    this.config = config;
    this.vendors = vendors;
    this.books = books;
    this.licensing = licensing;
    this.random = random;
    this.clock = clock;
  }

  /** A stored join, read at start. */
  record Stored(VendorConfig entry, String licenceId) {}

  /** The joins stored in {@code books}, in the order they joined. */
  static List<Stored> load(Books books) {
    return new JoinedVendorStore(books.database())
        .all().stream()
            .map(
                v ->
                    new Stored(
                        entry(
                            v.vendor(),
                            URI.create(v.url()),
                            urls(v.publicUrls()),
                            v.token(),
                            v.discountBps()),
                        v.licenceId()))
            .toList();
  }

  private static VendorConfig entry(
      String vendor, URI url, List<URI> publicUrls, String token, int discountBps) {
    return VendorConfig.licensed(vendor, url, token, null, discountBps).withPublicUrls(publicUrls);
  }

  private static List<URI> urls(String text) {
    return text == null || text.isBlank()
        ? List.of()
        : Arrays.stream(text.trim().split(" +")).map(URI::create).toList();
  }

  /**
   * Makes the broker sell {@code j.vendor()}'s scrip under {@code j.licence()}, durably.
   *
   * @throws BrokerException {@code bad-request} when a field is invalid or the licence is for
   *     another vendor or broker; {@code vendor-exists} when the name is a configured vendor's or
   *     joined with another licence; {@code licence-conflict} when the licence id is held with
   *     other terms or for another vendor; {@code join-limit} past {@link #MAX_JOINED} joined
   *     vendors
   */
  synchronized Outcome join(VendorJoin j) {
    if (j.licence() == null) {
      throw new BrokerException(BrokerError.BAD_REQUEST, "a join needs the vendor's licence");
    }
    VendorConfig entry = entry(j.vendor(), j.url(), j.publicUrls(), j.token(), j.discountBps());
    List<String> problems = entry.problems("join");
    if (j.token() != null && j.token().length() < 16) {
      problems.add("join.token: expected at least 16 characters");
    }
    if (j.token() == null) {
      problems.add("join.token: expected the broker's bearer token at the vendor");
    }
    if (config.brokerId().equals(j.vendor())) {
      problems.add("join.vendor: \"" + j.vendor() + "\" is this broker's own id");
    }
    if (!j.licence().vendor().equals(j.vendor())) {
      problems.add(
          "join.licence: issued by vendor \"" + j.licence().vendor() + "\", not " + j.vendor());
    }
    if (!j.licence().broker().isEmpty() && !j.licence().broker().equals(config.brokerId())) {
      problems.add(
          "join.licence: issued to broker \""
              + j.licence().broker()
              + "\", this is "
              + config.brokerId());
    }
    if (j.discountBps() != j.licence().discountBps()) {
      // One source of truth: the licence's discount is what settlement takes.
      problems.add(
          "join.discount_bps: "
              + j.discountBps()
              + " differs from the licence's "
              + j.licence().discountBps()
              + " (leave it out, or send the licence's)");
    }
    if (!problems.isEmpty()) {
      throw new BrokerException(BrokerError.BAD_REQUEST, String.join("; ", problems));
    }
    if (config.vendor(j.vendor()).isPresent()) {
      throw new BrokerException(
          BrokerError.VENDOR_EXISTS,
          "vendor \""
              + j.vendor()
              + "\" is in this broker's configuration; a vendor that joins needs another name");
    }
    // Before anything is added in memory: a licence id held with other terms or for another
    // vendor is refused (licence-conflict).
    licensing.refuseConflict(j.licence());
    Optional<String> storedLicence = storedLicenceId(j.vendor());
    if (storedLicence.isPresent()) {
      Optional<Licence> inForce =
          Optional.ofNullable(licensing.vendor(j.vendor())).flatMap(LicensedVendor::licence);
      boolean same =
          storedLicence.get().equals(j.licence().licenceId())
              && inForce.map(l -> Licensing.sameTerms(l, j.licence())).orElse(true);
      if (!same) {
        throw new BrokerException(
            BrokerError.VENDOR_EXISTS,
            "vendor \""
                + j.vendor()
                + "\" already joined this broker with other keys (licence "
                + storedLicence.get()
                + "); it is not replaced: join under another name, or give the broker a fresh"
                + " data folder");
      }
    }
    if (storedLicence.isEmpty() && joinedCount() >= MAX_JOINED) {
      throw new BrokerException(
          BrokerError.JOIN_LIMIT,
          "this broker already sells "
              + MAX_JOINED
              + " joined vendors, its limit; another vendor is configured in broker.yaml instead");
    }
    if (licensing.vendor(j.vendor()) == null) {
      licensing.add(new LicensedVendor(j.vendor(), books, random));
    }
    licensing.install(j.licence());
    long now = clock.millis();
    String publicUrls = String.join(" ", j.publicUrls().stream().map(URI::toString).toList());
    books.submitAndAwait(
        new Entry("join")
            .write(
                (h, entryId) -> {
                  JoinedVendor row =
                      new JoinedVendor(
                          j.vendor(),
                          j.url().toString(),
                          publicUrls,
                          j.token(),
                          j.discountBps(),
                          j.licence().licenceId());
                  if (storedLicence.isPresent()) {
                    JoinedVendorStore.update(h, row);
                  } else {
                    JoinedVendorStore.insert(h, row, now);
                  }
                }));
    vendors.put(entry);
    Outcome o = storedLicence.isPresent() ? Outcome.REJOINED : Outcome.JOINED;
    log.info(
        "broker: vendor {} {} at {} (licence {})",
        j.vendor(),
        o == Outcome.JOINED ? "joined" : "joined again",
        j.url(),
        j.licence().licenceId());
    return o;
  }

  private Optional<String> storedLicenceId(String vendor) {
    return new JoinedVendorStore(books.database()).licenceId(vendor);
  }

  private long joinedCount() {
    return new JoinedVendorStore(books.database()).count();
  }
}
