package org.millicent.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.millicent.testing.SeededRandom.check;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.millicent.failure.MalformedException;
import org.millicent.testing.SeededRandom;

/**
 * Any header text either parses or fails with {@link MalformedException}, nothing else; and what
 * {@link AuthParams#format} writes, {@link AuthParams#parse} reads back. Each case is built from
 * its seed by {@link SeededRandom}; a failure names the seed and the case.
 */
class HeaderFuzzTest {
  private static final RequestDescriptor GET =
      RequestDescriptor.of(Authority.of("https", "venetia.example", -1), "GET", "/", new byte[0]);

  /** Every printable ASCII character, space included. */
  private static final String PRINTABLE_ASCII =
      IntStream.rangeClosed(' ', '~')
          .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append)
          .toString();

  /** Pieces of the header grammar, glued together at random to reach the parser's inner states. */
  private static final String[] HEADER_PIECES = {
    "Millicent",
    "millicent ",
    "v=2",
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
    "+1"
  };

  static LongStream seeds1000() {
    return SeededRandom.seeds(1000);
  }

  static LongStream seeds500() {
    return SeededRandom.seeds(500);
  }

  static LongStream seeds300() {
    return SeededRandom.seeds(300);
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds500")
  void parse_randomText_parsesOrIsMalformed(long seed) {
    String text = new SeededRandom(seed).text(300);
    check(seed, text, () -> parsesOrIsMalformed(text));
  }

  static String headerish(SeededRandom r) {
    StringBuilder sb = new StringBuilder();
    for (int i = r.length(0, 30); i > 0; i--) {
      sb.append(r.oneIn(2) ? r.oneOf(HEADER_PIECES) : r.text(4));
    }
    return sb.toString();
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds500")
  void parse_headerLikeText_parsesOrIsMalformed(long seed) {
    String text = headerish(new SeededRandom(seed));
    check(
        seed,
        text,
        () -> {
          parsesOrIsMalformed(text);
          parsesOrIsMalformed("Millicent " + text);
        });
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
    for (java.util.function.Consumer<String> reader :
        List.<java.util.function.Consumer<String>>of(
            Offer::parse,
            Receipt::parse,
            AccountRequest::parse,
            AccountRequest::isAccountRequest)) {
      try {
        reader.accept(text);
      } catch (MalformedException expected) {
        // the documented failure
      }
    }
  }

  static Map<String, String> params(SeededRandom r) {
    Map<String, String> params = new LinkedHashMap<>();
    for (int i = r.length(0, 6); i > 0; i--) {
      String name = r.string("abcdefghijklmnopqrstuvwxyz-_", 1, 8);
      String value = r.string(PRINTABLE_ASCII + "\té", 1, 20).strip();
      if (!value.isEmpty()) {
        params.put(name, value);
      }
    }
    return params;
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds1000")
  void authParamsParse_ofFormat_isTheSameParameters(long seed) {
    Map<String, String> p = params(new SeededRandom(seed));
    check(seed, p, () -> assertThat(AuthParams.parse(AuthParams.format(p))).isEqualTo(p));
  }

  static Payment payment(SeededRandom r) {
    return switch (r.intBetween(0, 2)) {
      case 0 -> new Payment.Clear(r.bytes(1, 120), Nonce.of(r.bytes(16, 16)), GET);
      case 1 ->
          new Payment.Signed(r.bytes(1, 120), Nonce.of(r.bytes(16, 16)), r.bytes(16, 16), GET);
      default ->
          new Payment.Private(
              r.string("abcdefghijklmnopqrstuvwxyz", 1, 10), r.anyLong(), r.bytes(1, 120), GET);
    };
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds300")
  void paymentHeaderParse_ofFormat_isTheSamePayment(long seed) {
    Payment p = payment(new SeededRandom(seed));
    String header = PaymentHeader.format(p);
    check(
        seed,
        header,
        () -> {
          Payment back = PaymentHeader.parse(header, GET);

          assertThat(PaymentHeader.format(back)).isEqualTo(header);
          assertThat(back.getClass()).isEqualTo(p.getClass());
        });
  }
}
