package org.millicent.purchase;

import java.time.Instant;
import java.time.InstantSource;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.millicent.bytes.ConstantTime;
import org.millicent.failure.ExpiredException;
import org.millicent.failure.ForgedException;
import org.millicent.failure.MalformedException;
import org.millicent.failure.UnknownKeyException;
import org.millicent.failure.WrongCustomerException;
import org.millicent.failure.WrongVendorException;
import org.millicent.internal.Hmac;
import org.millicent.keys.CustomerSecret;
import org.millicent.keys.CustomerSecrets;
import org.millicent.keys.MasterSecrets;
import org.millicent.protocol.Macs;
import org.millicent.protocol.Payment;
import org.millicent.protocol.PrivateMessages;
import org.millicent.protocol.SealedBox;
import org.millicent.protocol.Variant;
import org.millicent.scrip.Certificate;
import org.millicent.scrip.Scrip;
import org.millicent.scrip.ScripCodec;
import org.millicent.scrip.SpendMode;

/**
 * The read-only checks of docs/PROTOCOL.md, "Validation", shared by purchases and exchanges:
 * decode, vendor, key id active, certificate (constant time), expiry and, for a payment, the
 * customer binding. Nothing here claims or consumes scrip.
 *
 * <p>Thread-safe: all state lives in the thread-safe secret vectors.
 */
final class PaymentVerifier {

  /**
   * A payment whose scrip and request passed every check that needs no spent list.
   *
   * @param variant the variant it came in
   * @param scrip the decoded scrip
   * @param encodedScrip the scrip's encoding exactly as sent
   * @param fingerprint 16 bytes identifying the paying request
   * @param secret the customer secret (null for the clear variant)
   */
  record Verified(
      Variant variant,
      Scrip scrip,
      byte[] encodedScrip,
      byte[] fingerprint,
      @Nullable CustomerSecret secret) {}

  private final String vendor;
  private final MasterSecrets masters;
  private final CustomerSecrets customers;
  private final InstantSource clock;
  private final Set<Variant> accepted;

  PaymentVerifier(
      String vendor,
      MasterSecrets masters,
      CustomerSecrets customers,
      InstantSource clock,
      Set<Variant> accepted) {
    this.vendor = vendor;
    this.masters = masters;
    this.customers = customers;
    this.clock = clock;
    this.accepted = accepted.isEmpty() ? Set.of() : EnumSet.copyOf(accepted);
  }

  String vendor() {
    return vendor;
  }

  InstantSource clock() {
    return clock;
  }

  Set<Variant> accepted() {
    return Set.copyOf(accepted);
  }

  CustomerSecret customerSecret(long customerId) {
    return customers.derive(vendor, customerId);
  }

  /** Every check of {@code payment} short of the price and the spent list. */
  Verified verify(Payment payment) {
    return switch (payment) {
      case Payment.Clear c -> verifyClear(c);
      case Payment.Signed s -> verifySigned(s);
      case Payment.Private p -> verifyPrivate(p);
    };
  }

  private Verified verifyClear(Payment.Clear c) {
    requireVariant(Variant.CLEAR);
    Scrip scrip = checkedScrip(c.scrip());
    if (scrip.spend() != SpendMode.BEARER) {
      throw new WrongCustomerException(
          "scrip "
              + scrip.id()
              + " is bound to customer "
              + Long.toUnsignedString(scrip.customerId())
              + " and is spent only with the customer secret (signed or private), never in the"
              + " clear");
    }
    byte[] fingerprint =
        Arrays.copyOf(
            Hmac.sha256(Macs.requestInput(c.scrip(), c.nonce(), c.request())), Macs.LENGTH);
    return new Verified(Variant.CLEAR, scrip, c.scrip(), fingerprint, null);
  }

  private Verified verifySigned(Payment.Signed s) {
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
    return new Verified(Variant.SIGNED, scrip, s.scrip(), expected, secret);
  }

  private Verified verifyPrivate(Payment.Private p) {
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
    return new Verified(
        Variant.PRIVATE, scrip, opened.scrip(), SealedBox.tag(p.sealedPayment()), secret);
  }

  /** Decode, vendor, key, certificate, expiry: the checks that need no customer. */
  Scrip checkedScrip(byte[] encoded) {
    Scrip scrip = ScripCodec.decode(encoded);
    if (!vendor.equals(scrip.vendor())) {
      throw new WrongVendorException(
          "scrip is for vendor \"" + scrip.vendor() + "\", this is \"" + vendor + '"');
    }
    int keyId = scrip.id().keyId();
    if (!masters.validates(keyId)) {
      throw new UnknownKeyException("key id " + keyId + " is unknown or retired at " + vendor);
    }
    byte[] body = Arrays.copyOf(encoded, encoded.length - Certificate.LENGTH);
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
              + now.truncatedTo(ChronoUnit.SECONDS));
    }
    return scrip;
  }

  private void requireVariant(Variant v) {
    if (!accepted.contains(v)) {
      throw new MalformedException(
          "vendor " + vendor + " does not accept the " + v.wireName() + " variant");
    }
  }
}
