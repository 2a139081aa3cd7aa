package org.millicent.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Strings in {@link ByteWriter} and {@link ByteReader}: the ASCII fast paths must write and read
 * exactly what the general UTF-8 paths do, and strict decoding must still refuse bad UTF-8.
 */
class Utf8FieldsTest {
  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "venetia.example",
        "\u007f",
        "\u0080",
        "café",
        "日本",
        "\uD83D\uDE00",
        "a\uD800b" // a lone surrogate: getBytes writes '?', and so must the writer
      })
  void string8AndString16_writeLengthThenTheUtf8Bytes(String s) {
    byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);

    byte[] w8 = new ByteWriter(4).string8(s).toByteArray();
    byte[] w16 = new ByteWriter(4).string16(s).toByteArray();

    assertThat(w8).isEqualTo(new ByteWriter(4).bytes8(utf8).toByteArray());
    assertThat(w16).isEqualTo(new ByteWriter(4).bytes16(utf8).toByteArray());
  }

  @ParameterizedTest
  @ValueSource(strings = {"venetia.example", "\u007f", "café", "日本", "\uD83D\uDE00"})
  void utf8_readsBackWhatWasWritten(String s) throws Exception {
    byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
    ByteReader r = new ByteReader(utf8);

    assertThat(r.utf8(utf8.length, "field")).isEqualTo(s);
    assertThat(r.remaining()).isZero();
  }

  @ParameterizedTest
  @ValueSource(strings = {"80", "c328", "ff", "41c3", "eda080"})
  void utf8_invalidBytes_areRefused(String hex) {
    byte[] bad = java.util.HexFormat.of().parseHex(hex);
    ByteReader r = new ByteReader(bad);

    assertThatThrownBy(() -> r.utf8(bad.length, "field"))
        .isInstanceOf(ByteReader.Truncated.class)
        .hasMessageContaining("not valid UTF-8");
  }
}
