package org.millicent.purchase;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.millicent.purchase.TestVendor.ALICE;
import static org.millicent.purchase.TestVendor.EXPIRES;

import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.millicent.failure.FailureCode;
import org.millicent.failure.PaymentException;
import org.millicent.keys.KeyState;
import org.millicent.keys.SecretBytes;
import org.millicent.protocol.Authority;
import org.millicent.protocol.Nonce;
import org.millicent.protocol.Payment;
import org.millicent.protocol.PaymentHeader;
import org.millicent.protocol.RequestDescriptor;
import org.millicent.scrip.Scrip;
import org.millicent.scrip.ScripCodec;
import org.millicent.scrip.ScripProperties;

/**
 * Every single-bit change of a valid payment is refused, and refusing never consumes the scrip
 * (docs/PROTOCOL.md, "Validation").
 */
class BitFlipTest {
  private static final Pricer PRICE = Pricer.fixed(100);

  private final TestVendor v = new TestVendor();
  private final Scrip scrip =
      v.minter.mint(
          1000, ALICE, EXPIRES, ScripProperties.of(Map.of("country", "US", "state", "CA")));

  BitFlipTest() {
    // A second validating key, so that some flips of the key id land on a known key.
    v.masters.put(1, SecretBytes.copyOf(TestVendor.pattern(0x70, 32)), KeyState.ACTIVE);
  }

  private static byte[] flip(byte[] b, int bit) {
    byte[] out = b.clone();
    out[bit / 8] ^= (byte) (1 << (bit % 8));
    return out;
  }

  /** Runs {@code attempt} and returns its failure; fails the test if it was accepted. */
  private FailureCode rejected(String what, Function<PurchaseService, Purchase> attempt) {
    PaymentException e =
        catchThrowableOfType(PaymentException.class, () -> attempt.apply(v.service));
    assertThat(e).as(what + " must be rejected").isNotNull();
    return e.code();
  }

  private void assertNothingSpentAndOriginalStillPays() {
    assertThat(v.spentCount()).as("no rejected payment may mark anything spent").isZero();
    assertThat(v.service.pay(v.signed(scrip), PRICE).change()).isPresent();
  }

  @Test
  void everyFlippedBitOfTheScripEncoding_isRejectedAndNothingIsSpent() {
    byte[] encoded = ScripCodec.encode(scrip);
    Set<FailureCode> seen = EnumSet.noneOf(FailureCode.class);

    for (int bit = 0; bit < encoded.length * 8; bit++) {
      byte[] bad = flip(encoded, bit);
      Payment.Clear payment = new Payment.Clear(bad, Nonce.random(v.random), TestVendor.GET_PAGE);
      seen.add(rejected("scrip with bit " + bit + " flipped", s -> s.pay(payment, PRICE)));
    }

    assertThat(seen)
        .isSubsetOf(
            FailureCode.MALFORMED,
            FailureCode.WRONG_VENDOR,
            FailureCode.UNKNOWN_KEY,
            FailureCode.FORGED);
    assertThat(seen).contains(FailureCode.MALFORMED, FailureCode.FORGED, FailureCode.UNKNOWN_KEY);
    assertNothingSpentAndOriginalStillPays();
  }

  @Test
  void everyFlippedBitOfASignedRequest_isRejectedAndNothingIsSpent() {
    RequestDescriptor request =
        RequestDescriptor.of(
            TestVendor.ORIGIN,
            "POST",
            "/millicent/exchange?x=1",
            "{\"a\":1}".getBytes(StandardCharsets.UTF_8));
    Payment.Signed good = v.signed(scrip, request);
    byte[] nonce = good.nonce().bytes();
    int attempts = 0;

    for (int bit = 0; bit < good.scrip().length * 8; bit++) {
      Payment.Signed bad =
          new Payment.Signed(flip(good.scrip(), bit), good.nonce(), good.mac(), request);
      rejected("scrip bit " + bit, s -> s.pay(bad, PRICE));
      attempts++;
    }
    for (int bit = 0; bit < nonce.length * 8; bit++) {
      Payment.Signed bad =
          new Payment.Signed(good.scrip(), Nonce.of(flip(nonce, bit)), good.mac(), request);
      assertThat(rejected("nonce bit " + bit, s -> s.pay(bad, PRICE)))
          .isEqualTo(FailureCode.WRONG_CUSTOMER);
      attempts++;
    }
    for (int bit = 0; bit < good.mac().length * 8; bit++) {
      Payment.Signed bad =
          new Payment.Signed(good.scrip(), good.nonce(), flip(good.mac(), bit), request);
      assertThat(rejected("mac bit " + bit, s -> s.pay(bad, PRICE)))
          .isEqualTo(FailureCode.WRONG_CUSTOMER);
      attempts++;
    }
    attempts += flipEveryBitOfTheRequest(good);

    assertThat(attempts).isGreaterThan(good.scrip().length * 8 + 256 + 256);
    assertNothingSpentAndOriginalStillPays();
  }

  /** Flips each bit of the authority, method, target and body digest the MAC covers. */
  private int flipEveryBitOfTheRequest(Payment.Signed good) {
    RequestDescriptor r = good.request();
    int attempts = 0;
    Authority a = r.authority();
    byte[] host = a.host().getBytes(StandardCharsets.US_ASCII);
    for (int bit = 0; bit < host.length * 8; bit++) {
      Authority other;
      try {
        other =
            new Authority(
                a.scheme(), new String(flip(host, bit), StandardCharsets.ISO_8859_1), a.port());
      } catch (IllegalArgumentException notAHost) {
        continue; // no customer can address such a host
      }
      attempts +=
          rejectedAsWrongCustomer(
              good, new RequestDescriptor(other, r.method(), r.target(), r.bodyDigest()));
    }
    for (int bit = 0; bit < 16; bit++) {
      int port = a.port() ^ (1 << bit);
      if (port == 0) {
        continue;
      }
      attempts +=
          rejectedAsWrongCustomer(
              good,
              new RequestDescriptor(
                  new Authority(a.scheme(), a.host(), port),
                  r.method(),
                  r.target(),
                  r.bodyDigest()));
    }
    attempts +=
        rejectedAsWrongCustomer(
            good,
            new RequestDescriptor(
                new Authority("https".equals(a.scheme()) ? "http" : "https", a.host(), a.port()),
                r.method(),
                r.target(),
                r.bodyDigest()));
    byte[] method = r.method().getBytes(StandardCharsets.US_ASCII);
    for (int bit = 0; bit < method.length * 8; bit++) {
      String m = new String(flip(method, bit), StandardCharsets.ISO_8859_1);
      RequestDescriptor other;
      try {
        other = new RequestDescriptor(r.authority(), m, r.target(), r.bodyDigest());
      } catch (IllegalArgumentException notAMethod) {
        continue; // no such request can be made
      }
      attempts += rejectedAsWrongCustomer(good, other);
    }
    byte[] target = r.target().getBytes(StandardCharsets.UTF_8);
    for (int bit = 0; bit < target.length * 8; bit++) {
      String t = new String(flip(target, bit), StandardCharsets.UTF_8);
      attempts +=
          rejectedAsWrongCustomer(
              good, new RequestDescriptor(r.authority(), r.method(), t, r.bodyDigest()));
    }
    byte[] digest = r.bodyDigest();
    for (int bit = 0; bit < digest.length * 8; bit++) {
      attempts +=
          rejectedAsWrongCustomer(
              good,
              new RequestDescriptor(r.authority(), r.method(), r.target(), flip(digest, bit)));
    }
    assertThat(attempts).isGreaterThan(target.length * 8 + 256);
    return attempts;
  }

  private int rejectedAsWrongCustomer(Payment.Signed good, RequestDescriptor other) {
    assertThat(other).isNotEqualTo(good.request());
    Payment.Signed moved = new Payment.Signed(good.scrip(), good.nonce(), good.mac(), other);
    assertThat(rejected("payment moved to " + other, s -> s.pay(moved, PRICE)))
        .isEqualTo(FailureCode.WRONG_CUSTOMER);
    return 1;
  }

  @Test
  void everyFlippedBitOfTheAuthorizationHeader_isRejectedOrMeansTheSamePayment() {
    Payment.Signed good = v.signed(scrip);
    String header = PaymentHeader.format(good);
    int changed = 0;

    for (int i = 0; i < header.length(); i++) {
      for (int b = 0; b < 7; b++) {
        String bad =
            header.substring(0, i) + (char) (header.charAt(i) ^ (1 << b)) + header.substring(i + 1);
        Payment parsed;
        try {
          parsed = PaymentHeader.parse(bad, good.request());
        } catch (PaymentException e) {
          assertThat(e.code()).isEqualTo(FailureCode.MALFORMED);
          changed++;
          continue;
        }
        if (sameSignedPayment(good, parsed)) {
          continue; // e.g. a scheme or parameter name in another letter case
        }
        rejected(
            "header with character " + i + " bit " + b + " flipped", s -> s.pay(parsed, PRICE));
        changed++;
      }
    }

    assertThat(changed).isGreaterThan(header.length() * 6);
    assertNothingSpentAndOriginalStillPays();
  }

  private static boolean sameSignedPayment(Payment.Signed a, Payment b) {
    return b instanceof Payment.Signed s
        && java.util.Arrays.equals(a.scrip(), s.scrip())
        && a.nonce().equals(s.nonce())
        && java.util.Arrays.equals(a.mac(), s.mac())
        && a.request().equals(s.request());
  }

  @Test
  void unflippedPayment_isAccepted() {
    // The twin of every test above: with no bit flipped, each form of the payment pays.
    Payment.Signed good = v.signed(scrip);
    Payment parsed = PaymentHeader.parse(PaymentHeader.format(good), good.request());

    assertThat(v.service.pay(parsed, PRICE).change()).isPresent();
  }
}
