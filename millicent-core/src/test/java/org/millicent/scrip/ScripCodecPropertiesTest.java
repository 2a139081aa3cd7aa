package org.millicent.scrip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.millicent.testing.SeededRandom.check;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.millicent.failure.MalformedException;
import org.millicent.testing.SeededRandom;

/**
 * Properties of the scrip encoding (docs/PROTOCOL.md, "Scrip encoding"): it round-trips, every
 * piece of scrip has exactly one encoding, and any input either decodes or fails with {@link
 * MalformedException}, nothing else. Each case is built from its seed by {@link SeededRandom}; a
 * failure names the seed and the case.
 */
class ScripCodecPropertiesTest {

  static LongStream seeds1000() {
    return SeededRandom.seeds(1000);
  }

  static LongStream seeds500() {
    return SeededRandom.seeds(500);
  }

  static List<Scrip> extremes() {
    return ScripGenerator.extremes();
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds1000")
  void decode_ofEncode_isTheSameScrip(long seed) {
    Scrip scrip = ScripGenerator.scrip(new SeededRandom(seed));
    check(seed, scrip, () -> decodeOfEncodeIsTheSame(scrip));
  }

  @ParameterizedTest
  @MethodSource("extremes")
  void decode_ofEncode_extremes_isTheSameScrip(Scrip scrip) {
    decodeOfEncodeIsTheSame(scrip);
  }

  @Test
  void encode_largestScrip_isExactlyTheMaximumLength() {
    Scrip largest = ScripGenerator.extremes().getLast();

    assertThat(ScripCodec.encode(largest)).hasSize(ScripCodec.MAX_ENCODED_LENGTH);
  }

  private static void decodeOfEncodeIsTheSame(Scrip scrip) {
    byte[] encoded = ScripCodec.encode(scrip);

    assertThat(ScripCodec.decode(encoded)).isEqualTo(scrip);
    assertThat(encoded).hasSizeLessThanOrEqualTo(ScripCodec.MAX_ENCODED_LENGTH);
    assertThat(Arrays.copyOf(encoded, encoded.length - Certificate.LENGTH))
        .isEqualTo(ScripCodec.encodeBody(scrip.body()));
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds1000")
  void fromToken_ofToken_isTheSameScrip(long seed) {
    Scrip scrip = ScripGenerator.scrip(new SeededRandom(seed));
    check(seed, scrip, () -> fromTokenOfTokenIsTheSame(scrip));
  }

  @ParameterizedTest
  @MethodSource("extremes")
  void fromToken_ofToken_extremes_isTheSameScrip(Scrip scrip) {
    fromTokenOfTokenIsTheSame(scrip);
  }

  private static void fromTokenOfTokenIsTheSame(Scrip scrip) {
    String token = scrip.token();

    assertThat(token).matches("[A-Za-z0-9_-]+");
    assertThat(ScripCodec.fromToken(token)).isEqualTo(scrip);
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds500")
  void decode_randomBytes_decodesCanonicallyOrIsMalformed(long seed) {
    byte[] bytes = new SeededRandom(seed).bytes(0, 400);
    check(seed, HexFormat.of().formatHex(bytes), () -> decodesCanonicallyOrIsMalformed(bytes));
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds500")
  void decode_mutatedValidEncoding_decodesCanonicallyOrIsMalformed(long seed) {
    SeededRandom r = new SeededRandom(seed);
    byte[] valid = ScripCodec.encode(ScripGenerator.scrip(r));
    List<int[]> edits = new ArrayList<>();
    for (int i = r.length(1, 4); i > 0; i--) {
      edits.add(new int[] {r.intBetween(0, 3), r.intBetween(0, 10_000), r.intBetween(0, 255)});
    }
    byte[] bytes = mutate(valid, edits);
    check(seed, HexFormat.of().formatHex(bytes), () -> decodesCanonicallyOrIsMalformed(bytes));
  }

  /** Applies edits {kind, at, value}: kind 0 sets a byte, 1 inserts, 2 deletes, 3 truncates. */
  private static byte[] mutate(byte[] in, List<int[]> edits) {
    byte[] b = in;
    for (int[] e : edits) {
      int at = b.length == 0 ? 0 : e[1] % (b.length + (e[0] == 1 ? 1 : 0));
      switch (e[0]) {
        case 0 -> {
          if (b.length > 0) {
            b = b.clone();
            b[at] = (byte) e[2];
          }
        }
        case 1 -> {
          byte[] n = new byte[b.length + 1];
          System.arraycopy(b, 0, n, 0, at);
          n[at] = (byte) e[2];
          System.arraycopy(b, at, n, at + 1, b.length - at);
          b = n;
        }
        case 2 -> {
          if (b.length > 0) {
            byte[] n = new byte[b.length - 1];
            System.arraycopy(b, 0, n, 0, at);
            System.arraycopy(b, at + 1, n, at, b.length - at - 1);
            b = n;
          }
        }
        default -> b = Arrays.copyOf(b, at);
      }
    }
    return b;
  }

  private static void decodesCanonicallyOrIsMalformed(byte[] bytes) {
    Scrip decoded;
    try {
      decoded = ScripCodec.decode(bytes);
    } catch (MalformedException expected) {
      return;
    }
    assertThat(ScripCodec.encode(decoded))
        .as("whatever decodes must be the one encoding of what it decodes to")
        .isEqualTo(bytes);
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds500")
  void fromToken_randomText_decodesCanonicallyOrIsMalformed(long seed) {
    String text = new SeededRandom(seed).text(200);
    check(seed, text, () -> tokenDecodesCanonicallyOrIsMalformed(text));
  }

  private static final String BASE64ISH =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_=+/ ";

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds500")
  void fromToken_base64ishText_decodesCanonicallyOrIsMalformed(long seed) {
    String text = new SeededRandom(seed).string(BASE64ISH, 0, 200);
    check(seed, text, () -> tokenDecodesCanonicallyOrIsMalformed(text));
  }

  private static void tokenDecodesCanonicallyOrIsMalformed(String text) {
    Scrip decoded;
    try {
      decoded = ScripCodec.fromToken(text);
    } catch (MalformedException expected) {
      return;
    }
    assertThat(decoded.token()).isEqualTo(text);
  }
}
