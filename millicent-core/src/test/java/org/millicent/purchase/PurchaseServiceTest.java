package org.millicent.purchase;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.millicent.purchase.TestVendor.ALICE;
import static org.millicent.purchase.TestVendor.CAROL;
import static org.millicent.purchase.TestVendor.EXPIRES;
import static org.millicent.purchase.TestVendor.GET_PAGE;
import static org.millicent.purchase.TestVendor.NOBODY;
import static org.millicent.purchase.TestVendor.VENDOR;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.millicent.failure.ExpiredException;
import org.millicent.failure.FailureCode;
import org.millicent.failure.ForgedException;
import org.millicent.failure.InsufficientValueException;
import org.millicent.failure.MalformedException;
import org.millicent.failure.SpentException;
import org.millicent.failure.UnknownKeyException;
import org.millicent.failure.WrongCustomerException;
import org.millicent.failure.WrongVendorException;
import org.millicent.keys.CustomerSecret;
import org.millicent.protocol.Nonce;
import org.millicent.protocol.Payer;
import org.millicent.protocol.Payment;
import org.millicent.protocol.RequestDescriptor;
import org.millicent.protocol.Variant;
import org.millicent.scrip.Scrip;
import org.millicent.scrip.ScripCodec;
import org.millicent.scrip.ScripProperties;
import org.millicent.scrip.SpendMode;

class PurchaseServiceTest {
  private final TestVendor v = new TestVendor();

  @Test
  void pay_signedWithEnoughValue_isAcceptedAndMarksTheScripSpent() {
    Scrip scrip = v.mint(1000, ALICE);

    Purchase p = v.service.pay(v.signed(scrip), Pricer.fixed(100));

    assertThat(p.variant()).isEqualTo(Variant.SIGNED);
    assertThat(p.priceMillicents()).isEqualTo(100);
    assertThat(p.isReplay()).isFalse();
    assertThat(v.recorder.spentSet().contains(scrip.id())).isTrue();
    String secretHex = java.util.HexFormat.of().formatHex(v.secretOf(ALICE).toByteArray());
    assertThat(p.toString()).doesNotContain(secretHex).doesNotContain(secretHex.substring(0, 12));
  }

  @Test
  void pay_sameScripTwice_isRejectedAsSpent() {
    Scrip scrip = v.mint(1000, ALICE);
    v.service.pay(v.signed(scrip), Pricer.fixed(100));

    assertThatThrownBy(() -> v.service.pay(v.signed(scrip), Pricer.fixed(100)))
        .isInstanceOf(SpentException.class)
        .extracting(e -> ((SpentException) e).code())
        .isEqualTo(FailureCode.SPENT);
  }

  @Test
  void pay_changeIsFreshScripForTheRestBoundToTheSameCustomer() {
    Scrip scrip = v.minter.mint(1000, ALICE, EXPIRES, ScripProperties.of(Map.of("country", "US")));

    Purchase p = v.service.pay(v.signed(scrip), Pricer.fixed(300));

    Scrip change = p.change().orElseThrow();
    assertThat(change.valueMillicents()).isEqualTo(700);
    assertThat(change.customerId()).isEqualTo(ALICE);
    assertThat(change.vendor()).isEqualTo(VENDOR);
    assertThat(change.properties()).isEqualTo(scrip.properties());
    assertThat(change.id()).isNotEqualTo(scrip.id());
    assertThat(change.id().keyId()).isEqualTo(0);
    assertThat(change.expiresAt())
        .isEqualTo(
            TestVendor.START.plus(TestVendor.CHANGE_LIFETIME).truncatedTo(ChronoUnit.SECONDS));
    assertThat(v.recorder.spentSet().contains(change.id())).isFalse();
    // The change is genuine: it pays in turn, and its own change has yet another serial.
    Purchase second = v.service.pay(v.signed(change), Pricer.fixed(200));
    assertThat(second.change().orElseThrow().valueMillicents()).isEqualTo(500);
    assertThat(second.change().orElseThrow().id()).isNotIn(scrip.id(), change.id());
  }

  @Test
  void pay_exactPrice_givesNoChange() {
    Scrip scrip = v.mint(100, ALICE);

    Purchase p = v.service.pay(v.signed(scrip), Pricer.fixed(100));

    assertThat(p.change()).isEmpty();
    assertThat(p.changeBytes()).isEmpty();
  }

  @Test
  void pay_insufficientValue_isRejectedAndNotConsumed() {
    Scrip scrip = v.mint(50, ALICE);

    assertThatThrownBy(() -> v.service.pay(v.signed(scrip), Pricer.fixed(100)))
        .isInstanceOf(InsufficientValueException.class)
        .hasMessageContaining("100")
        .hasMessageContaining("50");
    assertThat(v.spentCount()).isZero();

    // Not consumed: the same scrip pays a price it covers.
    Purchase p = v.service.pay(v.signed(scrip), Pricer.fixed(50));
    assertThat(p.change()).isEmpty();
  }

  @Test
  void pay_scripOfAnotherVendor_isRejectedAsWrongVendor() {
    ScripMinter other = new ScripMinter("otherstore", v.masters, v.serials);
    Scrip scrip = other.mint(1000, ALICE, EXPIRES, ScripProperties.NONE);

    assertThatThrownBy(() -> v.service.pay(v.signed(scrip), Pricer.fixed(100)))
        .isInstanceOf(WrongVendorException.class);
    assertThat(v.spentCount()).isZero();
  }

  @Test
  void pay_signedWithAnotherCustomersSecret_isRejectedAsWrongCustomer() {
    Scrip alices = v.mint(1000, ALICE);
    CustomerSecret carols = v.secretOf(CAROL);
    Payment.Signed stolen = Payer.signed(alices, carols, Nonce.random(v.random), GET_PAGE);

    assertThatThrownBy(() -> v.service.pay(stolen, Pricer.fixed(100)))
        .isInstanceOf(WrongCustomerException.class);
    assertThat(v.spentCount()).isZero();

    // Twin: the owner's own signature on the same scrip is accepted.
    assertThat(v.service.pay(v.signed(alices), Pricer.fixed(100)).scrip()).isEqualTo(alices);
  }

  @Test
  void pay_customerWithoutMasterSecret_isRejectedAsUnknownKey() {
    Scrip scrip = v.mint(1000, NOBODY);
    CustomerSecret guessed = CustomerSecret.of(new byte[32]);
    Payment.Signed payment = Payer.signed(scrip, guessed, Nonce.random(v.random), GET_PAGE);

    assertThatThrownBy(() -> v.service.pay(payment, Pricer.fixed(100)))
        .isInstanceOf(UnknownKeyException.class);
    assertThat(v.spentCount()).isZero();
  }

  @Test
  void pay_scripUnderAKeyTheVendorLacks_isRejectedAsUnknownKey() {
    Scrip scrip = v.minter.mintUnder(0, 1000, ALICE, EXPIRES, ScripProperties.NONE);
    Scrip relabelled =
        new Scrip(
            new org.millicent.scrip.ScripBody(
                scrip.vendor(),
                scrip.valueMillicents(),
                new org.millicent.scrip.ScripId(9, scrip.id().serial()),
                scrip.customerId(),
                scrip.expiresAt(),
                scrip.properties()),
            scrip.certificate());

    assertThatThrownBy(() -> v.service.pay(v.signed(relabelled), Pricer.fixed(100)))
        .isInstanceOf(UnknownKeyException.class);
    assertThat(v.spentCount()).isZero();
  }

  @Test
  void pay_scripWithAlteredValue_isRejectedAsForged() {
    Scrip scrip = v.mint(100, ALICE);
    Scrip inflated =
        new Scrip(
            new org.millicent.scrip.ScripBody(
                scrip.vendor(),
                1_000_000,
                scrip.id(),
                scrip.customerId(),
                scrip.expiresAt(),
                scrip.properties()),
            scrip.certificate());

    assertThatThrownBy(() -> v.service.pay(v.signed(inflated), Pricer.fixed(100)))
        .isInstanceOf(ForgedException.class);
    assertThat(v.spentCount()).isZero();
  }

  @Test
  void pay_atTheExpiryInstant_isRejectedAsExpiredAndNotConsumed() {
    Scrip scrip = v.mint(1000, ALICE);
    v.clock.set(EXPIRES);

    assertThatThrownBy(() -> v.service.pay(v.signed(scrip), Pricer.fixed(100)))
        .isInstanceOf(ExpiredException.class);
    assertThat(v.spentCount()).isZero();

    // Twin: one second earlier the same scrip is good, so the failure did not consume it.
    v.clock.set(EXPIRES.minusSeconds(1));
    assertThat(v.service.pay(v.signed(scrip), Pricer.fixed(100)).scrip()).isEqualTo(scrip);
  }

  @Test
  void pay_clockMovedPastExpiry_isRejectedAsExpired() {
    Scrip scrip = v.mint(1000, ALICE);
    v.clock.advance(Duration.ofDays(2));

    assertThatThrownBy(() -> v.service.pay(v.signed(scrip), Pricer.fixed(100)))
        .isInstanceOf(ExpiredException.class)
        .hasMessageContaining(scrip.expiresAt().toString());
  }

  @Test
  void rotate_oldKeyValidatesUntilRetiredThenIsUnknown() {
    Scrip underOld = v.mint(1000, ALICE);
    Scrip alsoUnderOld = v.mint(1000, ALICE);

    v.masters.rotate(1, v.random);

    Purchase p = v.service.pay(v.signed(underOld), Pricer.fixed(100));
    assertThat(p.scrip().id().keyId()).isZero();
    assertThat(p.change().orElseThrow().id().keyId())
        .as("change is minted under the new primary")
        .isEqualTo(1);
    assertThat(v.service.pay(v.signed(p.change().orElseThrow()), Pricer.fixed(100)).change())
        .isPresent();

    v.masters.retire(0);

    assertThatThrownBy(() -> v.service.pay(v.signed(alsoUnderOld), Pricer.fixed(100)))
        .isInstanceOf(UnknownKeyException.class);
    assertThat(v.recorder.spentSet().contains(alsoUnderOld.id())).isFalse();
  }

  @Test
  void pay_clearVariant_isAcceptedWithoutAnyCustomerSecret() {
    Scrip scrip = v.mintBearer(1000, NOBODY);

    Purchase p = v.service.pay(v.clear(scrip), Pricer.fixed(100));

    assertThat(p.variant()).isEqualTo(Variant.CLEAR);
    assertThat(p.change().orElseThrow().customerId()).isEqualTo(NOBODY);
    assertThat(p.change().orElseThrow().spend())
        .as("change keeps the spend mode")
        .isEqualTo(SpendMode.BEARER);
    assertThat(p.fingerprint()).hasSize(16);
    assertThatThrownBy(() -> p.replyMac(200, RequestDescriptor.digest(new byte[0])))
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> v.service.pay(v.clear(scrip), Pricer.fixed(100)))
        .isInstanceOf(SpentException.class);
  }

  @Test
  void pay_boundScripInTheClear_isRejectedAsWrongCustomerAndNotConsumed() {
    Scrip scrip = v.mint(1000, ALICE);

    assertThatThrownBy(() -> v.service.pay(v.clear(scrip), Pricer.fixed(100)))
        .isInstanceOf(WrongCustomerException.class)
        .hasMessageContaining("never in the clear");
    assertThat(v.spentCount()).isZero();
    assertThat(v.service.pay(v.signed(scrip), Pricer.fixed(100)).variant())
        .isEqualTo(Variant.SIGNED);
  }

  @Test
  void pay_changeOfSignedPurchases_staysBoundAndIsRefusedInTheClear() {
    // Issue 12 part 4: change taken from signed receipts, spent by a third party in the clear.
    for (int i = 0; i < 20; i++) {
      Purchase signed = v.service.pay(v.signed(v.mint(1000, ALICE)), Pricer.fixed(100));
      Scrip change = signed.change().orElseThrow();
      assertThat(change.spend()).isEqualTo(SpendMode.BOUND);
      long spentBefore = v.spentCount();

      assertThatThrownBy(() -> v.service.pay(v.clear(change), Pricer.fixed(100)))
          .isInstanceOf(WrongCustomerException.class);
      assertThat(v.spentCount()).as("the change is not consumed").isEqualTo(spentBefore);
      assertThat(v.service.pay(v.signed(change), Pricer.fixed(100)).isReplay()).isFalse();
    }
  }

  @Test
  void pay_variantTheVendorDoesNotAccept_isRejectedAsMalformed() {
    TestVendor signedOnly = new TestVendor(EnumSet.of(Variant.SIGNED));
    Scrip scrip = signedOnly.mint(1000, ALICE);

    assertThatThrownBy(() -> signedOnly.service.pay(signedOnly.clear(scrip), Pricer.fixed(100)))
        .isInstanceOf(MalformedException.class)
        .hasMessageContaining("clear");
    assertThatThrownBy(() -> signedOnly.service.pay(signedOnly.sealed(scrip), Pricer.fixed(100)))
        .isInstanceOf(MalformedException.class)
        .hasMessageContaining("private");
    assertThat(signedOnly.spentCount()).isZero();
    assertThat(signedOnly.service.pay(signedOnly.signed(scrip), Pricer.fixed(100)).variant())
        .isEqualTo(Variant.SIGNED);
  }

  @Test
  void replyMac_verifiesAtThePayerAndVouchesForTheChange() {
    Scrip scrip = v.mint(1000, ALICE);
    Payment.Signed payment = v.signed(scrip);
    Purchase p = v.service.pay(payment, Pricer.fixed(100));
    byte[] digest = RequestDescriptor.digest("the page".getBytes(StandardCharsets.UTF_8));
    byte[] replyMac = p.replyMac(200, digest);

    Optional<Scrip> change =
        Payer.verifySignedReply(
            v.secretOf(ALICE), payment.mac(), 200, p.changeBytes(), digest, replyMac);

    assertThat(change).isEqualTo(p.change());
    assertThat(change.orElseThrow().valueMillicents()).isEqualTo(900);
  }

  @Test
  void replyMac_anyAlteredInputOrWrongSecret_isRejectedAsForged() {
    Scrip scrip = v.mint(1000, ALICE);
    Payment.Signed payment = v.signed(scrip);
    Purchase p = v.service.pay(payment, Pricer.fixed(100));
    byte[] digest = RequestDescriptor.digest("the page".getBytes(StandardCharsets.UTF_8));
    byte[] replyMac = p.replyMac(200, digest);
    CustomerSecret secret = v.secretOf(ALICE);
    byte[] change = p.changeBytes();
    byte[] otherChange =
        ScripCodec.encode(v.service.minter().mint(900, ALICE, EXPIRES, ScripProperties.NONE));

    assertThatThrownBy(
            () -> Payer.verifySignedReply(secret, payment.mac(), 500, change, digest, replyMac))
        .isInstanceOf(ForgedException.class);
    assertThatThrownBy(
            () ->
                Payer.verifySignedReply(secret, payment.mac(), 200, new byte[0], digest, replyMac))
        .isInstanceOf(ForgedException.class);
    assertThatThrownBy(
            () ->
                Payer.verifySignedReply(secret, payment.mac(), 200, otherChange, digest, replyMac))
        .isInstanceOf(ForgedException.class);
    assertThatThrownBy(
            () ->
                Payer.verifySignedReply(
                    secret,
                    payment.mac(),
                    200,
                    change,
                    RequestDescriptor.digest("another page".getBytes(StandardCharsets.UTF_8)),
                    replyMac))
        .isInstanceOf(ForgedException.class);
    assertThatThrownBy(
            () ->
                Payer.verifySignedReply(
                    v.secretOf(CAROL), payment.mac(), 200, change, digest, replyMac))
        .isInstanceOf(ForgedException.class);
    byte[] otherRequestMac = payment.mac();
    otherRequestMac[0] ^= 1;
    assertThatThrownBy(
            () -> Payer.verifySignedReply(secret, otherRequestMac, 200, change, digest, replyMac))
        .isInstanceOf(ForgedException.class);
    for (int bit = 0; bit < replyMac.length * 8; bit++) {
      byte[] flipped = replyMac.clone();
      flipped[bit / 8] ^= (byte) (1 << (bit % 8));
      assertThatThrownBy(
              () -> Payer.verifySignedReply(secret, payment.mac(), 200, change, digest, flipped))
          .isInstanceOf(ForgedException.class);
    }
  }

  @Test
  void begin_thenRelease_leavesTheScripSpendable() {
    Scrip scrip = v.mint(1000, ALICE);

    Purchase reserved = v.service.begin(v.signed(scrip), Pricer.fixed(100));
    assertThatThrownBy(() -> v.service.begin(v.signed(scrip), Pricer.fixed(100)))
        .as("a reserved scrip cannot be spent by another request meanwhile")
        .isInstanceOf(SpentException.class);
    reserved.release();

    assertThat(v.spentCount()).isZero();
    Purchase again = v.service.pay(v.signed(scrip), Pricer.fixed(100));
    assertThat(again.change()).isPresent();
    assertThatThrownBy(reserved::commit).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void pricer_seesTheScripProperties() {
    Scrip us = v.minter.mint(1000, ALICE, EXPIRES, ScripProperties.of(Map.of("country", "US")));
    Scrip fr = v.minter.mint(1000, ALICE, EXPIRES, ScripProperties.of(Map.of("country", "FR")));
    Pricer taxed = body -> "FR".equals(body.properties().get("country")) ? 120 : 100;

    assertThat(v.service.pay(v.signed(us), taxed).priceMillicents()).isEqualTo(100);
    assertThat(v.service.pay(v.signed(fr), taxed).priceMillicents()).isEqualTo(120);
  }
}
