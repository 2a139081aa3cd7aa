package org.millicent.scrip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.millicent.failure.MalformedException;

/** The strict rules of the scrip encoding, case by case (docs/PROTOCOL.md, "Scrip encoding"). */
class ScripCodecTest {
  private static final Instant EXPIRES = Instant.ofEpochSecond(1_767_225_600L);
  private static final byte[] CERT = new byte[16];

  /** Hand-written encoding, field by field, as the spec lays it out. */
  private static byte[] encoding(
      int version,
      String vendor,
      long value,
      long id,
      long customer,
      long expires,
      Map<String, String> props,
      byte[] cert) {
    return encoding(version, vendor, value, id, customer, expires, 1, props, cert);
  }

  private static byte[] encoding(
      int version,
      String vendor,
      long value,
      long id,
      long customer,
      long expires,
      int spend,
      Map<String, String> props,
      byte[] cert) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(version);
    byte[] v = vendor.getBytes(StandardCharsets.UTF_8);
    out.write(v.length);
    out.writeBytes(v);
    for (long x : new long[] {value, id, customer, expires}) {
      for (int shift = 56; shift >= 0; shift -= 8) {
        out.write((int) (x >>> shift));
      }
    }
    out.write(spend);
    out.write(props.size());
    props.forEach(
        (k, val) -> {
          byte[] kb = k.getBytes(StandardCharsets.UTF_8);
          byte[] vb = val.getBytes(StandardCharsets.UTF_8);
          out.write(kb.length);
          out.writeBytes(kb);
          out.write(vb.length);
          out.writeBytes(vb);
        });
    out.writeBytes(cert);
    return out.toByteArray();
  }

  private static byte[] valid() {
    return encoding(2, "venetia", 100, 0x0700000000000042L, 5, 1_767_225_600L, Map.of(), CERT);
  }

  @Test
  void encode_layoutIsVersionVendorFourU64sSpendPropertiesCertificate() {
    Scrip scrip =
        new Scrip(
            new ScripBody(
                "venetia",
                100,
                new ScripId(7, 0x42),
                5,
                EXPIRES,
                ScripProperties.of(Map.of("state", "CA", "country", "US"))),
            Certificate.of(HexFormat.of().parseHex("000102030405060708090a0b0c0d0e0f")));

    assertThat(HexFormat.of().formatHex(ScripCodec.encode(scrip)))
        .isEqualTo(
            "02"
                + "07"
                + "76656e65746961"
                + "0000000000000064"
                + "0700000000000042"
                + "0000000000000005"
                + "000000006955b900"
                + "01"
                + "02"
                + "07"
                + "636f756e747279"
                + "02"
                + "5553"
                + "05"
                + "7374617465"
                + "02"
                + "4341"
                + "000102030405060708090a0b0c0d0e0f");
  }

  @Test
  void decode_handWrittenValidEncoding_isAccepted() {
    Scrip s = ScripCodec.decode(valid());

    assertThat(s.vendor()).isEqualTo("venetia");
    assertThat(s.id()).isEqualTo(new ScripId(7, 0x42));
    assertThat(s.expiresAt()).isEqualTo(EXPIRES);
  }

  @Test
  void decode_trailingByte_isMalformed() {
    byte[] b = valid();
    byte[] longer = java.util.Arrays.copyOf(b, b.length + 1);

    assertThatThrownBy(() -> ScripCodec.decode(longer))
        .isInstanceOf(MalformedException.class)
        .hasMessageContaining("1 more bytes");
  }

  @Test
  void decode_everyTruncation_isMalformed() {
    byte[] b = valid();
    for (int n = 0; n < b.length; n++) {
      byte[] cut = java.util.Arrays.copyOf(b, n);
      assertThatThrownBy(() -> ScripCodec.decode(cut)).isInstanceOf(MalformedException.class);
    }
  }

  @Test
  void decode_unknownVersion_isMalformed() {
    byte[] b = valid();
    b[0] = 1; // version 1 (no spend mode) is not kept alive

    assertThatThrownBy(() -> ScripCodec.decode(b))
        .isInstanceOf(MalformedException.class)
        .hasMessageContaining("version");
  }

  @Test
  void decode_spendMode_boundAndBearerDecodeAndNothingElseDoes() {
    long id = 0x0700000000000042L;
    long exp = 1_767_225_600L;
    assertThat(
            ScripCodec.decode(encoding(2, "venetia", 100, id, 5, exp, 1, Map.of(), CERT)).spend())
        .isEqualTo(SpendMode.BOUND);
    assertThat(
            ScripCodec.decode(encoding(2, "venetia", 100, id, 5, exp, 2, Map.of(), CERT)).spend())
        .isEqualTo(SpendMode.BEARER);
    for (int bad : new int[] {0, 3, 0x81, 0xff}) {
      assertMalformed(encoding(2, "venetia", 100, id, 5, exp, bad, Map.of(), CERT), "spend mode");
    }
    Scrip bearer =
        new Scrip(
            new ScripBody(
                "venetia",
                100,
                new ScripId(7, 1),
                5,
                EXPIRES,
                ScripProperties.NONE,
                SpendMode.BEARER),
            Certificate.of(CERT));
    assertThat(ScripCodec.decode(ScripCodec.encode(bearer))).isEqualTo(bearer);
  }

  @Test
  void decode_outOfRangeFields_areMalformed() {
    long id = 0x0700000000000042L;
    long exp = 1_767_225_600L;
    assertMalformed(encoding(2, "venetia", 0, id, 5, exp, Map.of(), CERT), "value");
    assertMalformed(encoding(2, "venetia", -1, id, 5, exp, Map.of(), CERT), "value");
    assertMalformed(
        encoding(2, "venetia", ScripBody.MAX_VALUE_MILLICENTS + 1, id, 5, exp, Map.of(), CERT),
        "value");
    assertMalformed(encoding(2, "", 100, id, 5, exp, Map.of(), CERT), "vendor");
    assertMalformed(encoding(2, "Venetia", 100, id, 5, exp, Map.of(), CERT), "vendor");
    assertMalformed(encoding(2, "x".repeat(65), 100, id, 5, exp, Map.of(), CERT), "vendor");
    assertMalformed(
        encoding(
            2, "venetia", 100, id, 5, ScripBody.MAX_EXPIRES_AT_EPOCH_SECONDS + 1, Map.of(), CERT),
        "expiry");
    assertMalformed(encoding(2, "venetia", 100, id, 5, -1, Map.of(), CERT), "expiry");
    assertMalformed(encoding(2, "venetia", 100, id, 5, exp, Map.of("Bad", "x"), CERT), "key");
    assertMalformed(
        encoding(2, "venetia", 100, id, 5, exp, Map.of("k", "x".repeat(65)), CERT), "64");
    // Twins: the extreme values themselves are accepted.
    assertThat(
            ScripCodec.decode(
                encoding(
                    2,
                    "x".repeat(64),
                    ScripBody.MAX_VALUE_MILLICENTS,
                    -1L,
                    -1L,
                    ScripBody.MAX_EXPIRES_AT_EPOCH_SECONDS,
                    Map.of("k", "x".repeat(64)),
                    CERT)))
        .satisfies(
            s -> {
              assertThat(s.id()).isEqualTo(new ScripId(255, ScripId.MAX_SERIAL));
              assertThat(s.customerId()).isEqualTo(-1L);
            });
  }

  @Test
  void decode_tooManyProperties_isMalformed() {
    TreeMap<String, String> seventeen = new TreeMap<>();
    for (int i = 0; i < 17; i++) {
      seventeen.put("k" + (char) ('a' + i), "v");
    }
    TreeMap<String, String> sixteen = new TreeMap<>(seventeen);
    sixteen.pollLastEntry();
    long id = 1;

    assertMalformed(encoding(2, "venetia", 100, id, 5, 1, seventeen, CERT), "16");
    assertThat(ScripCodec.decode(encoding(2, "venetia", 100, id, 5, 1, sixteen, CERT)).properties())
        .isEqualTo(new ScripProperties(sixteen));
  }

  @Test
  void decode_propertyKeysOutOfOrderOrRepeated_isMalformed() {
    byte[] sorted =
        encoding(2, "venetia", 100, 1, 5, 1, new TreeMap<>(Map.of("a", "1", "b", "2")), CERT);
    byte[] swapped = sorted.clone();
    // The two entries are 1+1+1+1 bytes each: "a"=1 then "b"=2. Swap the key bytes.
    int first = indexOf(sorted, (byte) 'a');
    int second = indexOf(sorted, (byte) 'b');
    swapped[first] = 'b';
    swapped[second] = 'a';
    byte[] repeated = sorted.clone();
    repeated[second] = 'a';

    assertThat(ScripCodec.decode(sorted).properties().get("b")).isEqualTo("2");
    assertMalformed(swapped, "ascending");
    assertMalformed(repeated, "ascending");
  }

  @Test
  void decode_invalidUtf8InAPropertyValue_isMalformed() {
    byte[] b = encoding(2, "venetia", 100, 1, 5, 1, Map.of("k", "ab"), CERT);
    int at = indexOf(b, (byte) 'a');
    b[at] = (byte) 0xc0; // an overlong lead byte: never valid UTF-8
    b[at + 1] = (byte) 0x80;

    assertMalformed(b, "UTF-8");
  }

  @Test
  void properties_valueWithAnUnpairedSurrogate_isRejected() {
    // Such a string has no UTF-8 encoding: it would encode as '?' and decode as another value.
    assertThatThrownBy(() -> ScripProperties.of(Map.of("k", "a\uD800b")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(ScripProperties.of(Map.of("k", "a\uD83D\uDE00b")).get("k")).hasSize(4);
  }

  @Test
  void fromToken_notStrictBase64url_isMalformed() {
    String token = new Scrip(ScripCodec.decode(valid()).body(), Certificate.of(CERT)).token();

    assertThat(ScripCodec.fromToken(token).vendor()).isEqualTo("venetia");
    assertThatThrownBy(() -> ScripCodec.fromToken(token + "="))
        .isInstanceOf(MalformedException.class);
    assertThatThrownBy(() -> ScripCodec.fromToken(token.replace('A', '+').replace('a', '/')))
        .isInstanceOf(MalformedException.class);
    assertThatThrownBy(() -> ScripCodec.fromToken("")).isInstanceOf(MalformedException.class);
    assertThatThrownBy(() -> ScripCodec.fromToken(null)).isInstanceOf(MalformedException.class);
    assertThatThrownBy(() -> ScripCodec.fromToken("A".repeat(5000)))
        .isInstanceOf(MalformedException.class)
        .hasMessageContaining("longer than any scrip");
  }

  @Test
  void fromToken_nonZeroUnusedBits_isMalformed() {
    byte[] b =
        encoding(2, "venetia.x", 100, 0x0700000000000042L, 5, 1_767_225_600L, Map.of(), CERT);
    String token = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    // 61 bytes: the last of 82 characters carries 2 bits of data and 4 unused (zero) bits.
    assertThat(b.length % 3).isEqualTo(1);
    String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    int last = alphabet.indexOf(token.charAt(token.length() - 1));
    String sameBytes = token.substring(0, token.length() - 1) + alphabet.charAt(last | 1);

    assertThat(java.util.Base64.getUrlDecoder().decode(sameBytes)).isEqualTo(b);
    assertThat(ScripCodec.fromToken(token).vendor()).isEqualTo("venetia.x");
    assertThatThrownBy(() -> ScripCodec.fromToken(sameBytes))
        .isInstanceOf(MalformedException.class)
        .hasMessageContaining("unused bits");
  }

  private static int indexOf(byte[] b, byte x) {
    for (int i = 2 + 7 + 32 + 1; i < b.length; i++) {
      if (b[i] == x) {
        return i;
      }
    }
    throw new AssertionError("byte not found");
  }

  private static void assertMalformed(byte[] b, String messagePart) {
    assertThatThrownBy(() -> ScripCodec.decode(b))
        .isInstanceOf(MalformedException.class)
        .hasMessageContaining(messagePart);
  }
}
