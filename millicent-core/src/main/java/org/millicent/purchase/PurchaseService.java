package org.millicent.purchase;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import org.millicent.failure.ExpiredException;
import org.millicent.failure.ForgedException;
import org.millicent.failure.InsufficientValueException;
import org.millicent.failure.MalformedException;
import org.millicent.failure.PaymentException;
import org.millicent.failure.SpentException;
import org.millicent.failure.UnknownKeyException;
import org.millicent.failure.WrongCustomerException;
import org.millicent.failure.WrongVendorException;
import org.millicent.internal.ConstantTime;
import org.millicent.internal.Hmac;
import org.millicent.keys.CustomerSecret;
import org.millicent.keys.CustomerSecrets;
import org.millicent.keys.MasterSecrets;
import org.millicent.protocol.Macs;
import org.millicent.protocol.Payment;
import org.millicent.protocol.PrivateMessages;
import org.millicent.protocol.SealedBox;
import org.millicent.protocol.Variant;
import org.millicent.scrip.Scrip;
import org.millicent.scrip.ScripCodec;

/**
 * The vendor's side of a purchase: validates a payment and makes change (docs/PROTOCOL.md,
 * "Validation"). The order is fixed: decode, vendor, key id active, certificate (constant time),
 * expiry, customer binding, value covers price, claim (not yet spent), mint change with a fresh
 * serial. Every check before the claim only reads, so invalid or insufficient scrip is never
 * consumed.
 *
 * <p>Thread-safe: all state lives in the thread-safe secrets, recorder and allocator.
 */
public final class PurchaseService {
  private final String vendor;
  private final MasterSecrets masters;
  private final CustomerSecrets customers;
  private final SpendRecorder recorder;
  private final ScripMinter minter;
  private final InstantSource clock;
  private final Duration changeLifetime;
  private final Set<Variant> accepted;

  /**
   * A purchase service for one vendor.
   *
   * @param vendor the vendor id scrip must carry
   * @param masters the master scrip secrets (primary mints change)
   * @param customers the customer master secrets
   * @param recorder decides and records spends
   * @param serials serials for change
   * @param clock the time used for expiry
   * @param changeLifetime how long change stays valid
   * @param accepted the variants this vendor takes
   */
  public PurchaseService(
      String vendor,
      MasterSecrets masters,
      CustomerSecrets customers,
      SpendRecorder recorder,
      SerialAllocator serials,
      InstantSource clock,
      Duration changeLifetime,
      Set<Variant> accepted) {
    this.vendor = vendor;
    this.masters = masters;
    this.customers = customers;
    this.recorder = recorder;
    this.minter = new ScripMinter(vendor, masters, serials);
    this.clock = clock;
    if (changeLifetime.isNegative() || changeLifetime.isZero()) {
      throw new IllegalArgumentException("change lifetime must be positive");
    }
    this.changeLifetime = changeLifetime;
    this.accepted = accepted.isEmpty() ? Set.of() : EnumSet.copyOf(accepted);
  }

  /** The vendor id. */
  public String vendor() {
    return vendor;
  }

  /** The minter this service uses for change, to mint other scrip consistently. */
  public ScripMinter minter() {
    return minter;
  }

  /** The variants accepted. */
  public Set<Variant> accepted() {
    return Set.copyOf(accepted);
  }

  /**
   * Validates {@code payment} against the price and claims its scrip; the caller then commits or
   * releases the returned purchase.
   *
   * @throws PaymentException with the code of the first check that failed; nothing is consumed
   */
  public Purchase begin(Payment payment, Pricer pricer) {
    return switch (payment) {
      case Payment.Clear c -> beginClear(c, pricer);
      case Payment.Signed s -> beginSigned(s, pricer);
      case Payment.Private p -> beginPrivate(p, pricer);
    };
  }

  /**
   * Validates, claims and commits in one step.
   *
   * @throws PaymentException as {@link #begin}
   */
  public Purchase pay(Payment payment, Pricer pricer) {
    Purchase p = begin(payment, pricer);
    p.commit();
    return p;
  }

  private Purchase beginClear(Payment.Clear c, Pricer pricer) {
    requireVariant(Variant.CLEAR);
    Scrip scrip = checkedScrip(c.scrip());
    byte[] fingerprint =
        Arrays.copyOf(
            Hmac.sha256(Macs.requestInput(c.scrip(), c.nonce(), c.request())), Macs.LENGTH);
    return settle(Variant.CLEAR, scrip, fingerprint, null, pricer);
  }

  private Purchase beginSigned(Payment.Signed s, Pricer pricer) {
    requireVariant(Variant.SIGNED);
    Scrip scrip = checkedScrip(s.scrip());
    CustomerSecret secret = customers.derive(vendor, scrip.customerId());
    byte[] expected = Macs.mac(secret, Macs.requestInput(s.scrip(), s.nonce(), s.request()));
    if (s.mac().length != Macs.LENGTH || !ConstantTime.equal(expected, s.mac())) {
      throw new WrongCustomerException(
          "request MAC does not verify under the secret of customer "
              + Long.toUnsignedString(scrip.customerId())
              + ": the scrip is not the payer's, or the request was altered");
    }
    return settle(Variant.SIGNED, scrip, expected, secret, pricer);
  }

  private Purchase beginPrivate(Payment.Private p, Pricer pricer) {
    requireVariant(Variant.PRIVATE);
    if (!vendor.equals(p.vendor())) {
      throw new WrongVendorException(
          "payment is addressed to vendor \"" + p.vendor() + "\", this is \"" + vendor + '"');
    }
    CustomerSecret secret = customers.derive(vendor, p.customerId());
    byte[] plain =
        SealedBox.open(
            secret.privateKey(),
            p.sealedPayment(),
            PrivateMessages.paymentAad(vendor, p.customerId(), p.request()));
    PrivateMessages.OpenedPayment opened = PrivateMessages.parsePaymentPlaintext(plain);
    Scrip scrip = checkedScrip(opened.scrip());
    if (scrip.customerId() != p.customerId()) {
      throw new WrongCustomerException(
          "scrip belongs to customer "
              + Long.toUnsignedString(scrip.customerId())
              + ", the payment came from customer "
              + Long.toUnsignedString(p.customerId()));
    }
    return settle(Variant.PRIVATE, scrip, SealedBox.tag(p.sealedPayment()), secret, pricer);
  }

  /** Decode, vendor, key, certificate, expiry: the checks that need no customer. */
  private Scrip checkedScrip(byte[] encoded) {
    Scrip scrip = ScripCodec.decode(encoded);
    if (!vendor.equals(scrip.vendor())) {
      throw new WrongVendorException(
          "scrip is for vendor \"" + scrip.vendor() + "\", this is \"" + vendor + '"');
    }
    int keyId = scrip.id().keyId();
    if (!masters.validates(keyId)) {
      throw new UnknownKeyException("key id " + keyId + " is unknown or retired at " + vendor);
    }
    byte[] body = Arrays.copyOf(encoded, encoded.length - org.millicent.scrip.Certificate.LENGTH);
    if (!masters.certify(keyId, body).matches(scrip.certificate())) {
      throw new ForgedException("certificate of scrip " + scrip.id() + " does not verify");
    }
    Instant now = clock.instant();
    if (!now.isBefore(scrip.expiresAt())) {
      throw new ExpiredException(
          "scrip "
              + scrip.id()
              + " expired at "
              + scrip.expiresAt()
              + ", now is "
              + now.truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
    }
    return scrip;
  }

  private Purchase settle(
      Variant variant, Scrip scrip, byte[] fingerprint, CustomerSecret secret, Pricer pricer) {
    long price = pricer.priceMillicents(scrip.body());
    if (price < 0) {
      throw new IllegalStateException("pricer returned a negative price " + price);
    }
    if (scrip.valueMillicents() < price) {
      throw new InsufficientValueException(
          "price is "
              + price
              + " millicents, scrip "
              + scrip.id()
              + " holds "
              + scrip.valueMillicents());
    }
    SpendRecorder.Claim claim = recorder.claim(scrip.id(), scrip.expiresAt(), fingerprint);
    return switch (claim) {
      case SpendRecorder.AlreadySpent a ->
          throw new SpentException("scrip " + scrip.id() + " has already been spent");
      case SpendRecorder.Replayed r ->
          new Purchase(
              variant, scrip, r.priceMillicents(), r.change(), fingerprint, secret, recorder, true);
      case SpendRecorder.Claimed c -> {
        Optional<Scrip> change;
        try {
          change = mintChange(scrip, price);
        } catch (RuntimeException e) {
          recorder.release(scrip.id());
          throw e;
        }
        yield new Purchase(variant, scrip, price, change, fingerprint, secret, recorder, false);
      }
    };
  }

  private Optional<Scrip> mintChange(Scrip scrip, long price) {
    long rest = scrip.valueMillicents() - price;
    if (rest == 0) {
      return Optional.empty();
    }
    Instant expires =
        clock.instant().plus(changeLifetime).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
    return Optional.of(minter.mint(rest, scrip.customerId(), expires, scrip.properties()));
  }

  private void requireVariant(Variant v) {
    if (!accepted.contains(v)) {
      throw new MalformedException(
          "vendor " + vendor + " does not accept the " + v.wireName() + " variant");
    }
  }
}
