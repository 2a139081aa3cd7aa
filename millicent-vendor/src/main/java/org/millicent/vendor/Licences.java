package org.millicent.vendor;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import org.millicent.keys.CustomerSecrets;
import org.millicent.keys.KeyState;
import org.millicent.keys.MasterSecrets;
import org.millicent.keys.SecretBytes;
import org.millicent.scrip.Scrip;
import org.millicent.storage.vendor.VendorKeyStore;
import org.millicent.vendor.config.BrokerConfig;
import org.millicent.vendor.config.VendorConfig;

/**
 * Licensed production (docs/HTTP-API.md, "Admin endpoints"): the vendor delegates key ids and a
 * customer selector to a broker, which mints scrip the vendor learns of only when it is spent. Key
 * ids and selectors come from {@value #FIRST_LICENCE_ID}..255, disjoint from the vendor's own
 * (below {@value #FIRST_LICENCE_ID}) and from every other licence's, and are never reused, also not
 * after a revocation. A revoked licence's key ids are retired: its scrip is refused as {@code
 * unknown-key}. Every spend of licensed scrip is recorded for the broker's settlement report.
 *
 * <p>Thread-safe: issuing and revoking are serialised; the key-id lookup on the payment path reads
 * a volatile snapshot.
 */
final class Licences {
  /** Lowest key id and customer selector handed to licences. */
  static final int FIRST_LICENCE_ID = 128;

  /** Most key ids in one licence. */
  static final int MAX_KEY_IDS = 16;

  /** A licence just issued, with the secrets the broker needs (shown once). */
  record Issued(
      GatewayStore.Licence licence,
      List<SecretBytes> masterSecrets,
      SecretBytes customerMasterSecret) {}

  private final VendorConfig config;
  private final GatewayStore store;
  private final VendorKeyStore keyStore;
  private final MasterSecrets masters;
  private final CustomerSecrets customers;
  private final SecureRandom random;

  /** By key id: the unrevoked licence minting under it, or null. */
  private volatile GatewayStore.Licence[] byKeyId = new GatewayStore.Licence[256];

  Licences(
      VendorConfig config,
      GatewayStore store,
      VendorKeyStore keyStore,
      MasterSecrets masters,
      CustomerSecrets customers,
      SecureRandom random) {
    this.config = config;
    this.store = store;
    this.keyStore = keyStore;
    this.masters = masters;
    this.customers = customers;
    this.random = random;
    GatewayStore.Licence[] map = new GatewayStore.Licence[256];
    for (GatewayStore.Licence l : store.licences()) {
      if (!l.revoked()) {
        l.keyIds().forEach(k -> map[k] = l);
      }
    }
    this.byKeyId = map;
  }

  /**
   * Issues a licence to a configured broker.
   *
   * @throws ProblemException {@code not-found} for an unknown broker, {@code bad-request} for a
   *     count or discount out of range, {@code conflict} when the key-id or selector space is used
   *     up
   */
  synchronized Issued issue(String brokerId, int keyIdCount, Integer discountBps) {
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
    Set<Integer> usedKeys = new HashSet<>(store.licencedKeyIds());
    masters.keys().forEach(k -> usedKeys.add(k.keyId()));
    List<Integer> keyIds = new ArrayList<>();
    for (int k = FIRST_LICENCE_ID; k < 256 && keyIds.size() < keyIdCount; k++) {
      if (!usedKeys.contains(k)) {
        keyIds.add(k);
      }
    }
    Set<Integer> usedSelectors = new HashSet<>(store.licencedSelectors());
    usedSelectors.addAll(customers.selectors());
    int selector = -1;
    for (int s = FIRST_LICENCE_ID; s < 256; s++) {
      if (!usedSelectors.contains(s)) {
        selector = s;
        break;
      }
    }
    if (keyIds.size() < keyIdCount || selector < 0) {
      throw new ProblemException(
          ProblemCode.CONFLICT,
          "no room for another licence: key ids and customer selectors "
              + FIRST_LICENCE_ID
              + "..255 are used up");
    }
    byte[] idBytes = new byte[8];
    random.nextBytes(idBytes);
    GatewayStore.Licence licence =
        new GatewayStore.Licence(
            "lic-" + HexFormat.of().formatHex(idBytes),
            broker.id(),
            List.copyOf(keyIds),
            selector,
            discount,
            Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS),
            null);
    List<SecretBytes> secrets = new ArrayList<>();
    for (int k : keyIds) {
      SecretBytes s = SecretBytes.random(MasterSecrets.SECRET_LENGTH, random);
      secrets.add(s);
      masters.put(k, s, KeyState.ACTIVE);
    }
    SecretBytes customerMaster = SecretBytes.random(CustomerSecrets.SECRET_LENGTH, random);
    customers.put(selector, customerMaster);
    // Secrets first: a licence row whose keys were lost would make its scrip unknown.
    keyStore.saveMasterSecrets(masters);
    keyStore.saveCustomerSecrets(customers);
    store.insertLicence(licence);
    GatewayStore.Licence[] next = byKeyId.clone();
    keyIds.forEach(k -> next[k] = licence);
    byKeyId = next;
    return new Issued(licence, secrets, customerMaster);
  }

  /**
   * Revokes a licence: its key ids are retired, so its scrip is refused from now on.
   *
   * @throws ProblemException {@code not-found} when there is no such unrevoked licence
   */
  synchronized GatewayStore.Licence revoke(String licenceId) {
    GatewayStore.Licence licence =
        store.licences().stream()
            .filter(l -> l.licenceId().equals(licenceId) && !l.revoked())
            .findFirst()
            .orElseThrow(
                () ->
                    new ProblemException(ProblemCode.NOT_FOUND, "no active licence " + licenceId));
    for (int k : licence.keyIds()) {
      if (masters.validates(k)) {
        masters.retire(k);
      }
    }
    keyStore.saveMasterSecrets(masters);
    store.revokeLicence(licenceId, Instant.now());
    GatewayStore.Licence[] next = byKeyId.clone();
    licence.keyIds().forEach(k -> next[k] = null);
    byKeyId = next;
    return licence;
  }

  /** Every licence, without secrets. */
  List<GatewayStore.Licence> list() {
    return store.licences();
  }

  /**
   * Records {@code scrip} as received from its licensed broker if a licence minted it; a no-op (one
   * array read) for the vendor's own scrip.
   */
  void received(Scrip scrip) {
    GatewayStore.Licence l = byKeyId[scrip.id().keyId()];
    if (l != null) {
      store.recordReceived(
          l.broker(), l.licenceId(), scrip.id().toLong(), scrip.valueMillicents(), Instant.now());
    }
  }
}
