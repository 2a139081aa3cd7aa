package org.millicent.bytes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The one codec of protocol values accepts exactly one text per byte string. */
class Base64UrlTest {
  @Test
  void roundTrips_everyLength_withoutPadding() {
    Random r = new Random(14);
    for (int n = 0; n <= 70; n++) {
      byte[] b = new byte[n];
      r.nextBytes(b);
      String text = Base64Url.encode(b);
      assertThat(text).doesNotContain("=").doesNotContain("+").doesNotContain("/");
      assertThat(Base64Url.decode(text)).isEqualTo(b);
    }
  }

  /** "+/" is the other alphabet, "=" padding, "AB" and "AAB" leave non-zero unused bits. */
  @ParameterizedTest
  @ValueSource(strings = {"AA==", "AAA=", "+/8", "ab+c", "ab/c", "AB", "AAB", "A", "AAAAA", "AA A"})
  void refuses_nonCanonicalText(String text) {
    assertThatThrownBy(() -> Base64Url.decode(text)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void canonicalNeighbours_ofTheRefusedTexts_areAccepted() {
    assertThat(Base64Url.decode("AA")).containsExactly(0);
    assertThat(Base64Url.decode("AAA")).containsExactly(0, 0);
    assertThat(Base64Url.decode("-_8")).containsExactly(0xfb, 0xff);
  }

  @Test
  void constantTime_equalsLikeArraysEquals() {
    assertThat(ConstantTime.equal(new byte[] {1, 2}, new byte[] {1, 2})).isTrue();
    assertThat(ConstantTime.equal(new byte[] {1, 2}, new byte[] {1, 3})).isFalse();
    assertThat(ConstantTime.equal(new byte[] {1, 2}, new byte[] {1, 2, 3})).isFalse();
    assertThat(ConstantTime.equal(new byte[] {1}, null)).isFalse();
    assertThat(ConstantTime.equal("token", "token")).isTrue();
    assertThat(ConstantTime.equal("token", "tokem")).isFalse();
    assertThat(ConstantTime.equal("token", null)).isFalse();
  }
}
