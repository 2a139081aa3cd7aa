package org.millicent.scrip;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.constraints.StringLength;
import org.millicent.failure.MalformedException;

/**
 * Properties of the scrip encoding (docs/PROTOCOL.md, "Scrip encoding"): it round-trips, every
 * piece of scrip has exactly one encoding, and any input either decodes or fails with {@link
 * MalformedException}, nothing else.
 */
class ScripCodecPropertiesTest {

  @Provide
  Arbitrary<Scrip> scrip() {
    return ScripArbitraries.scrip();
  }

  @Property
  void decode_ofEncode_isTheSameScrip(@ForAll("scrip") Scrip scrip) {
    byte[] encoded = ScripCodec.encode(scrip);

    assertThat(ScripCodec.decode(encoded)).isEqualTo(scrip);
    assertThat(encoded).hasSizeLessThanOrEqualTo(ScripCodec.MAX_ENCODED_LENGTH);
    assertThat(Arrays.copyOf(encoded, encoded.length - Certificate.LENGTH))
        .isEqualTo(ScripCodec.encodeBody(scrip.body()));
  }

  @Property
  void fromToken_ofToken_isTheSameScrip(@ForAll("scrip") Scrip scrip) {
    String token = scrip.token();

    assertThat(token).matches("[A-Za-z0-9_-]+");
    assertThat(ScripCodec.fromToken(token)).isEqualTo(scrip);
  }

  @Property(tries = 500)
  void decode_randomBytes_decodesCanonicallyOrIsMalformed(@ForAll @Size(max = 400) byte[] bytes) {
    decodesCanonicallyOrIsMalformed(bytes);
  }

  @Provide
  Arbitrary<byte[]> mutatedEncodings() {
    Arbitrary<byte[]> valid = ScripArbitraries.scrip().map(ScripCodec::encode);
    Arbitrary<List<int[]>> edits =
        Combinators.combine(
                Arbitraries.integers().between(0, 3),
                Arbitraries.integers().between(0, 10_000),
                Arbitraries.integers().between(0, 255))
            .as((kind, at, value) -> new int[] {kind, at, value})
            .list()
            .ofMinSize(1)
            .ofMaxSize(4);
    return Combinators.combine(valid, edits).as(ScripCodecPropertiesTest::mutate);
  }

  /** Applies edits: 0 set a byte, 1 insert a byte, 2 delete a byte, 3 truncate. */
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

  @Property(tries = 500)
  void decode_mutatedValidEncoding_decodesCanonicallyOrIsMalformed(
      @ForAll("mutatedEncodings") byte[] bytes) {
    decodesCanonicallyOrIsMalformed(bytes);
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

  @Property(tries = 500)
  void fromToken_randomText_decodesCanonicallyOrIsMalformed(
      @ForAll @StringLength(max = 200) String text) {
    tokenDecodesCanonicallyOrIsMalformed(text);
  }

  @Provide
  Arbitrary<String> base64ishText() {
    return Arbitraries.strings()
        .withCharRange('A', 'Z')
        .withCharRange('a', 'z')
        .numeric()
        .withChars('-', '_', '=', '+', '/', ' ')
        .ofMaxLength(200);
  }

  @Property(tries = 500)
  void fromToken_base64ishText_decodesCanonicallyOrIsMalformed(
      @ForAll("base64ishText") String text) {
    tokenDecodesCanonicallyOrIsMalformed(text);
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
