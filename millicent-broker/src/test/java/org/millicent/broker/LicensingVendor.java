package org.millicent.broker;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Map;
import java.util.Set;
import org.millicent.broker.supply.Licence;
import org.millicent.keys.CustomerSecrets;
import org.millicent.keys.KeyState;
import org.millicent.keys.MasterSecrets;
import org.millicent.keys.SecretBytes;
import org.millicent.protocol.Variant;
import org.millicent.purchase.InMemorySerialAllocator;
import org.millicent.purchase.InMemorySpendRecorder;
import org.millicent.purchase.PurchaseService;

/**
 * The vendor's side of licensing, built from the core as the vendor gateway builds it: the vendor's
 * own key, a key id and customer selector delegated to the broker, and a purchase service that
 * validates what customers spend (the vendor's own check of licensed scrip). Not thread-safe.
 */
final class LicensingVendor {
  static final int LICENSED_KEY = 200;
  static final int LICENSED_SELECTOR = 201;

  final String vendor;
  final MasterSecrets masters;
  final CustomerSecrets customers;
  final PurchaseService purchases;
  final Licence licence;

  LicensingVendor(String vendor, String broker, int discountBps, InstantSource clock) {
    SecureRandom random = new SecureRandom();
    this.vendor = vendor;
    this.masters = MasterSecrets.generate(0, random);
    SecretBytes delegated = SecretBytes.random(32, random);
    masters.put(LICENSED_KEY, delegated, KeyState.ACTIVE);
    this.customers = CustomerSecrets.generate(0, random);
    SecretBytes selectorSecret = SecretBytes.random(32, random);
    customers.put(LICENSED_SELECTOR, selectorSecret);
    this.licence =
        new Licence(
            "lic-" + vendor,
            vendor,
            broker,
            Map.of(LICENSED_KEY, delegated),
            LICENSED_SELECTOR,
            selectorSecret,
            discountBps,
            86_400);
    this.purchases =
        new PurchaseService(
            vendor,
            masters,
            customers,
            new InMemorySpendRecorder(),
            new InMemorySerialAllocator(),
            clock,
            Duration.ofDays(1),
            Set.of(Variant.SIGNED));
  }
}
