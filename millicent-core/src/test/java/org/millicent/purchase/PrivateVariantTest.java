package org.millicent.purchase;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.millicent.purchase.TestVendor.ALICE;
import static org.millicent.purchase.TestVendor.CAROL;
import static org.millicent.purchase.TestVendor.GET_PAGE;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.millicent.failure.ForgedException;
import org.millicent.failure.MalformedException;
import org.millicent.failure.WrongCustomerException;
import org.millicent.failure.WrongVendorException;
import org.millicent.keys.CustomerSecret;
import org.millicent.protocol.Nonce;
import org.millicent.protocol.Payer;
import org.millicent.protocol.Payment;
import org.millicent.protocol.RequestDescriptor;
import org.millicent.protocol.SealedBox;
import org.millicent.protocol.Variant;
import org.millicent.scrip.Scrip;

/** The private variant end to end (docs/PROTOCOL.md, "Private variant"). */
class PrivateVariantTest {
  private final TestVendor v = new TestVendor();
  private final CustomerSecret alice = v.secretOf(ALICE);

  @Test
  void privatePurchase_roundTripsPaymentChangeAndResponse() {
    Scrip scrip = v.mint(1000, ALICE);
    byte[] body = "{\"q\":\"secret question\"}".getBytes(StandardCharsets.UTF_8);
    byte[] sealedBody = Payer.sealRequestBody(alice, TestVendor.VENDOR, ALICE, body, v.random);
    RequestDescriptor request = RequestDescriptor.of(TestVendor.ORIGIN, "POST", "/ask", sealedBody);
    Payment.Private payment = Payer.sealed(scrip, alice, Nonce.random(v.random), request, v.random);

    Purchase p = v.service.pay(payment, Pricer.fixed(250));

    assertThat(p.variant()).isEqualTo(Variant.PRIVATE);
    assertThat(p.scrip()).isEqualTo(scrip);
    assertThat(Payer.openRequestBody(alice, TestVendor.VENDOR, ALICE, sealedBody)).isEqualTo(body);
    Scrip change = Payer.openChange(alice, payment, p.sealChange(v.random)).orElseThrow();
    assertThat(change).isEqualTo(p.change().orElseThrow());
    assertThat(change.valueMillicents()).isEqualTo(750);
    byte[] answer = "42".getBytes(StandardCharsets.UTF_8);
    assertThat(Payer.openResponse(alice, payment, 200, p.sealResponse(200, answer, v.random)))
        .isEqualTo(answer);
    assertThatThrownBy(() -> p.replyMac(200, RequestDescriptor.digest(answer)))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void privatePurchase_exactPrice_sealsAnEmptyChange() {
    Scrip scrip = v.mint(100, ALICE);
    Payment.Private payment = v.sealed(scrip);

    Purchase p = v.service.pay(payment, Pricer.fixed(100));

    assertThat(Payer.openChange(alice, payment, p.sealChange(v.random))).isEmpty();
  }

  @Test
  void privatePayment_everyFlippedBitOfTheSealedPayment_isRejectedAndNothingIsSpent() {
    Scrip scrip = v.mint(1000, ALICE);
    Payment.Private good = v.sealed(scrip);
    byte[] sealed = good.sealedPayment();

    for (int bit = 0; bit < sealed.length * 8; bit++) {
      byte[] bad = sealed.clone();
      bad[bit / 8] ^= (byte) (1 << (bit % 8));
      Payment.Private tampered =
          new Payment.Private(good.vendor(), good.customerId(), bad, GET_PAGE);
      assertThatThrownBy(() -> v.service.pay(tampered, Pricer.fixed(100)))
          .as("bit %d", bit)
          .isInstanceOfAny(ForgedException.class, MalformedException.class);
    }

    assertThat(v.spentCount()).isZero();
    assertThat(v.service.pay(good, Pricer.fixed(100)).scrip()).isEqualTo(scrip);
  }

  @Test
  void privatePayment_forAnotherRequest_isRejectedAsForged() {
    Payment.Private good = v.sealed(v.mint(1000, ALICE));
    Payment.Private moved =
        new Payment.Private(
            good.vendor(),
            good.customerId(),
            good.sealedPayment(),
            RequestDescriptor.of(TestVendor.ORIGIN, "GET", "/pages/2", new byte[0]));

    assertThatThrownBy(() -> v.service.pay(moved, Pricer.fixed(100)))
        .isInstanceOf(ForgedException.class);
    assertThat(v.spentCount()).isZero();
  }

  @Test
  void privatePayment_claimingAnotherCustomerInTheClear_isRejectedAsForged() {
    Payment.Private good = v.sealed(v.mint(1000, ALICE));
    Payment.Private relabelled =
        new Payment.Private(good.vendor(), CAROL, good.sealedPayment(), GET_PAGE);

    assertThatThrownBy(() -> v.service.pay(relabelled, Pricer.fixed(100)))
        .isInstanceOf(ForgedException.class);
    assertThat(v.spentCount()).isZero();
  }

  @Test
  void privatePayment_sealedByOneCustomerWithAnothersScrip_isRejectedAsWrongCustomer() {
    Scrip alices = v.mint(1000, ALICE);
    CustomerSecret carol = v.secretOf(CAROL);
    Payment.Private sealedByCarol =
        Payer.sealed(alices, carol, Nonce.random(v.random), GET_PAGE, v.random);
    // Payer.sealed names the scrip's customer in the clear; Carol names herself to get her key
    // used.
    Payment.Private asCarol =
        new Payment.Private(
            TestVendor.VENDOR,
            CAROL,
            SealedBox.seal(
                carol.privateKey(),
                v.random,
                org.millicent.protocol.PrivateMessages.paymentAad(
                    TestVendor.VENDOR, CAROL, GET_PAGE),
                org.millicent.protocol.PrivateMessages.paymentPlaintext(
                    org.millicent.scrip.ScripCodec.encode(alices), Nonce.random(v.random))),
            GET_PAGE);

    assertThatThrownBy(() -> v.service.pay(sealedByCarol, Pricer.fixed(100)))
        .isInstanceOf(ForgedException.class);
    assertThatThrownBy(() -> v.service.pay(asCarol, Pricer.fixed(100)))
        .isInstanceOf(WrongCustomerException.class);
    assertThat(v.spentCount()).isZero();
  }

  @Test
  void privatePayment_addressedToAnotherVendor_isRejectedAsWrongVendor() {
    Payment.Private good = v.sealed(v.mint(1000, ALICE));
    Payment.Private elsewhere =
        new Payment.Private("otherstore", good.customerId(), good.sealedPayment(), GET_PAGE);

    assertThatThrownBy(() -> v.service.pay(elsewhere, Pricer.fixed(100)))
        .isInstanceOf(WrongVendorException.class);
  }

  @Test
  void sealedChangeAndResponse_tampered_areRejectedAsForged() {
    Payment.Private payment = v.sealed(v.mint(1000, ALICE));
    Purchase p = v.service.pay(payment, Pricer.fixed(100));
    byte[] change = p.sealChange(v.random);
    byte[] response = p.sealResponse(200, "ok".getBytes(StandardCharsets.UTF_8), v.random);

    for (int bit = 8; bit < change.length * 8; bit++) {
      byte[] bad = change.clone();
      bad[bit / 8] ^= (byte) (1 << (bit % 8));
      assertThatThrownBy(() -> Payer.openChange(alice, payment, bad))
          .isInstanceOf(ForgedException.class);
    }
    byte[] badResponse = response.clone();
    badResponse[badResponse.length - 1] ^= 1;
    assertThatThrownBy(() -> Payer.openResponse(alice, payment, 200, badResponse))
        .isInstanceOf(ForgedException.class);
    assertThatThrownBy(() -> Payer.openResponse(alice, payment, 500, response))
        .as("the status is authenticated")
        .isInstanceOf(ForgedException.class);
    assertThatThrownBy(() -> Payer.openResponse(alice, payment, 200, change))
        .as("a sealed change is not a sealed response")
        .isInstanceOf(ForgedException.class);
    assertThatThrownBy(() -> Payer.openChange(v.secretOf(CAROL), payment, change))
        .isInstanceOf(ForgedException.class);
    Payment.Private otherPayment = v.sealed(v.mint(1000, ALICE));
    assertThatThrownBy(() -> Payer.openChange(alice, otherPayment, change))
        .as("change is bound to its payment")
        .isInstanceOf(ForgedException.class);
  }
}
