package org.millicent.vendor;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.millicent.keys.CustomerSecret;
import org.millicent.scrip.Scrip;

/**
 * A new customer of a vendor under test whom the vendor serves as its own broker ({@link
 * OwnCustomers}): her id, her customer secret, and scrip the vendor mints for her. Not a record, so
 * the secret is never printed. Immutable and thread-safe.
 */
final class OwnCustomer {
  private final VendorServer vendor;
  private final long id;
  private final CustomerSecret secret;

  private OwnCustomer(VendorServer vendor, long id, CustomerSecret secret) {
    this.vendor = vendor;
    this.id = id;
    this.secret = secret;
  }

  /** A customer id the vendor has not handed out before, with its secret. */
  static OwnCustomer of(VendorServer vendor) {
    OwnCustomers own = OwnCustomers.of(vendor);
    long id = own.newCustomerId();
    return new OwnCustomer(vendor, id, own.customerSecret(id));
  }

  long id() {
    return id;
  }

  CustomerSecret secret() {
    return secret;
  }

  /** Her scrip worth {@code valueMillicents}, expiring in an hour. */
  Scrip scrip(long valueMillicents) {
    return scrip(valueMillicents, Duration.ofHours(1));
  }

  /**
   * Her scrip worth {@code valueMillicents}, expiring {@code left} from now in whole seconds (the
   * precision the scrip carries, so the expiry a test computes is the one the token holds).
   */
  Scrip scrip(long valueMillicents, Duration left) {
    return OwnCustomers.of(vendor)
        .mint(valueMillicents, id, Instant.now().plus(left).truncatedTo(ChronoUnit.SECONDS));
  }
}
