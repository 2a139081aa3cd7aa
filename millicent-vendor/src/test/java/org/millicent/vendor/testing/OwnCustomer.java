package org.millicent.vendor.testing;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.function.Supplier;
import org.millicent.keys.CustomerSecret;
import org.millicent.scrip.Scrip;
import org.millicent.vendor.MillicentGateway;
import org.millicent.vendor.OwnCustomers;
import org.millicent.vendor.VendorServer;

/**
 * A new customer of a vendor under test whom the vendor serves as its own broker ({@link
 * OwnCustomers}): her id, her customer secret, and scrip the vendor mints for her. Shipped in
 * millicent-vendor's test-jar. Not a record, so the secret is never printed. Immutable and
 * thread-safe.
 */
public final class OwnCustomer {
  /** Asked anew for each piece of scrip: the vendor's state may change (new keys) meanwhile. */
  private final Supplier<OwnCustomers> own;

  private final long id;
  private final CustomerSecret secret;

  private OwnCustomer(Supplier<OwnCustomers> own) {
    this.own = own;
    this.id = own.get().newCustomerId();
    this.secret = own.get().customerSecret(id);
  }

  /** A customer id the running vendor has not handed out before, with its secret. */
  public static OwnCustomer of(VendorServer vendor) {
    return new OwnCustomer(() -> OwnCustomers.of(vendor));
  }

  /** A customer id the open gateway has not handed out before, with its secret. */
  public static OwnCustomer of(MillicentGateway vendor) {
    return new OwnCustomer(() -> OwnCustomers.of(vendor));
  }

  /** A new customer of {@code vendor} holding scrip of {@code valueMillicents}, for an hour. */
  public static Funded funded(MillicentGateway vendor, long valueMillicents) {
    OwnCustomer c = of(vendor);
    return new Funded(c, c.scrip(valueMillicents));
  }

  /** Her customer id. */
  public long id() {
    return id;
  }

  /** Her customer secret; never log it. */
  public CustomerSecret secret() {
    return secret;
  }

  /** Her scrip worth {@code valueMillicents}, expiring in an hour. */
  public Scrip scrip(long valueMillicents) {
    return scrip(valueMillicents, Duration.ofHours(1));
  }

  /**
   * Her scrip worth {@code valueMillicents}, expiring {@code left} from now in whole seconds (the
   * precision the scrip carries, so the expiry a test computes is the one the token holds).
   */
  public Scrip scrip(long valueMillicents, Duration left) {
    return own.get()
        .mint(valueMillicents, id, Instant.now().plus(left).truncatedTo(ChronoUnit.SECONDS));
  }

  /**
   * An own customer with one piece of her scrip, to pay with ({@link TestHttp#signed(Funded,
   * String, String)}). Immutable.
   */
  public record Funded(OwnCustomer customer, Scrip scrip) {
    /** Her customer id. */
    public long id() {
      return customer.id();
    }

    /** Her customer secret; never log it. */
    public CustomerSecret secret() {
      return customer.secret();
    }
  }
}
