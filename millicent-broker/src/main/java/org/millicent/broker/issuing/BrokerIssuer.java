package org.millicent.broker.issuing;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Set;
import org.millicent.protocol.Variant;
import org.millicent.purchase.PurchaseService;
import org.millicent.storage.Database;

/**
 * The broker as the issuer of its own scrip (docs/BROKER.md: "a broker is a vendor"): its keys, the
 * spent set and serials of broker scrip, and the core {@link PurchaseService} that sells broker
 * scrip and takes it in payment, signed variant only. Thread-safe.
 */
public final class BrokerIssuer {
  private final BrokerKeys keys;
  private final BrokerSpendRecorder spends;
  private final IssuerSerials serials;
  private final PurchaseService purchases;

  private BrokerIssuer(
      BrokerKeys keys,
      BrokerSpendRecorder spends,
      IssuerSerials serials,
      PurchaseService purchases) {
    this.keys = keys;
    this.spends = spends;
    this.serials = serials;
    this.purchases = purchases;
  }

  /**
   * Loads (or creates) the broker's keys on {@code db} and its spent set and serials.
   *
   * @param scripLifetime how long broker scrip stays valid
   * @throws org.millicent.storage.StorageException when the database cannot be used
   */
  public static BrokerIssuer open(
      Database db,
      String brokerId,
      InstantSource clock,
      SecureRandom random,
      Duration scripLifetime) {
    BrokerKeys keys = BrokerKeys.loadOrCreate(db, clock, random);
    BrokerSpendRecorder spends = new BrokerSpendRecorder(db, brokerId, clock);
    IssuerSerials serials = new IssuerSerials(db, brokerId);
    PurchaseService purchases =
        new PurchaseService(
            brokerId,
            keys.masters(),
            keys.customers(),
            spends,
            serials,
            clock,
            scripLifetime,
            Set.of(Variant.SIGNED));
    return new BrokerIssuer(keys, spends, serials, purchases);
  }

  /** The broker's master and customer secrets. */
  public BrokerKeys keys() {
    return keys;
  }

  /** The spent set of broker scrip. */
  public BrokerSpendRecorder spends() {
    return spends;
  }

  /** The purchase service of broker scrip. */
  public PurchaseService purchases() {
    return purchases;
  }

  /** Reloads the spent set and serials from the database, after the books undid a failed batch. */
  public void reload() {
    spends.reload();
    serials.reload();
  }
}
