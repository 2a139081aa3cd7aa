package org.millicent.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.stream.Stream;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.millicent.scrip.Certificate;

/**
 * Known answers for HMAC-SHA-256 from RFC 4231, "Identifiers and Test Vectors for HMAC-SHA-224,
 * HMAC-SHA-256, HMAC-SHA-384, and HMAC-SHA-512", section 4 (test cases 1 to 7), checked through the
 * JDK's {@link Mac} and through the code path every certificate, customer secret and MAC of
 * Millicent takes ({@link Hmac}), plus test case 5's 128-bit truncation through {@link
 * Certificate#truncate}.
 */
class HmacKnownAnswerTest {
  private static final HexFormat HEX = HexFormat.of();

  private static byte[] repeat(int b, int n) {
    byte[] out = new byte[n];
    Arrays.fill(out, (byte) b);
    return out;
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  static Stream<Arguments> rfc4231() {
    return Stream.of(
        Arguments.of(
            "1",
            repeat(0x0b, 20),
            ascii("Hi There"),
            "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"),
        Arguments.of(
            "2",
            ascii("Jefe"),
            ascii("what do ya want for nothing?"),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"),
        Arguments.of(
            "3",
            repeat(0xaa, 20),
            repeat(0xdd, 50),
            "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe"),
        Arguments.of(
            "4",
            HEX.parseHex("0102030405060708090a0b0c0d0e0f10111213141516171819"),
            repeat(0xcd, 50),
            "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b"),
        Arguments.of(
            "6",
            repeat(0xaa, 131),
            ascii("Test Using Larger Than Block-Size Key - Hash Key First"),
            "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"),
        Arguments.of(
            "7",
            repeat(0xaa, 131),
            ascii(
                "This is a test using a larger than block-size key and a larger than block-size"
                    + " data. The key needs to be hashed before being used by the HMAC algorithm."),
            "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2"));
  }

  @ParameterizedTest(name = "RFC 4231 test case {0}")
  @MethodSource("rfc4231")
  void jdkMac_matchesRfc4231(String testCase, byte[] key, byte[] data, String expected)
      throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(key, "HmacSHA256"));

    assertThat(HEX.formatHex(mac.doFinal(data))).isEqualTo(expected);
  }

  @ParameterizedTest(name = "RFC 4231 test case {0}")
  @MethodSource("rfc4231")
  void hmac_matchesRfc4231(String testCase, byte[] key, byte[] data, String expected) {
    Hmac hmac = new Hmac(key);

    assertThat(HEX.formatHex(hmac.compute(data))).isEqualTo(expected);
    assertThat(HEX.formatHex(hmac.compute(data)))
        .as("the per-thread Mac is reusable")
        .isEqualTo(expected);
    assertThat(HEX.formatHex(Hmac.oneShot(key, data))).isEqualTo(expected);
    byte[] padded = new byte[data.length + 4];
    System.arraycopy(data, 0, padded, 2, data.length);
    assertThat(HEX.formatHex(hmac.compute(padded, 2, data.length))).isEqualTo(expected);
  }

  @ParameterizedTest(name = "RFC 4231 test case {0}")
  @MethodSource("rfc4231")
  void hmac_flippedDataBitOrKeyBit_doesNotMatch(
      String testCase, byte[] key, byte[] data, String expected) {
    byte[] data2 = data.clone();
    data2[data2.length - 1] ^= 1;
    byte[] key2 = key.clone();
    key2[0] ^= (byte) 0x80;

    assertThat(HEX.formatHex(new Hmac(key).compute(data2))).isNotEqualTo(expected);
    assertThat(HEX.formatHex(new Hmac(key2).compute(data))).isNotEqualTo(expected);
  }

  @org.junit.jupiter.api.Test
  void certificateTruncation_matchesRfc4231TestCase5() {
    byte[] full = new Hmac(repeat(0x0c, 20)).compute(ascii("Test With Truncation"));

    Certificate c = Certificate.truncate(full);

    assertThat(HEX.formatHex(c.bytes())).isEqualTo("a3b6167473100ee06e0c796c2955552b");
    assertThat(c.matches(Certificate.of(HEX.parseHex("a3b6167473100ee06e0c796c2955552b"))))
        .isTrue();
    assertThat(c.matches(Certificate.of(HEX.parseHex("a3b6167473100ee06e0c796c2955552a"))))
        .isFalse();
  }

  @org.junit.jupiter.api.Test
  void sha256_ofAbc_matchesFips180() {
    // FIPS 180-2, appendix B.1: the body digest of the request and reply MACs.
    assertThat(HEX.formatHex(Hmac.sha256(ascii("abc"))))
        .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  }
}
