package org.millicent.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.StringLength;
import org.millicent.failure.MalformedException;

/**
 * Any header text either parses or fails with {@link MalformedException}, nothing else; and what
 * {@link AuthParams#format} writes, {@link AuthParams#parse} reads back.
 */
class HeaderFuzzTest {
  private static final RequestDescriptor GET = RequestDescriptor.of("GET", "/", new byte[0]);

  @Provide
  Arbitrary<String> headerish() {
    Arbitrary<String> pieces =
        Arbitraries.oneOf(
            Arbitraries.of(
                "Millicent",
                "millicent ",
                "v=1",
                "v",
                "=",
                ",",
                ", ",
                " ",
                "\t",
                "\"",
                "\\",
                "variant=",
                "clear",
                "signed",
                "private",
                "scrip=",
                "nonce=",
                "mac=",
                "vendor=",
                "customer=",
                "payment=",
                "AQID",
                "AAAAAAAAAAAAAAAAAAAAAA",
                "18446744073709551615",
                "-1",
                "+1"),
            Arbitraries.strings().ofMaxLength(4));
    return pieces.list().ofMaxSize(30).map(l -> String.join("", l));
  }

  @Property(tries = 500)
  void parse_randomText_parsesOrIsMalformed(@ForAll @StringLength(max = 300) String text) {
    parsesOrIsMalformed(text);
  }

  @Property(tries = 500)
  void parse_headerLikeText_parsesOrIsMalformed(@ForAll("headerish") String text) {
    parsesOrIsMalformed(text);
    parsesOrIsMalformed("Millicent " + text);
  }

  private static void parsesOrIsMalformed(String text) {
    try {
      AuthParams.parse(text);
    } catch (MalformedException expected) {
      // the documented failure
    }
    try {
      PaymentHeader.parse(text, GET);
    } catch (MalformedException expected) {
      // the documented failure
    }
  }

  @Provide
  Arbitrary<Map<String, String>> params() {
    Arbitrary<String> names =
        Arbitraries.strings()
            .withCharRange('a', 'z')
            .withChars('-', '_')
            .ofMinLength(1)
            .ofMaxLength(8);
    Arbitrary<String> values =
        Arbitraries.strings()
            .withCharRange(' ', '~')
            .withChars('\t', 'é')
            .ofMinLength(1)
            .ofMaxLength(20)
            .filter(s -> s.strip().equals(s));
    return Arbitraries.maps(names, values).ofMaxSize(6);
  }

  @Property
  void authParamsParse_ofFormat_isTheSameParameters(@ForAll("params") Map<String, String> p) {
    assertThat(AuthParams.parse(AuthParams.format(p))).isEqualTo(p);
  }

  @Provide
  Arbitrary<Payment> payments() {
    Arbitrary<byte[]> blobs = Arbitraries.bytes().array(byte[].class).ofMinSize(1).ofMaxSize(120);
    Arbitrary<Nonce> nonces = Arbitraries.bytes().array(byte[].class).ofSize(16).map(Nonce::of);
    Arbitrary<Payment> clear =
        Combinators.combine(blobs, nonces).as((s, n) -> new Payment.Clear(s, n, GET));
    Arbitrary<Payment> signed =
        Combinators.combine(blobs, nonces, Arbitraries.bytes().array(byte[].class).ofSize(16))
            .as((s, n, m) -> new Payment.Signed(s, n, m, GET));
    Arbitrary<Payment> sealed =
        Combinators.combine(
                Arbitraries.strings().withCharRange('a', 'z').ofMinLength(1).ofMaxLength(10),
                Arbitraries.longs(),
                blobs)
            .as((v, c, b) -> new Payment.Private(v, c, b, GET));
    return Arbitraries.oneOf(clear, signed, sealed);
  }

  @Property(tries = 300)
  void paymentHeaderParse_ofFormat_isTheSamePayment(@ForAll("payments") Payment p) {
    Payment back = PaymentHeader.parse(PaymentHeader.format(p), GET);

    assertThat(PaymentHeader.format(back)).isEqualTo(PaymentHeader.format(p));
    assertThat(back.getClass()).isEqualTo(p.getClass());
  }
}
