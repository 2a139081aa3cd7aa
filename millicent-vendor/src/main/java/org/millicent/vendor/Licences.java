package org.millicent.vendor;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.millicent.keys.CustomerSecrets;
import org.millicent.keys.KeyState;
import org.millicent.keys.MasterSecrets;
import org.millicent.keys.SecretBytes;
import org.millicent.vendor.config.BrokerConfig;
import org.millicent.vendor.config.VendorConfig;
import org.millicent.vendor.store.GatewayStore;
import org.millicent.vendor.store.VendorKeyStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Licensed production (docs/HTTP-API.md, "Admin endpoints"): the vendor delegates key ids and a
 * customer selector to a broker, which mints scrip the vendor learns of only when it is spent. Key
 * ids and selectors come from {@value #FIRST_LICENCE_ID}..255, disjoint from the vendor's own
 * (below {@value #FIRST_LICENCE_ID}) and from every other licence's, and are never reused, also not
 * after a revocation. A revoked licence's key ids are retired: its scrip is refused as {@code
 * unknown-key}. Every spend of licensed scrip is recorded for the broker's settlement report
 * ({@link ReceivedRecords}, which asks {@link #minting} which licence minted a piece).
 *
 * <p>Replicas sharing one database (docs/BROKER.md, "Licences on replicas"): an issue or a
 * revocation (and a rotation or retirement of the vendor's own keys, {@link VendorKeys}) is one
 * transaction that writes only its own rows (the licence, its key and customer secrets one row
 * each, the key states it retires) after bumping the keys version, which serialises such changes
 * across processes; nothing is rewritten whole, so a replica that has not yet seen another's
 * licence cannot drop it. Every replica compares the stored version with the one it loaded every
 * {@link #REFRESH_INTERVAL} ({@link #refresh}) and reloads what changed, so a licence issued or
 * revoked, or a key rotated or retired, at one replica holds at every other within that interval.
 *
 * <p>Thread-safe: issuing, revoking and reloading are serialised; the key-id lookup on the payment
 * path reads a volatile snapshot.
 */
final class Licences {
  private static final Logger LOG = LoggerFactory.getLogger(Licences.class);

  /** Lowest key id and customer selector handed to licences. */
  static final int FIRST_LICENCE_ID = 128;

  /** Most key ids in one licence. */
  static final int MAX_KEY_IDS = 16;

  /** How often a replica looks for licences changed by another: the bound on their delay. */
  static final Duration REFRESH_INTERVAL = Duration.ofSeconds(2);

  /** How often a payment under an unknown key may make a replica look for new licences. */
  static final Duration MISS_CHECK_INTERVAL = Duration.ofMillis(100);

  private final VendorConfig config;
  private final GatewayStore store;
  private final VendorKeyStore keyStore;
  private final MasterSecrets masters;
  private final CustomerSecrets customers;
  private final SecureRandom random;
  private final InstantSource clock;

  /**
   * By key id: the licence minting under it, revoked or not, or null. Revoked licences stay, so a
   * spend validated just before a revocation and committed after it is still recorded as received.
   */
  private volatile GatewayStore.Licence[] byKeyId = new GatewayStore.Licence[256];

  /** The licences version the loaded state reflects (guarded by this). */
  private long loadedVersion = -1;

  /** Guards the unknown-key reload ({@link #refreshForUnknownKey}). */
  private final Object missLock = new Object();

  private long lastMissCheck = System.nanoTime() - MISS_CHECK_INTERVAL.toNanos();
  private boolean lastMissChanged;

  Licences(
      VendorConfig config,
      GatewayStore store,
      VendorKeyStore keyStore,
      MasterSecrets masters,
      CustomerSecrets customers,
      SecureRandom random,
      InstantSource clock) {
    this.config = config;
    this.clock = clock;
    this.store = store;
    this.keyStore = keyStore;
    this.masters = masters;
    this.customers = customers;
    this.random = random;
    reload();
  }

  /**
   * Issues a licence to a configured broker.
   *
   * @throws ProblemException {@code not-found} for an unknown broker, {@code bad-request} for a
   *     count or discount out of range, {@code conflict} when the key-id or selector space is used
   *     up
   * @throws org.millicent.storage.StorageException when the database fails (nothing is issued)
   */
  synchronized IssuedLicence issue(String brokerId, int keyIdCount, @Nullable Integer discountBps) {
    BrokerConfig broker =
        config.brokers().stream()
            .filter(b -> b.id().equals(brokerId))
            .findFirst()
            .orElseThrow(
                () ->
                    new ProblemException(
                        ProblemCode.NOT_FOUND,
                        "broker \"" + brokerId + "\" is not in the vendor's configuration"));
    if (keyIdCount < 1 || keyIdCount > MAX_KEY_IDS) {
      throw new ProblemException(
          ProblemCode.BAD_REQUEST, "key_ids must be 1.." + MAX_KEY_IDS + ", found " + keyIdCount);
    }
    int discount = discountBps == null ? broker.discountBps() : discountBps;
    if (discount < 0 || discount > 10_000) {
      throw new ProblemException(
          ProblemCode.BAD_REQUEST, "discount_bps must be 0..10000, found " + discount);
    }
    byte[] idBytes = new byte[8];
    random.nextBytes(idBytes);
    String licenceId = "lic-" + HexFormat.of().formatHex(idBytes);
    Instant issuedAt = clock.instant().truncatedTo(ChronoUnit.SECONDS);
    List<SecretBytes> secrets = new ArrayList<>();
    for (int i = 0; i < keyIdCount; i++) {
      secrets.add(SecretBytes.random(MasterSecrets.SECRET_LENGTH, random));
    }
    SecretBytes customerMaster = SecretBytes.random(CustomerSecrets.SECRET_LENGTH, random);
    GatewayStore.Licence licence =
        store.changeKeys(
            h -> {
              // Read after the version bump: what other replicas issued is in use.
              Set<Integer> usedKeys = GatewayStore.usedKeyIds(h);
              Set<Integer> usedSelectors = GatewayStore.usedSelectors(h);
              List<Integer> keyIds = new ArrayList<>();
              for (int k = FIRST_LICENCE_ID; k < 256 && keyIds.size() < keyIdCount; k++) {
                if (!usedKeys.contains(k)) {
                  keyIds.add(k);
                }
              }
              int selector = -1;
              for (int sel = FIRST_LICENCE_ID; sel < 256 && selector < 0; sel++) {
                selector = usedSelectors.contains(sel) ? -1 : sel;
              }
              if (keyIds.size() < keyIdCount || selector < 0) {
                throw new ProblemException(
                    ProblemCode.CONFLICT,
                    "no room for another licence: key ids and customer selectors "
                        + FIRST_LICENCE_ID
                        + "..255 are used up");
              }
              GatewayStore.Licence l =
                  new GatewayStore.Licence(
                      licenceId,
                      broker.id(),
                      List.copyOf(keyIds),
                      selector,
                      discount,
                      issuedAt,
                      null);
              for (int i = 0; i < keyIds.size(); i++) {
                keyStore
                    .vectors()
                    .insertMasterSecret(h, keyIds.get(i), secrets.get(i), KeyState.ACTIVE);
              }
              keyStore.vectors().insertCustomerSecret(h, selector, customerMaster);
              GatewayStore.insertLicence(h, l);
              return l;
            });
    reload();
    return new IssuedLicence(licence, secrets, customerMaster);
  }

  /**
   * The newest unrevoked licence of {@code brokerId}, with its secrets as stored, or a new one of
   * one key id when it has none: what a vendor joining that broker hands it (docs/BROKER.md,
   * "Vendors that join"). The same licence every time while it is not revoked, so joining again
   * after a restart changes nothing. The licence is handed only to the {@code origin} it was first
   * handed to: another broker that reports the same id is refused.
   *
   * @throws IllegalStateException when the held licence was handed to another origin (the message
   *     names both and what to do)
   * @throws ProblemException as {@link #issue}
   * @throws org.millicent.storage.StorageException when the database fails
   */
  synchronized IssuedLicence forBroker(String brokerId, java.net.URI origin) {
    GatewayStore.Licence held = null;
    for (GatewayStore.Licence l : store.licences()) {
      if (l.broker().equals(brokerId) && !l.revoked()) {
        held = l;
      }
    }
    String here = origin.toString();
    if (held == null) {
      IssuedLicence fresh = issue(brokerId, 1, null);
      store.recordLicenceOrigin(fresh.licence().licenceId(), here);
      return fresh;
    }
    Optional<String> recorded = store.licenceOrigin(held.licenceId());
    if (recorded.isPresent() && !recorded.get().equals(here)) {
      // Another broker that reports the same id (every zero-config broker is "broker") must not
      // get this licence's secrets, nor the settlement token of the broker it was issued to.
      throw new IllegalStateException(
          "licence "
              + held.licenceId()
              + " of broker \""
              + brokerId
              + "\" was issued to the broker at "
              + recorded.get()
              + ", not to "
              + here
              + ": if that is another broker, give the brokers distinct ids (broker_id in a"
              + " broker's configuration file); if the broker moved, revoke the old licence"
              + " (DELETE /millicent/admin/licences/"
              + held.licenceId()
              + ") and join again");
    }
    if (recorded.isEmpty()) {
      store.recordLicenceOrigin(held.licenceId(), here);
    }
    MasterSecrets storedKeys = keyStore.vectors().loadMasterSecrets();
    List<SecretBytes> secrets = new ArrayList<>();
    for (int k : held.keyIds()) {
      secrets.add(storedKeys.secret(k));
    }
    return new IssuedLicence(
        held, secrets, keyStore.vectors().loadCustomerSecrets().secret(held.customerSelector()));
  }

  /**
   * Revokes a licence: its key ids are retired, so its scrip is refused from now on here, and at
   * other replicas within {@link #REFRESH_INTERVAL}.
   *
   * @throws ProblemException {@code not-found} when there is no such unrevoked licence
   * @throws org.millicent.storage.StorageException when the database fails (nothing is revoked)
   */
  synchronized GatewayStore.Licence revoke(String licenceId) {
    GatewayStore.Licence licence =
        store.changeKeys(
            h -> {
              GatewayStore.Licence l =
                  GatewayStore.licences(h).stream()
                      .filter(x -> x.licenceId().equals(licenceId) && !x.revoked())
                      .findFirst()
                      .orElseThrow(
                          () ->
                              new ProblemException(
                                  ProblemCode.NOT_FOUND, "no active licence " + licenceId));
              for (int k : l.keyIds()) {
                keyStore.vectors().setMasterState(h, k, KeyState.RETIRED);
              }
              GatewayStore.revokeLicence(h, licenceId, clock.instant());
              return l;
            });
    reload();
    return licence;
  }

  /**
   * Reloads the licences and their secrets when another process changed them since they were loaded
   * (one read of the licences version otherwise). Called every {@link #REFRESH_INTERVAL}.
   *
   * @throws org.millicent.storage.StorageException when the database fails (tried again next time)
   */
  void refresh() {
    long stored = store.keysVersion();
    synchronized (this) {
      if (stored != loadedVersion) {
        reload();
      }
    }
  }

  /**
   * For a payment refused as {@code unknown-key}: reloads the licences if another process changed
   * them, so that scrip under a licence just issued at another replica is accepted here at once
   * rather than after the next {@link #refresh}. At most one look at the database per {@link
   * #MISS_CHECK_INTERVAL}, however many such payments arrive (unknown key ids cost an attacker
   * nothing to send); payments in between get the last look's answer.
   *
   * @return whether the last look loaded a change, so the payment is worth verifying again
   */
  boolean refreshForUnknownKey() {
    synchronized (missLock) {
      long now = System.nanoTime();
      if (now - lastMissCheck >= MISS_CHECK_INTERVAL.toNanos()) {
        lastMissCheck = now;
        long before = loadedVersion();
        try {
          refresh();
        } catch (RuntimeException e) {
          LOG.warn("could not look for licences issued at another replica", e);
        }
        lastMissChanged = loadedVersion() != before;
      }
      return lastMissChanged;
    }
  }

  private synchronized long loadedVersion() {
    return loadedVersion;
  }

  /**
   * Makes the in-memory licences and key vectors what the database holds: adds the keys and
   * customer secrets of licences issued elsewhere, and takes every master secret's state as stored
   * (a licence revoked, the vendor's own keys rotated or retired, here or at another replica). The
   * key-id map is published before a new key validates, so no spend under it goes unrecorded.
   */
  synchronized void reload() {
    long version = store.keysVersion(); // first: a change after it is seen next time
    List<GatewayStore.Licence> all = store.licences();
    MasterSecrets storedKeys = keyStore.vectors().loadMasterSecrets();
    CustomerSecrets storedCustomers = keyStore.vectors().loadCustomerSecrets();
    GatewayStore.Licence[] map = byKeyId.clone();
    for (GatewayStore.Licence l : all) {
      l.keyIds().forEach(k -> map[k] = l);
    }
    byKeyId = map;
    if (masters.syncFrom(storedKeys)) {
      LOG.info("master secrets now {}", masters);
    }
    for (GatewayStore.Licence l : all) {
      int sel = l.customerSelector();
      if (!customers.selectors().contains(sel) && storedCustomers.selectors().contains(sel)) {
        customers.put(sel, storedCustomers.secret(sel));
      }
    }
    loadedVersion = version;
  }

  /** Every licence, without secrets. */
  List<GatewayStore.Licence> list() {
    return store.licences();
  }

  /**
   * The licence minting under {@code keyId}, revoked or not; null for the vendor's own keys. One
   * array read: the payment path asks it for every spend.
   */
  GatewayStore.@Nullable Licence minting(int keyId) {
    return byKeyId[keyId];
  }
}
